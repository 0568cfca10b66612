import { catalogHandler } from "../shared/http/route-handler.ts";
import { listOffersRoute } from "../shared/http/routes/catalog.ts";
import { listOffers } from "../shared/use-cases/catalog/offer-reads.ts";
import { offerReadDepsFromEnv } from "../shared/wiring/catalog-read-deps.ts";

const deps = offerReadDepsFromEnv();

/** GET /v1/offers — the caller's offers with their state, a page at a time (`cursor`, `state`). */
export const handler = catalogHandler.list(listOffersRoute, (req, query) =>
  listOffers(deps, req.principal, query),
);
