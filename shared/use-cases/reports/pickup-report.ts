/**
 * `GET /v1/reports/stores/{storeId}/pickups`: wait time, estimate error and on-time share of a
 * store's pickups per store-local day, from the ended pickups' state timestamps.
 */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import {
  buildPickupReport,
  type FinishedPickup,
  type PickupReport,
  rangeInstants,
} from "../../domain/reports/pickup-metrics.ts";
import { pickupReportQuerySchema } from "../../domain/reports/pickup-report-query.ts";
import type { Clock } from "../../ports.ts";
import { type NameCatalog, storeLabels } from "./names.ts";
import { openSubjectReport, subjectNotFound } from "./report-request.ts";

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
  const { merchantId, query, id } = openSubjectReport(
    principal,
    pickupReportQuerySchema,
    rawQuery,
    ["storeId", storeId],
  );
  const store = (await storeLabels(deps.catalog, merchantId, [id])).get(id);
  if (!store) throw subjectNotFound("storeId");
  const range = resolveDayRange(query, deps.clock.now(), store.timeZone);
  const { fromMs, toMs } = rangeInstants(range, store.timeZone);
  const pickups = await deps.pickups.finishedPickups(merchantId, id, fromMs, toMs);
  return buildPickupReport({
    storeId: id,
    store: { name: store.name, storeCode: store.storeCode },
    timeZone: store.timeZone,
    range,
    includeEmpty: query.includeEmpty,
    pickups,
  });
}
