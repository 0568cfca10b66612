import type { Clock } from "../../ports.ts";
import type { CatalogReader } from "../../use-cases/ports/catalog-store.ts";
import type { OfferReader } from "../../use-cases/ports/offer-reader.ts";

export type { OfferReader };

/**
 * Catalog reads for the hot path, batched and cached per instance for `ttlMs` (the same bounded
 * staleness as the geofence cache), so repeated triggers of one offer cost one read a minute.
 * Misses (deleted offers) are cached too.
 */
export function cachedOfferReader(
  reader: Pick<CatalogReader, "getOffers" | "getStores">,
  clock: Clock,
  ttlMs: number,
): OfferReader {
  /**
   * A batched, cached lookup by `field` (the id within a merchant): one `load` of every ref not
   * read within `ttlMs`; what `load` does not return is cached as a miss.
   */
  function cachedBy<F extends "offerId" | "storeId", V extends Record<F, string>>(
    field: F,
    load: (keys: ({ merchantId: string } & Record<F, string>)[]) => Promise<V[]>,
  ) {
    const cache = new Map<string, { value: V | undefined; at: number }>();
    return async (refs: ({ merchantId: string } & Record<F, string>)[]) => {
      const now = clock.now();
      const out = new Map<string, V>();
      const missing = new Map<string, (typeof refs)[number]>();
      for (const ref of refs) {
        const key = `${ref.merchantId}\n${ref[field]}`;
        const hit = cache.get(key);
        if (hit && now - hit.at < ttlMs) {
          if (hit.value !== undefined) out.set(ref[field], hit.value);
        } else missing.set(key, ref);
      }
      if (missing.size > 0) {
        const loaded = await load([...missing.values()]);
        const byId = new Map<string, V>(loaded.map((v) => [v[field], v]));
        for (const [key, ref] of missing) {
          const value = byId.get(ref[field]);
          cache.set(key, { value, at: now });
          if (value !== undefined) out.set(ref[field], value);
        }
      }
      return out;
    };
  }

  return {
    offers: cachedBy("offerId", (keys) => reader.getOffers(keys)),
    stores: cachedBy("storeId", (keys) => reader.getStores(keys)),
  };
}
