/** Visits and attributed visits of one store by offer and day, from the store counters. */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { requireRole } from "../../auth/principal.ts";
import { isCatalogId, STORE_ID_PREFIX } from "../../domain/catalog/common.ts";
import {
  buildStoreReport,
  resolveDayRange,
  type StoreReport,
  storeReportQuerySchema,
} from "../../domain/report.ts";
import { NotFoundError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import { REPORT_ROLES } from "./conversions.ts";
import type { ReportDeps } from "./offer-report.ts";

function storeNotFound(): NotFoundError {
  return new NotFoundError("storeId: store not found", {
    issues: [{ path: "storeId", reason: "not found" }],
  });
}

/**
 * The store report of the caller's store over `from`..`to` (store-local days, default the last
 * 30). Another merchant's store is a 404 like a missing one; a store deleted from the catalog
 * keeps its report while its counters exist.
 */
export async function getStoreReport(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  rawQuery: unknown,
): Promise<StoreReport> {
  requireRole(principal, REPORT_ROLES);
  const query = parseWith(storeReportQuerySchema, rawQuery ?? {});
  const range = resolveDayRange(query, deps.clock.now());
  if (storeId === undefined || !isCatalogId(STORE_ID_PREFIX, storeId)) throw storeNotFound();
  const { merchantId } = principal;
  const store = await deps.catalog.getStore(merchantId, storeId);
  if (!store && !(await deps.counters.hasStoreCounters(merchantId, storeId))) {
    throw storeNotFound();
  }
  const rows = await deps.counters.storeCounters(merchantId, storeId, range.from, range.to);
  return buildStoreReport({
    storeId,
    store: store ? { name: store.name, timeZone: store.timeZone } : null,
    range,
    rows,
  });
}
