import { merchantPrincipal } from "../shared/auth/principal.ts";
import { http, json } from "../shared/http/middleware.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { updateLink } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/**
 * PATCH /v1/offers/{offerId}/links/{linkId} — pause or resume (`status`), re-date (`expiresAt`)
 * or relabel a claim link. 404 for another merchant's link.
 */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http({ maxBodyBytes: 4 * 1024 }))
  .handler(async (event) => {
    const principal = merchantPrincipal(event);
    const link = await updateLink(
      deps,
      principal,
      event.pathParameters?.offerId,
      event.pathParameters?.linkId,
      event.parsedBody,
    );
    return json(200, link, { "cache-control": "no-store" });
  });
