import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { claimLinkFromWeb } from "../shared/use-cases/o2o/claims.ts";
import { claimDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = claimDepsFromEnv();

/**
 * POST /v1/claims/web — a web page claims a link `{token}` without a device (links with
 * `allowWebClaims` only): a code to show at the till, attributed by its redemption only.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 1024 }))
  .handler(async (event) => {
    const claim = await claimLinkFromWeb(
      deps,
      { sourceIp: event.requestContext.http?.sourceIp },
      event.parsedBody,
    );
    return json(200, claim, { "cache-control": "no-store" });
  });
