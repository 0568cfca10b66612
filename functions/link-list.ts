import { merchantActionHandler } from "../shared/http/route-handler.ts";
import { listLinks } from "../shared/use-cases/o2o/links.ts";
import { linkDepsFromEnv } from "../shared/wiring/o2o-deps.ts";

const deps = linkDepsFromEnv();

/** GET /v1/offers/{offerId}/links — every claim link of the offer with its state and token. */
export const handler = merchantActionHandler({}, (principal, event) =>
  listLinks(deps, principal, event.pathParameters?.offerId),
);
