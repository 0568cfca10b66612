import { catalogHandler } from "../shared/http/route-handler.ts";
import { getOfferRoute } from "../shared/http/routes/catalog.ts";
import { getOffer } from "../shared/use-cases/catalog/offer-reads.ts";
import { offerReadDepsFromEnv } from "../shared/wiring/catalog-read-deps.ts";

const deps = offerReadDepsFromEnv();

/** GET /v1/offers/{offerId} — one of the caller's offers, with its status and zone count. */
export const handler = catalogHandler.get(getOfferRoute, (req) =>
  getOffer(deps, req.principal, req.id),
);
