import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
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
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const query = event.queryStringParameters ?? {};
    if (event.routeKey === "GET /v1/reports/journey") {
      const journey = await getJourneyReport(deps, principal, query);
      return json(200, journey, { "cache-control": "no-store" });
    }
    const storeId = event.pathParameters?.storeId;
    const report = event.rawPath.endsWith("/pickups")
      ? await getPickupReport(pickupDeps, principal, storeId, query)
      : await getStoreReport(deps, principal, storeId, query);
    return json(200, report, { "cache-control": "no-store" });
  });
