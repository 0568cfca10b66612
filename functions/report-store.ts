import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getPickupReport } from "../shared/use-cases/reports/pickup-report.ts";
import { getStoreReport } from "../shared/use-cases/reports/store-report.ts";
import { pickupReportDepsFromEnv } from "../shared/wiring/pickup-report-deps.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();
const pickupDeps = pickupReportDepsFromEnv();

/**
 * The store's reports:
 * - GET /v1/reports/stores/{storeId}?from&to — visits and attributed visits by offer and day;
 * - GET /v1/reports/stores/{storeId}/pickups?from&to — pickup metrics per day.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const storeId = event.pathParameters?.storeId;
    const query = event.queryStringParameters ?? {};
    const report = event.rawPath.endsWith("/pickups")
      ? await getPickupReport(pickupDeps, principal, storeId, query)
      : await getStoreReport(deps, principal, storeId, query);
    return json(200, report, { "cache-control": "no-store" });
  });
