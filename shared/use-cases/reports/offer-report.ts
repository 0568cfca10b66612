/**
 * Funnel and lift report of one offer, from the counters only (one Query on the offer's counter
 * partition, one read of its budget counter): it never scans the log.
 */
import type { CatalogReader } from "../../adapters/dynamo/catalog-store.ts";
import type { ConversionReader } from "../../adapters/dynamo/conversion-reader.ts";
import { type MerchantPrincipal, requireRole } from "../../auth/principal.ts";
import { isCatalogId, OFFER_ID_PREFIX } from "../../domain/catalog/common.ts";
import {
  buildOfferReport,
  type OfferFactsForReport,
  type OfferReport,
  offerReportQuerySchema,
  resolveDayRange,
} from "../../domain/report.ts";
import { NotFoundError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import type { Clock } from "../../ports.ts";
import { REPORT_ROLES } from "./conversions.ts";

export interface ReportDeps {
  counters: ConversionReader;
  catalog: Pick<CatalogReader, "getOffer" | "getStore">;
  clock: Clock;
}

function offerNotFound(): NotFoundError {
  return new NotFoundError("offerId: offer not found", {
    issues: [{ path: "offerId", reason: "not found" }],
  });
}

/**
 * The report of the caller's offer over `from`..`to` (store-local days, default the last 30),
 * grouped by day or store. Another merchant's offer is a 404 like a missing one: the counters
 * are keyed by the caller's merchant id, so they cannot even be read. An offer deleted from the
 * catalog keeps its report while its counters exist.
 */
export async function getOfferReport(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  rawQuery: unknown,
): Promise<OfferReport> {
  requireRole(principal, REPORT_ROLES);
  const query = parseWith(offerReportQuerySchema, rawQuery ?? {});
  const range = resolveDayRange(query, deps.clock.now());
  if (offerId === undefined || !isCatalogId(OFFER_ID_PREFIX, offerId)) throw offerNotFound();
  const { merchantId } = principal;
  const offer = await deps.catalog.getOffer(merchantId, offerId);
  if (!offer && !(await deps.counters.hasOfferCounters(merchantId, offerId))) {
    throw offerNotFound();
  }
  const [rows, budgetUsed] = await Promise.all([
    deps.counters.offerCounters(merchantId, offerId, range.from, range.to),
    deps.counters.budgetUsed(offerId),
  ]);
  const facts: OfferFactsForReport | null = offer
    ? {
        name: offer.name,
        title: offer.message.title,
        storeIds: offer.storeIds,
        holdoutPercent: offer.holdoutPercent,
        attributionWindowHours: offer.attributionWindowHours,
        budgetMax: offer.budget?.maxIncentives ?? null,
      }
    : null;
  return buildOfferReport({
    offerId,
    offer: facts,
    range,
    groupBy: query.groupBy,
    rows,
    budgetUsed,
  });
}
