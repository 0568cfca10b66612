/**
 * The pure mapping from catalog entities to the zones the geofence index holds: one footprint
 * zone per store, one trigger zone per (active offer, listed store).
 */
import { coverZone } from "../geometry/cover.ts";
import { compileZone, decodeZone, encodeZone, type ZoneGeometry } from "../geometry/index.ts";
import { DEFAULT_FOOTPRINT_DWELL_SECONDS, type ZoneDefinition, zoneIds } from "../zone.ts";
import { bayZones } from "./bays.ts";
import { DEFAULT_TRIGGER_DWELL_SECONDS, type Offer } from "./offer.ts";
import type { Store } from "./store.ts";

function zoneOf(
  g: ZoneGeometry,
  base: Omit<ZoneDefinition, "geometry" | "characteristicRadiusM">,
): ZoneDefinition {
  return {
    ...base,
    geometry: encodeZone(g),
    characteristicRadiusM: compileZone(g).characteristicRadiusM,
  };
}

/** The store's footprint as an index zone: being inside for two minutes is a visit. */
export function footprintZone(store: Pick<Store, "merchantId" | "storeId" | "footprint">) {
  return zoneOf(store.footprint, {
    zoneId: zoneIds.footprint(store.storeId),
    kind: "footprint",
    merchantId: store.merchantId,
    storeId: store.storeId,
    dwellSeconds: DEFAULT_FOOTPRINT_DWELL_SECONDS,
  });
}

/**
 * Every zone a store owns: its footprint, then its pickup bays (`bay.{storeId}.{n}`). Replacing
 * a store plans from one list to the other, so bays removed leave the index.
 */
export function storeZones(
  store: Pick<Store, "merchantId" | "storeId" | "footprint" | "pickupBays">,
): ZoneDefinition[] {
  return [footprintZone(store), ...bayZones(store)];
}

/** The geometry that triggers `offer` for one store: a circle around it, or the explicit zone. */
export function triggerGeometry(offer: Pick<Offer, "triggerZone">, store: Pick<Store, "location">) {
  const zone = offer.triggerZone;
  if (zone === undefined) throw new Error("triggerGeometry: the offer has no trigger zone");
  if (zone.type === "StoreRadius") {
    const g: ZoneGeometry = {
      type: "Circle",
      center: { lat: store.location.lat, lon: store.location.lon },
      radiusM: zone.radiusM,
    };
    return g;
  }
  return zone as ZoneGeometry;
}

/** Ids of every trigger zone an offer owns when active (derived, no lookup needed). */
export function offerZoneIds(offer: Pick<Offer, "offerId" | "storeIds">): string[] {
  return offer.storeIds.map((storeId) => zoneIds.trigger(offer.offerId, storeId));
}

/**
 * The trigger zones of an offer: none while paused (a paused offer must not match) and none for
 * an offer that fires on pickup arrival (it is found through its stores), else one per listed
 * store. `stores` must hold every listed store.
 */
export function triggerZones(
  offer: Pick<Offer, "offerId" | "merchantId" | "storeIds" | "status" | "triggerZone" | "trigger">,
  stores: ReadonlyMap<string, Pick<Store, "location">>,
): ZoneDefinition[] {
  if (offer.status !== "active" || offer.triggerZone === undefined) return [];
  const dwellSeconds = offer.trigger.dwellSeconds ?? DEFAULT_TRIGGER_DWELL_SECONDS;
  return offer.storeIds.map((storeId) => {
    const store = stores.get(storeId);
    if (!store) throw new Error(`triggerZones: store ${storeId} was not provided`);
    return zoneOf(triggerGeometry(offer, store), {
      zoneId: zoneIds.trigger(offer.offerId, storeId),
      kind: "trigger",
      merchantId: offer.merchantId,
      storeId,
      offerId: offer.offerId,
      dwellSeconds,
    });
  });
}

/** What the index must do to go from the `previous` zones to the `next` ones. */
export interface ZonePlan {
  put: ZoneDefinition[];
  remove: string[];
}

function sameZone(a: ZoneDefinition, b: ZoneDefinition): boolean {
  return (
    a.zoneId === b.zoneId &&
    a.kind === b.kind &&
    a.merchantId === b.merchantId &&
    a.storeId === b.storeId &&
    a.offerId === b.offerId &&
    a.geometry === b.geometry &&
    a.characteristicRadiusM === b.characteristicRadiusM &&
    a.dwellSeconds === b.dwellSeconds
  );
}

/**
 * Puts the zones that are new or changed and removes those that disappear (stores taken off an
 * offer, an offer paused). Unchanged zones are left alone: renaming a 50-store offer must not
 * rewrite a hundred thousand index cells.
 */
export function planZones(
  previous: readonly ZoneDefinition[],
  next: readonly ZoneDefinition[],
): ZonePlan {
  const before = new Map(previous.map((z) => [z.zoneId, z]));
  const kept = new Set(next.map((z) => z.zoneId));
  return {
    put: next.filter((z) => {
      const old = before.get(z.zoneId);
      return !old || !sameZone(old, z);
    }),
    remove: [...before.keys()].filter((id) => !kept.has(id)),
  };
}

/**
 * The zone cover, memoised by encoded geometry: the use cases count cells (and refuse
 * unindexable zones) before writing, and the index then needs the same cover again, so each
 * is computed once. Bounded so a 5,000-store import cannot grow it without limit.
 */
export function memoizedZoneCover(maxEntries = 6_000): (zone: ZoneDefinition) => string[] {
  const cache = new Map<string, string[]>();
  return (zone) => {
    const hit = cache.get(zone.geometry);
    if (hit) return hit;
    const cells = coverZone(decodeZone(zone.geometry));
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(zone.geometry, cells);
    return cells;
  };
}
