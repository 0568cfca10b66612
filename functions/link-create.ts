import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { createLink } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/**
 * POST /v1/offers/{offerId}/links — a claim link of the offer `{channel, variant, label?,
 * expiresAt?, allowWebClaims?}`; 201 with its token. 404 for another merchant's offer.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 4 * 1024 }))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const link = await createLink(deps, principal, event.pathParameters?.offerId, event.parsedBody);
    return json(201, link, { "cache-control": "no-store" });
  });
