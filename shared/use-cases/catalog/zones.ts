import { forEachLimit } from "../../concurrency.ts";
import type { Offer, Store } from "../../domain/catalog/index.ts";
import { triggerZones, type ZonePlan } from "../../domain/catalog/zones.ts";
import type { ZoneDefinition } from "../../domain/zone.ts";
import { UnprocessableError } from "../../errors.ts";
import type { CatalogDeps } from "./deps.ts";

/** Puts then removes the zones of `plan` in the index, `concurrency` at a time (default 8). */
export async function applyPlan(
  deps: CatalogDeps,
  plan: ZonePlan,
  concurrency?: number,
): Promise<void> {
  const limit = concurrency ?? deps.indexConcurrency ?? 8;
  await forEachLimit(plan.put, limit, async (zone) => {
    await deps.geoIndex.putZone(zone);
  });
  await forEachLimit(plan.remove, limit, (zoneId) => deps.geoIndex.removeZone(zoneId));
}

/** Cell count of a zone's cover; a zone too intricate to index is the caller's 422. */
export function cellsOf(
  deps: Pick<CatalogDeps, "cover">,
  zone: ZoneDefinition,
  path: string,
): number {
  try {
    return deps.cover(zone).length;
  } catch (error) {
    if (error instanceof UnprocessableError && !error.issues) {
      throw UnprocessableError.field(path, error.detail);
    }
    throw error;
  }
}

/**
 * Cells of a store's zones (footprint, then bays), each checked indexable; errors name the
 * footprint or `pickupBays/{n}/geometry`.
 */
export function storeCellsOf(deps: Pick<CatalogDeps, "cover">, zones: readonly ZoneDefinition[]) {
  return zones.reduce(
    (sum, zone, i) =>
      sum + cellsOf(deps, zone, i === 0 ? "footprint" : `pickupBays/${i - 1}/geometry`),
    0,
  );
}

/** Cells of the trigger zones of an offer (422 naming `triggerZone` when one is too intricate). */
export function zoneCellsOf(deps: CatalogDeps, zones: readonly ZoneDefinition[]): number {
  return zones.reduce((sum, zone) => sum + cellsOf(deps, zone, "triggerZone"), 0);
}

/** Trigger zones of the offers listing `store`, as they are with that store's location. */
export function storeTriggerZones(offers: readonly Offer[], store: Store): ZoneDefinition[] {
  const zones: ZoneDefinition[] = [];
  const stores = new Map([[store.storeId, store]]);
  for (const offer of offers) {
    if (offer.status !== "active" || !offer.storeIds.includes(store.storeId)) continue;
    const only = { ...offer, storeIds: [store.storeId] };
    zones.push(...triggerZones(only, stores));
  }
  return zones;
}
