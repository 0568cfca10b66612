import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { getPickupReport } from "../shared/use-cases/reports/pickup-report.ts";
import { pickupReportDepsFromEnv } from "../shared/wiring/pickup-report-deps.ts";

const deps = pickupReportDepsFromEnv();

/** GET /v1/reports/stores/{storeId}/pickups?from&to — pickup metrics of a store per day. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const report = await getPickupReport(
      deps,
      merchantPrincipal(event),
      event.pathParameters?.storeId,
      event.queryStringParameters ?? {},
    );
    return json(200, report, { "cache-control": "no-store" });
  });
