import { catalogHandler } from "../shared/http/route-handler.ts";
import { deleteOfferRoute } from "../shared/http/routes/catalog.ts";
import { deleteOffer } from "../shared/use-cases/catalog/offer-lifecycle.ts";
import { catalogDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = catalogDepsFromEnv();

/** DELETE /v1/offers/{offerId} — removes the offer's zones, then the offer. */
export const handler = catalogHandler.remove(deleteOfferRoute, (req) =>
  deleteOffer(deps, req.principal, req.id, req.ifMatch),
);
