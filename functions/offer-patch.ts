import { catalogHandler } from "../shared/http/route-handler.ts";
import { patchOfferRoute } from "../shared/http/routes/catalog.ts";
import { patchOffer } from "../shared/use-cases/catalog/offers.ts";
import { offerDepsFromEnv } from "../shared/wiring/offer-deps.ts";

const deps = offerDepsFromEnv();

/**
 * PATCH /v1/offers/{offerId} — a JSON Merge Patch (RFC 7396, `application/merge-patch+json`):
 * members sent replace, `null` removes, absent members stay. `If-Match` is optional here.
 */
export const handler = catalogHandler.patch(patchOfferRoute, (req, patch) =>
  patchOffer(deps, req.principal, req.id, patch, req.ifMatch),
);
