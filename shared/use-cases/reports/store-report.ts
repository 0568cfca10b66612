/** Visits and attributed visits of one store by offer and period, from the store counters. */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { requireRole } from "../../auth/principal.ts";
import { isCatalogId, STORE_ID_PREFIX } from "../../domain/catalog/common.ts";
import { NO_OFFER } from "../../domain/conversion.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import { storeReportQuerySchema } from "../../domain/reports/report-query.ts";
import { buildStoreReport, type StoreReport } from "../../domain/reports/store-report.ts";
import { NotFoundError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import { REPORT_ROLES } from "./conversions.ts";
import { nameBook } from "./names.ts";
import type { ReportDeps } from "./offer-report.ts";

function storeNotFound(): NotFoundError {
  return new NotFoundError("storeId: store not found", {
    issues: [{ path: "storeId", reason: "not found" }],
  });
}

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
  requireRole(principal, REPORT_ROLES);
  const query = parseWith(storeReportQuerySchema, rawQuery ?? {});
  if (storeId === undefined || !isCatalogId(STORE_ID_PREFIX, storeId)) throw storeNotFound();
  const { merchantId } = principal;
  const own = await nameBook(deps.catalog, merchantId, { storeIds: [storeId], offerIds: [] });
  const store = own.stores.get(storeId) ?? null;
  if (!store && !(await deps.counters.hasStoreCounters(merchantId, storeId))) {
    throw storeNotFound();
  }
  const range = resolveDayRange(query, deps.clock.now(), store?.timeZone);
  const rows = await deps.counters.storeCounters(merchantId, storeId, range.from, range.to);
  const offers = await nameBook(deps.catalog, merchantId, {
    storeIds: [],
    offerIds: rows.map((r) => r.offerId).filter((id) => id !== NO_OFFER),
  });
  return buildStoreReport({
    storeId,
    store,
    range,
    groupBy: query.groupBy,
    includeEmpty: query.includeEmpty,
    rows,
    names: { stores: own.stores, offers: offers.offers },
  });
}
