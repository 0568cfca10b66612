/**
 * An offer's lifecycle after creation: paused, resumed, deleted.
 */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import type { Offer } from "../../domain/catalog/index.ts";
import { offerZoneIds, planZones, triggerZones } from "../../domain/catalog/zones.ts";
import { bestEffort } from "./compensation.ts";
import { type CatalogDeps, nowIso } from "./deps.ts";
import { commitOffer } from "./offer-commit.ts";
import { currentOffer, loadStores } from "./offer-lookup.ts";
import { offerStateView } from "./offer-view.ts";
import { itemToWrite } from "./versions.ts";
import { applyPlan } from "./zones.ts";

/**
 * Pauses or resumes an offer: a paused offer's trigger zones leave the index (it can no
 * longer match), resuming indexes them again. Idempotent.
 */
export async function setOfferStatus(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  status: "active" | "paused",
  ifMatch?: number,
) {
  const current = await itemToWrite(principal, "offer", ifMatch, () =>
    currentOffer(deps, principal, offerId),
  );
  if (current.status === status) return offerStateView(deps, current);
  const stores = await loadStores(deps, principal.merchantId, current.storeIds);
  const next: Offer = {
    ...current,
    status,
    version: current.version + 1,
    updatedAt: nowIso(deps),
  };
  return offerStateView(deps, await commitOffer(deps, current, next, stores));
}

/** Deletes an offer: its zones leave the index first, then the offer and its store links. */
export async function deleteOffer(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  offerId: string | undefined,
  ifMatch?: number,
) {
  const current = await itemToWrite(principal, "offer", ifMatch, () =>
    currentOffer(deps, principal, offerId),
  );
  await applyPlan(deps, { put: [], remove: offerZoneIds(current) });
  try {
    await deps.catalog.deleteOffer(current, current.version, nowIso(deps));
  } catch (error) {
    if (current.status === "active") {
      await bestEffort("re-index offer", async () => {
        const stores = await loadStores(deps, current.merchantId, current.storeIds);
        await applyPlan(deps, planZones([], triggerZones(current, stores)));
      });
    }
    throw error;
  }
}
