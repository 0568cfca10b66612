import { merchantActionHandler } from "../shared/http/route-handler.ts";
import { updateLink } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/**
 * PATCH /v1/offers/{offerId}/links/{linkId} — pause or resume (`status`), re-date (`expiresAt`)
 * or relabel a claim link. 404 for another merchant's link.
 */
export const handler = merchantActionHandler({ maxBodyBytes: 4 * 1024 }, (principal, event) =>
  updateLink(
    deps,
    principal,
    event.pathParameters?.offerId,
    event.pathParameters?.linkId,
    event.parsedBody,
  ),
);
