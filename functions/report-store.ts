import { reportHandler } from "../shared/http/route-handler.ts";
import { getJourneyReport } from "../shared/use-cases/reports/journey-report.ts";
import { getPickupReport } from "../shared/use-cases/reports/pickup-report.ts";
import { getStoreReport } from "../shared/use-cases/reports/store-report.ts";
import { pickupReportDepsFromEnv } from "../shared/wiring/pickup-report-deps.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();
const pickupDeps = pickupReportDepsFromEnv();

/**
 * GET /v1/reports/stores/{storeId}?from&to — visits and attributed visits by offer and day;
 * GET /v1/reports/stores/{storeId}/pickups?from&to — the store's pickup metrics per day;
 * GET /v1/reports/journey?from&to&storeId&offerId — visitors by journey stage, repeat visits,
 * lapses and an offer's repeat-visit lift (the same counters, the same function).
 */
export const handler = reportHandler(
  "storeId",
  (principal, storeId, query, event): Promise<unknown> => {
    if (event.routeKey === "GET /v1/reports/journey") {
      return getJourneyReport(deps, principal, query);
    }
    return event.rawPath.endsWith("/pickups")
      ? getPickupReport(pickupDeps, principal, storeId, query)
      : getStoreReport(deps, principal, storeId, query);
  },
);
