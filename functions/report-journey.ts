import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { getJourneyReport } from "../shared/use-cases/reports/journey-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/**
 * GET /v1/reports/journey?from&to&storeId&offerId — visitors by journey stage, repeat visits,
 * lapses; with `offerId`, the offer's first vs returning visits and repeat-visit lift.
 */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getJourneyReport(deps, principal, event.queryStringParameters ?? {});
    return json(200, report, { "cache-control": "no-store" });
  });
