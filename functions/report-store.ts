import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getStoreReport } from "../shared/use-cases/reports/store-report.ts";
import { reportDepsFromEnv } from "../shared/wiring/report-deps.ts";

const deps = reportDepsFromEnv();

/** GET /v1/reports/stores/{storeId}?from&to — visits and attributed visits by offer and day. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getStoreReport(
      deps,
      principal,
      event.pathParameters?.storeId,
      event.queryStringParameters ?? {},
    );
    return json(200, report, { "cache-control": "no-store" });
  });
