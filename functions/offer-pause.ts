import { catalogHandler } from "../shared/http/route-handler.ts";
import { pauseOfferRoute } from "../shared/http/routes/catalog.ts";
import { setOfferStatus } from "../shared/use-cases/catalog/offer-lifecycle.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** POST /v1/offers/{offerId}/pause — takes the offer's trigger zones out of matching. */
export const handler = catalogHandler.action(pauseOfferRoute, (req) =>
  setOfferStatus(deps, req.principal, req.id, "paused", req.ifMatch),
);
