import { catalogHandler } from "../shared/http/route-handler.ts";
import { createOfferRoute } from "../shared/http/routes/catalog.ts";
import { createOffer } from "../shared/use-cases/catalog/offers.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** POST /v1/offers — creates an active offer and indexes its trigger zones. */
export const handler = catalogHandler.create(
  createOfferRoute,
  (req, input) => createOffer(deps, req.principal, input),
  (offer) => `/v1/offers/${offer.offerId}`,
);
