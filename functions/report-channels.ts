import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { getChannelReport } from "../shared/use-cases/o2o/channel-report.ts";
import { channelReportDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = channelReportDepsFromEnv();

/**
 * GET /v1/reports/channels and GET /v1/reports/offers/{offerId}/channels?from&to — claims,
 * exposures and sends by channel and variant with visits, lift, money and variant tests.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const report = await getChannelReport(
      deps,
      principal,
      event.pathParameters?.offerId,
      event.queryStringParameters ?? {},
    );
    return json(200, report, { "cache-control": "no-store" });
  });
