import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { listLinks } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/** GET /v1/offers/{offerId}/links — every claim link of the offer with its state and token. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const links = await listLinks(deps, principal, event.pathParameters?.offerId);
    return json(200, links, { "cache-control": "no-store" });
  });
