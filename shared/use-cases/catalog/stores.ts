/**
 * Store use cases: create, read, list, replace, patch and delete, keeping the catalog item, its
 * footprint zone, the trigger zones of its offers and its "offers near me" point in step.
 */
import { CATALOG_WRITE_ROLES, type MerchantPrincipal, requireRole } from "../../auth/principal.ts";
import {
  STORE_ID_PREFIX,
  type Store,
  type StoreInput,
  storeInputOf,
  storeInputSchema,
  storeView,
} from "../../domain/catalog/index.ts";
import { buildStore } from "../../domain/catalog/store-build.ts";
import { planZones, storeZones } from "../../domain/catalog/zones.ts";
import type { ZoneDefinition } from "../../domain/zone.ts";
import { ConflictError } from "../../errors.ts";
import { bestEffort } from "./compensation.ts";
import { type CatalogDeps, nowIso } from "./deps.ts";
import { geocodeIfNeeded } from "./geocoding.ts";
import { mergePatchUseCase } from "./merge-patch.ts";
import { currentStore } from "./store-lookup.ts";

export { getStore, listStores } from "./store-reads.ts";

import { itemToWrite } from "./versions.ts";
import { applyPlan, storeCellsOf, storeTriggerZones } from "./zones.ts";

/** A store's entry in the "offers near me" buckets. */
export function pointOf(store: Store) {
  return { merchantId: store.merchantId, storeId: store.storeId, ...store.location };
}

/**
 * The store a create or replace writes, with its footprint (and pickup bay) zones: the input
 * geocoded if needed (the previous store's point is kept for an unchanged address), built by
 * `buildStore` and its zone cells counted.
 *
 * @throws UnprocessableError naming `address` (no match) or a geometry field; a 503 naming
 * `address` when the geocoder is unavailable (before anything is written).
 */
async function storeToWrite(
  deps: CatalogDeps,
  input: StoreInput,
  at: { merchantId: string; storeId: string; previous?: Store },
): Promise<{ store: Store; zones: ZoneDefinition[] }> {
  const geocoded = await geocodeIfNeeded(deps, input, at.previous);
  const store = buildStore({ ...at, input, geocoded, nowIso: nowIso(deps) });
  const zones = storeZones(store);
  store.zoneCells = storeCellsOf(deps, zones);
  return { store, zones };
}

/**
 * Creates a store: validated input, geocoded if needed, time zone derived if absent, then the
 * catalog item and its footprint zone. If indexing fails the item is removed again, so a store
 * either exists and matches or does not exist.
 */
export async function createStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  input: StoreInput,
) {
  requireRole(principal, CATALOG_WRITE_ROLES);
  const { store, zones } = await storeToWrite(deps, input, {
    merchantId: principal.merchantId,
    storeId: deps.random.id(STORE_ID_PREFIX),
  });
  await deps.catalog.createStore(store);
  try {
    await applyPlan(deps, { put: zones, remove: [] });
    await deps.storePoints?.put(pointOf(store));
  } catch (error) {
    await bestEffort("remove store zones", () =>
      applyPlan(deps, { put: [], remove: zones.map((z) => z.zoneId) }),
    );
    await bestEffort("delete store", () =>
      deps.catalog.deleteStore(
        store.merchantId,
        store.storeId,
        store.version,
        undefined,
        store.externalRef,
      ),
    );
    throw error;
  }
  return storeView(store);
}

/**
 * Replaces a store (PUT) at the version `ifMatch` names (or the one just read). Moving it
 * re-indexes its footprint and the StoreRadius trigger zones of its active offers; if indexing
 * fails, the previous store and zones are put back.
 */
export async function replaceStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  input: StoreInput,
  ifMatch?: number,
) {
  const current = await itemToWrite(principal, "store", ifMatch, () =>
    currentStore(deps, principal.merchantId, storeId),
  );
  const { store: next, zones } = await storeToWrite(deps, input, {
    merchantId: principal.merchantId,
    storeId: current.storeId,
    previous: current,
  });

  const moved =
    current.location.lat !== next.location.lat || current.location.lon !== next.location.lon;
  const offers =
    moved && current.offerIds.length > 0
      ? await deps.catalog.getOffers(
          current.offerIds.map((offerId) => ({ merchantId: principal.merchantId, offerId })),
        )
      : [];
  const before = [...storeZones(current), ...storeTriggerZones(offers, current)];
  const after = [...zones, ...storeTriggerZones(offers, next)];

  await deps.catalog.replaceStore(next, current.version, current.externalRef);
  try {
    await applyPlan(deps, planZones(before, after));
    await deps.storePoints?.put(pointOf(next), current.location);
  } catch (error) {
    const restored: Store = { ...current, version: next.version + 1, updatedAt: nowIso(deps) };
    await bestEffort("restore store", () =>
      deps.catalog.replaceStore(restored, next.version, next.externalRef),
    );
    await bestEffort("restore zones", () => applyPlan(deps, planZones(after, before)));
    throw error;
  }
  return storeView(next);
}

/**
 * Updates a store with a JSON Merge Patch (RFC 7396) applied to its input representation
 * (`storeInputOf`): members sent replace, `null` removes, members absent stay. The result is
 * validated like a PUT body (errors name the merged field) and written at the version read, or
 * the one `ifMatch` names (409 if it moved on). See `mergePatchUseCase`.
 */
export const patchStore = /* @__PURE__ */ mergePatchUseCase({
  kind: "store",
  load: (deps, principal, storeId) => currentStore(deps, principal.merchantId, storeId),
  inputOf: storeInputOf,
  schema: storeInputSchema,
  idOf: (store) => store.storeId,
  replace: replaceStore,
});

/**
 * Deletes a store and its footprint zone. A store still listed by an offer (active or paused)
 * is refused with 409 naming `storeId` and the offers: silently shrinking offers would change
 * what merchants promised, and a paused offer may be resumed. Links left by an interrupted
 * offer update are repaired on the way. The zone goes first, so a deleted store never matches.
 */
export async function deleteStore(
  deps: CatalogDeps,
  principal: MerchantPrincipal,
  storeId: string | undefined,
  ifMatch?: number,
) {
  const { merchantId } = principal;
  const current = await itemToWrite(principal, "store", ifMatch, () =>
    currentStore(deps, principal.merchantId, storeId),
  );
  const id = current.storeId;
  if (current.offerIds.length > 0) {
    const offers = await deps.catalog.getOffers(
      current.offerIds.map((offerId) => ({ merchantId, offerId })),
    );
    const listing = offers.filter((o) => o.storeIds.includes(id)).map((o) => o.offerId);
    const stale = current.offerIds.filter((o) => !listing.includes(o));
    await deps.catalog.unlinkOffers(merchantId, id, stale);
    if (listing.length > 0) {
      throw new ConflictError(
        `storeId: offers ${listing.join(", ")} still list this store; remove it from them or delete them first.`,
        {
          issues: [{ path: "storeId", reason: "is still listed by offers" }],
          extensions: { offerIds: listing },
        },
      );
    }
  }
  const zones = storeZones(current);
  await applyPlan(deps, { put: [], remove: zones.map((z) => z.zoneId) });
  await deps.storePoints?.remove(id, current.location);
  try {
    await deps.catalog.deleteStore(merchantId, id, current.version, {
      ...current,
      deletedAt: nowIso(deps),
    });
  } catch (error) {
    await bestEffort("re-index store zones", () => applyPlan(deps, { put: zones, remove: [] }));
    await bestEffort("re-add store point", async () => deps.storePoints?.put(pointOf(current)));
    throw error;
  }
}
