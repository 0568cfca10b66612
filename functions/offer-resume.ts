import { catalogHandler } from "../shared/http/route-handler.ts";
import { resumeOfferRoute } from "../shared/http/routes/catalog.ts";
import { setOfferStatus } from "../shared/use-cases/catalog/offer-lifecycle.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/** POST /v1/offers/{offerId}/resume — indexes the offer's trigger zones again. */
export const handler = catalogHandler.action(resumeOfferRoute, (req) =>
  setOfferStatus(deps, req.principal, req.id, "active", req.ifMatch),
);
