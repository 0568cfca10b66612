import { catalogHandler } from "../shared/http/route-handler.ts";
import { replaceOfferRoute } from "../shared/http/routes/catalog.ts";
import { replaceOffer } from "../shared/use-cases/catalog/offers.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** PUT /v1/offers/{offerId} — replaces an offer (If-Match required: 428 without it). */
export const handler = catalogHandler.replace(replaceOfferRoute, (req, input) =>
  replaceOffer(deps, req.principal, req.id, input, req.ifMatch),
);
