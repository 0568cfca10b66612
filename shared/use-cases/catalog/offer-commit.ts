import type { Offer, Store } from "../../domain/catalog/index.ts";
import { planZones, triggerZones } from "../../domain/catalog/zones.ts";
import { bestEffort } from "./compensation.ts";
import type { CatalogDeps } from "./deps.ts";
import { applyPlan, zoneCellsOf } from "./zones.ts";

/**
 * Writes `next` over `current` and moves the index from the zones of one to those of the
 * other (zones of removed stores or of a paused offer disappear). If indexing fails, the
 * previous offer and its zones are put back.
 */
export async function commitOffer(
  deps: CatalogDeps,
  current: Offer,
  next: Offer,
  stores: ReadonlyMap<string, Store>,
): Promise<Offer> {
  const before = triggerZones(current, stores);
  const after = triggerZones(next, stores);
  const plan = planZones(before, after);
  next.zoneCells =
    plan.put.length === 0 && plan.remove.length === 0
      ? current.zoneCells
      : zoneCellsOf(deps, after);
  await deps.catalog.replaceOffer(next, current.version, current.storeIds);
  try {
    await applyPlan(deps, plan);
  } catch (error) {
    const restored: Offer = { ...current, version: next.version + 1, updatedAt: next.updatedAt };
    await bestEffort("restore offer", () =>
      deps.catalog.replaceOffer(restored, next.version, next.storeIds),
    );
    await bestEffort("restore zones", () => applyPlan(deps, planZones(after, before)));
    throw error;
  }
  return next;
}
