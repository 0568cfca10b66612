/**
 * The footfall conversion log for marketing teams: newest first, filtered, paginated with signed
 * cursors, or exported as CSV. Reads one merchant's partition only (merchant from the token).
 */

import { type MerchantPrincipal, REPORT_ROLES, requireRole } from "../../auth/principal.ts";
import type { ConversionRecord } from "../../domain/conversion.ts";
import { NO_OFFER } from "../../domain/conversion.ts";
import { conversionCsvHeader, conversionCsvRow } from "../../domain/reports/conversion-csv.ts";
import {
  type ConversionQuery,
  conversionQuerySchema,
} from "../../domain/reports/conversion-query.ts";
import { type ConversionView, conversionView } from "../../domain/reports/conversion-view.ts";
import { conversionListingScope, isLogPosition } from "../../domain/reports/log-cursor.ts";
import type { NameBook } from "../../domain/reports/name-book.ts";
import { ValidationError } from "../../errors.ts";
import type { CursorCodec } from "../../http/cursor.ts";
import { parseWith } from "../../http/parse.ts";
import type { ConversionReader, LogPosition, LogQuery } from "../ports/conversion-reader.ts";
import { type NameCatalog, nameBook } from "./names.ts";

export { REPORT_ROLES };

export interface ConversionLogDeps {
  log: ConversionReader;
  cursors: CursorCodec;
  /** Where store and offer names come from; without it names are null. */
  names?: NameCatalog;
}

/**
 * Names of the stores and offers of `records`, reusing `known` (a CSV export resolves each id
 * once over all its pages).
 */
async function namesOf(
  deps: ConversionLogDeps,
  merchantId: string,
  records: readonly ConversionRecord[],
  known: NameBook = { stores: new Map(), offers: new Map() },
): Promise<NameBook> {
  if (!deps.names) return known;
  const storeIds = new Set(records.map((r) => r.storeId).filter((id) => !known.stores.has(id)));
  const offerIds = new Set(
    records
      .map((r) => r.offerId)
      .filter((id): id is string => id !== undefined && id !== NO_OFFER && !known.offers.has(id)),
  );
  if (storeIds.size === 0 && offerIds.size === 0) return known;
  const found = await nameBook(deps.names, merchantId, { storeIds, offerIds });
  return {
    stores: new Map([...known.stores, ...found.stores]),
    offers: new Map([...known.offers, ...found.offers]),
  };
}

export interface ConversionPage {
  items: ConversionView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** CSV export caps: a Lambda response carries at most 6 MB, so a body stays below 5 MB. */
export const CSV_LIMITS = { maxRows: 100_000, maxBytes: 5_000_000 } as const;

export interface CsvExport {
  csv: string;
  rows: number;
  /** True when a cap stopped the export; `nextCursor` resumes it (same query, same filters). */
  truncated: boolean;
  nextCursor: string | null;
}

function logQuery(merchantId: string, q: ConversionQuery): LogQuery {
  return {
    merchantId,
    offerId: q.offerId,
    storeId: q.storeId,
    type: q.type,
    fromIso: q.from,
    toIso: q.to,
  };
}

function start(
  deps: ConversionLogDeps,
  merchantId: string,
  q: ConversionQuery,
): LogPosition | undefined {
  if (q.cursor === undefined) return undefined;
  const key = deps.cursors.decode(merchantId, conversionListingScope(q), q.cursor);
  if (!isLogPosition(key, merchantId, q.offerId)) {
    throw ValidationError.field("cursor", "is not a cursor issued by this API for this listing");
  }
  return key;
}

function parseQuery(principal: MerchantPrincipal, rawQuery: unknown): ConversionQuery {
  requireRole(principal, REPORT_ROLES);
  return parseWith(conversionQuerySchema, rawQuery ?? {});
}

/**
 * One page of the caller's conversion log, newest first. A page may hold fewer than `limit`
 * records while `nextCursor` is set (sparse filters stop after a bounded number of reads);
 * follow the cursor until it is null. A cursor only works for the merchant and the exact
 * filters it was issued for; anything else is a 400 naming `cursor`.
 */
export async function listConversions(
  deps: ConversionLogDeps,
  principal: MerchantPrincipal,
  rawQuery: unknown,
): Promise<ConversionPage> {
  const q = parseQuery(principal, rawQuery);
  const { merchantId } = principal;
  const page = await deps.log.queryLog(
    logQuery(merchantId, q),
    q.limit,
    start(deps, merchantId, q),
  );
  const names = await namesOf(deps, merchantId, page.records);
  return {
    items: page.records.map((r) => conversionView(r, names)),
    nextCursor: page.next
      ? deps.cursors.encode(merchantId, conversionListingScope(q), page.next)
      : null,
  };
}

/**
 * The same records and filters as `listConversions`, every page, as RFC 4180 CSV (header row,
 * CRLF). Stops at `limits` (100,000 rows or 5 MB, what one Lambda response can carry) and then
 * says so with `truncated` and a cursor that resumes the export; `limit` is ignored.
 */
export async function exportConversionsCsv(
  deps: ConversionLogDeps,
  principal: MerchantPrincipal,
  rawQuery: unknown,
  limits: { maxRows: number; maxBytes: number } = CSV_LIMITS,
): Promise<CsvExport> {
  const q = parseQuery(principal, rawQuery);
  const { merchantId } = principal;
  const query = logQuery(merchantId, q);
  const parts = [conversionCsvHeader()];
  let bytes = Buffer.byteLength(parts[0] ?? "");
  let rows = 0;
  let position = start(deps, merchantId, q);
  let stoppedAt: LogPosition | undefined;
  let names: NameBook | undefined;
  while (rows < limits.maxRows) {
    const page = await deps.log.queryLog(
      query,
      Math.min(1000, limits.maxRows - rows),
      position,
      25,
    );
    names = await namesOf(deps, merchantId, page.records, names);
    for (let i = 0; i < page.records.length; i++) {
      const record = page.records[i];
      if (!record) continue;
      const line = conversionCsvRow(conversionView(record, names));
      const size = Buffer.byteLength(line);
      // Always at least one row, so a resumed export makes progress.
      if (bytes + size > limits.maxBytes && rows > 0) {
        stoppedAt = i > 0 ? page.positions[i - 1] : position;
        break;
      }
      parts.push(line);
      bytes += size;
      rows += 1;
    }
    if (stoppedAt) break;
    position = page.next;
    if (!position) break;
  }
  const resume = stoppedAt ?? (rows >= limits.maxRows ? position : undefined);
  return {
    csv: parts.join(""),
    rows,
    truncated: resume !== undefined,
    nextCursor: resume ? deps.cursors.encode(merchantId, conversionListingScope(q), resume) : null,
  };
}
