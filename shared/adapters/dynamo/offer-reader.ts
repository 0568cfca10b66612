import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";
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
  const offers = new Map<string, { value: Offer | undefined; at: number }>();
  const stores = new Map<string, { value: Store | undefined; at: number }>();

  async function cached<K extends { merchantId: string }, V>(
    cache: Map<string, { value: V | undefined; at: number }>,
    refs: K[],
    id: (k: K) => string,
    idOf: (v: V) => string,
    load: (keys: K[]) => Promise<V[]>,
  ): Promise<Map<string, V>> {
    const now = clock.now();
    const out = new Map<string, V>();
    const missing = new Map<string, K>();
    for (const ref of refs) {
      const key = `${ref.merchantId}\n${id(ref)}`;
      const hit = cache.get(key);
      if (hit && now - hit.at < ttlMs) {
        if (hit.value !== undefined) out.set(id(ref), hit.value);
      } else missing.set(key, ref);
    }
    if (missing.size > 0) {
      const loaded = await load([...missing.values()]);
      const byId = new Map(loaded.map((v) => [idOf(v), v]));
      for (const [key, ref] of missing) {
        const value = byId.get(id(ref));
        cache.set(key, { value, at: now });
        if (value !== undefined) out.set(id(ref), value);
      }
    }
    return out;
  }

  return {
    offers: (refs) =>
      cached(
        offers,
        refs,
        (r) => r.offerId,
        (o: Offer) => o.offerId,
        (keys) => reader.getOffers(keys),
      ),
    stores: (refs) =>
      cached(
        stores,
        refs,
        (r) => r.storeId,
        (s: Store) => s.storeId,
        (keys) => reader.getStores(keys),
      ),
  };
}
