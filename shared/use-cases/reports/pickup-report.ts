/**
 * `GET /v1/reports/stores/{storeId}/pickups`: wait time, estimate error and on-time share of a
 * store's pickups per store-local day, from the ended pickups' state timestamps.
 */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { requireRole } from "../../auth/principal.ts";
import { isCatalogId, STORE_ID_PREFIX } from "../../domain/catalog/common.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import {
  buildPickupReport,
  type FinishedPickup,
  type PickupReport,
  rangeInstants,
} from "../../domain/reports/pickup-metrics.ts";
import { pickupReportQuerySchema } from "../../domain/reports/pickup-report-query.ts";
import { NotFoundError } from "../../errors.ts";
import { parseWith } from "../../http/parse.ts";
import type { Clock } from "../../ports.ts";
import { REPORT_ROLES } from "./conversions.ts";
import { type NameCatalog, storeLabels } from "./names.ts";

/** Port: the ended pickups of a store whose promised time lies in [fromMs, toMs). */
export interface FinishedPickupReader {
  finishedPickups(
    merchantId: string,
    storeId: string,
    fromMs: number,
    toMs: number,
  ): Promise<FinishedPickup[]>;
}

export interface PickupReportDeps {
  pickups: FinishedPickupReader;
  catalog: NameCatalog;
  clock: Clock;
}

function storeNotFound(): NotFoundError {
  return new NotFoundError("storeId: store not found", {
    issues: [{ path: "storeId", reason: "not found" }],
  });
}

/**
 * The pickup report of one of the caller's stores over `from`..`to` (store-local days, default
 * the last 30 ending today in the store's zone). Another merchant's store is a 404 like a
 * missing one; a deleted store keeps its report.
 */
export async function getPickupReport(
  deps: PickupReportDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  rawQuery: unknown,
): Promise<PickupReport> {
  requireRole(principal, REPORT_ROLES);
  const query = parseWith(pickupReportQuerySchema, rawQuery ?? {});
  if (storeId === undefined || !isCatalogId(STORE_ID_PREFIX, storeId)) throw storeNotFound();
  const { merchantId } = principal;
  const store = (await storeLabels(deps.catalog, merchantId, [storeId])).get(storeId);
  if (!store) throw storeNotFound();
  const range = resolveDayRange(query, deps.clock.now(), store.timeZone);
  const { fromMs, toMs } = rangeInstants(range, store.timeZone);
  const pickups = await deps.pickups.finishedPickups(merchantId, storeId, fromMs, toMs);
  return buildPickupReport({
    storeId,
    store: { name: store.name, storeCode: store.storeCode },
    timeZone: store.timeZone,
    range,
    includeEmpty: query.includeEmpty,
    pickups,
  });
}
