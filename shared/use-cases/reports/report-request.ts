/**
 * The opening every report shares: who may read it, its query, and the 404 of a subject (store
 * or offer) that is not the caller's.
 */
import type * as z from "zod";
import { type MerchantPrincipal, REPORT_ROLES, requireRole } from "../../auth/principal.ts";
import { isCatalogId, OFFER_ID_PREFIX, STORE_ID_PREFIX } from "../../domain/catalog/common.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import { NotFoundError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import type { CatalogReader, Deleted, DeletedCatalogReader } from "../ports/catalog-store.ts";

/** The field naming a report's subject. */
export type ReportSubject = "storeId" | "offerId";

/**
 * The 404 of a report subject: a missing store or offer and another merchant's one answer the
 * same, so ids cannot be probed. Problem detail `storeId: store not found` with the field named.
 */
export function subjectNotFound(field: ReportSubject): NotFoundError {
  const what = field === "storeId" ? "store" : "offer";
  return new NotFoundError(`${field}: ${what} not found`, {
    issues: [{ path: field, reason: "not found" }],
  });
}

/**
 * Opens a report request: the caller must hold a report role, then the query is parsed with
 * `schema` (an absent query is `{}`).
 *
 * @throws ForbiddenError without a report role; ValidationError naming the bad query field.
 */
export function openReport<S extends z.ZodType>(
  principal: MerchantPrincipal,
  schema: S,
  rawQuery: unknown,
): { merchantId: string; query: z.output<S> } {
  requireRole(principal, REPORT_ROLES);
  return { merchantId: principal.merchantId, query: parseWith(schema, rawQuery ?? {}) };
}

/**
 * Opens a report about one store or offer (`openReport`, then `subjectId`): role first, then
 * the query, then the subject id's shape.
 *
 * @throws ForbiddenError, ValidationError as `openReport`; NotFoundError as `subjectId`.
 */
export function openSubjectReport<S extends z.ZodType>(
  principal: MerchantPrincipal,
  schema: S,
  rawQuery: unknown,
  subject: [field: ReportSubject, id: string | undefined],
): { merchantId: string; query: z.output<S>; id: string } {
  const opened = openReport(principal, schema, rawQuery);
  return { ...opened, id: subjectId(...subject) };
}

/**
 * The subject id of a report path, checked for shape only (`st_…`, `of_…`); whether it is the
 * caller's is the report's own read.
 *
 * @throws NotFoundError (`subjectNotFound`) when absent or not an id of that kind.
 */
export function subjectId(field: ReportSubject, id: string | undefined): string {
  const prefix = field === "storeId" ? STORE_ID_PREFIX : OFFER_ID_PREFIX;
  if (id === undefined || !isCatalogId(prefix, id)) throw subjectNotFound(field);
  return id;
}

/**
 * The offer a report is about: the live one, else what was kept of it when deleted (reports
 * outlive their offers); undefined when neither exists.
 */
export async function liveOrDeletedOffer(
  catalog: Pick<CatalogReader, "getOffer"> & Pick<DeletedCatalogReader, "getDeletedOffers">,
  merchantId: string,
  offerId: string,
): Promise<Offer | Deleted<Offer> | undefined> {
  const live = await catalog.getOffer(merchantId, offerId);
  return live ?? (await catalog.getDeletedOffers([{ merchantId, offerId }]))[0];
}
