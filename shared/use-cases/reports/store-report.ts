/** Visits and attributed visits of one store by offer and period, from the store counters. */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { NO_OFFER } from "../../domain/conversion.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import { storeReportQuerySchema } from "../../domain/reports/report-query.ts";
import { buildStoreReport, type StoreReport } from "../../domain/reports/store-report.ts";
import { nameBook } from "./names.ts";
import type { ReportDeps } from "./offer-report.ts";
import { openSubjectReport, subjectNotFound } from "./report-request.ts";

/**
 * The store report of the caller's store over `from`..`to` (store-local days, default the last
 * 30 ending today in the store's zone), by day, ISO week or month. Another merchant's store is a
 * 404 like a missing one; a deleted store keeps its report, name and store code.
 */
export async function getStoreReport(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  rawQuery: unknown,
): Promise<StoreReport> {
  const { merchantId, query, id } = openSubjectReport(principal, storeReportQuerySchema, rawQuery, [
    "storeId",
    storeId,
  ]);
  const own = await nameBook(deps.catalog, merchantId, { storeIds: [id], offerIds: [] });
  const store = own.stores.get(id) ?? null;
  if (!store && !(await deps.counters.hasStoreCounters(merchantId, id))) {
    throw subjectNotFound("storeId");
  }
  const range = resolveDayRange(query, deps.clock.now(), store?.timeZone);
  const rows = await deps.counters.storeCounters(merchantId, id, range.from, range.to);
  const offers = await nameBook(deps.catalog, merchantId, {
    storeIds: [],
    offerIds: rows.map((r) => r.offerId).filter((id) => id !== NO_OFFER),
  });
  return buildStoreReport({
    storeId: id,
    store,
    range,
    groupBy: query.groupBy,
    includeEmpty: query.includeEmpty,
    rows,
    names: { stores: own.stores, offers: offers.offers },
  });
}
