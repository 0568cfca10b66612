/**
 * Offer use cases: create, read, list, replace and patch.
 */
import { CATALOG_WRITE_ROLES, type MerchantPrincipal, requireRole } from "../../auth/principal.ts";
import {
  buildOffer,
  OFFER_ID_PREFIX,
  type OfferInput,
  offerInputOf,
  offerInputSchema,
} from "../../domain/catalog/index.ts";
import { offerZoneIds, triggerZones } from "../../domain/catalog/zones.ts";
import { checkOfferCanFire } from "../offer-checks.ts";
import { bestEffort } from "./compensation.ts";
import { type CatalogDeps, nowIso } from "./deps.ts";
import { mergePatchUseCase } from "./merge-patch.ts";
import { commitOffer } from "./offer-commit.ts";
import { currentOffer, loadStores } from "./offer-lookup.ts";

export { getOffer, listOffers } from "./offer-reads.ts";

import { offerStateView } from "./offer-view.ts";
import { itemToWrite } from "./versions.ts";
import { applyPlan, zoneCellsOf } from "./zones.ts";

/** Creates an active offer, links it to its stores and indexes one trigger zone per store. */
export async function createOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  input: OfferInput,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const warnings = await checkOfferCanFire(deps, principal.merchantId, input, deps.clock.now());
  const stores = await loadStores(deps, principal.merchantId, input.storeIds);
  const offer = buildOffer({
    merchantId: principal.merchantId,
    offerId: deps.random.id(OFFER_ID_PREFIX),
    input,
    nowIso: nowIso(deps),
    status: "active",
  });
  const zones = triggerZones(offer, stores);
  offer.zoneCells = zoneCellsOf(deps, zones);
  await deps.catalog.createOffer(offer);
  try {
    await applyPlan(deps, { put: zones, remove: [] });
  } catch (error) {
    await bestEffort("remove trigger zones", () =>
      applyPlan(deps, { put: [], remove: offerZoneIds(offer) }),
    );
    await bestEffort("delete offer", () => deps.catalog.deleteOffer(offer, offer.version));
    throw error;
  }
  return offerStateView(deps, offer, warnings);
}

/** Replaces an offer (PUT) at the version `ifMatch` names (or the one just read). */
export async function replaceOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  input: OfferInput,
  ifMatch?: number,
) {
  const current = await itemToWrite(principal, "offer", ifMatch, () =>
    currentOffer(deps, principal, offerId),
  );
  const warnings = await checkOfferCanFire(
    deps,
    principal.merchantId,
    input,
    deps.clock.now(),
    current,
  );
  const stores = await loadStores(deps, principal.merchantId, input.storeIds, current.storeIds);
  const next = buildOffer({
    merchantId: principal.merchantId,
    offerId: current.offerId,
    input,
    nowIso: nowIso(deps),
    status: current.status,
    previous: current,
  });
  return offerStateView(deps, await commitOffer(deps, current, next, stores), warnings);
}

/**
 * Updates an offer with a JSON Merge Patch (RFC 7396) applied to its input representation
 * (`offerInputOf`); validated like a PUT body and written at the version read (or `ifMatch`).
 * See `mergePatchUseCase`.
 */
export const patchOffer = /* @__PURE__ */ mergePatchUseCase({
  kind: "offer",
  load: currentOffer,
  inputOf: offerInputOf,
  schema: offerInputSchema,
  idOf: (offer) => offer.offerId,
  replace: replaceOffer,
});
