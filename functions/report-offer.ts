import middy from "@middy/core";
import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { getOfferReport } from "../shared/use-cases/reports/offer-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/** GET /v1/reports/offers/{offerId}?from&to&groupBy=day|store — funnel, lift and budget. */
export const handler = middy<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getOfferReport(
      deps,
      principal,
      event.pathParameters?.offerId,
      event.queryStringParameters ?? {},
    );
    return json(200, report, { "cache-control": "no-store" });
  });
