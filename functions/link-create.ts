import { merchantActionHandler } from "../shared/http/route-handler.ts";
import { createLink } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/**
 * POST /v1/offers/{offerId}/links — a claim link of the offer `{channel, variant, label?,
 * expiresAt?, allowWebClaims?}`; 201 with its token. 404 for another merchant's offer.
 */
export const handler = merchantActionHandler(
  { maxBodyBytes: 4 * 1024, status: 201 },
  (principal, event) =>
    createLink(deps, principal, event.pathParameters?.offerId, event.parsedBody),
);
