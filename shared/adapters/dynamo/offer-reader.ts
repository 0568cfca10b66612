import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { catalogKeys } from "../../domain/catalog/keys.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";
import type { Clock } from "../../ports.ts";

/** Port: read-only view of offers and stores for the decision step. */
export interface OfferReader {
  offers(refs: { merchantId: string; offerId: string }[]): Promise<Map<string, Offer>>;
  stores(refs: { merchantId: string; storeId: string }[]): Promise<Map<string, Store>>;
}

/**
 * Catalog reads for the hot path, batched and cached per instance for `ttlMs` (the same bounded
 * staleness as the geofence cache), so repeated triggers of one offer cost one read a minute.
 */
export function cachedOfferReader(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
  ttlMs: number,
): OfferReader {
  const cache = new Map<string, { item: Record<string, unknown> | undefined; at: number }>();

  async function read(
    keys: { pk: string; sk: string }[],
  ): Promise<Map<string, Record<string, unknown>>> {
    const now = clock.now();
    const found = new Map<string, Record<string, unknown>>();
    const missing: { pk: string; sk: string }[] = [];
    for (const key of keys) {
      const id = `${key.pk}|${key.sk}`;
      const hit = cache.get(id);
      if (hit && now - hit.at < ttlMs) {
        if (hit.item) found.set(id, hit.item);
      } else if (!missing.some((m) => m.pk === key.pk && m.sk === key.sk)) missing.push(key);
    }
    for (let i = 0; i < missing.length; i += 100) {
      let pending: Record<string, unknown>[] = missing.slice(i, i + 100);
      const seen = new Set<string>();
      for (let attempt = 0; pending.length > 0 && attempt < 6; attempt++) {
        const out = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
        );
        for (const item of out.Responses?.[tableName] ?? []) {
          const id = `${item.pk}|${item.sk}`;
          seen.add(id);
          cache.set(id, { item, at: now });
          found.set(id, item);
        }
        pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
      for (const key of missing.slice(i, i + 100)) {
        const id = `${key.pk}|${key.sk}`;
        if (!seen.has(id)) cache.set(id, { item: undefined, at: now });
      }
    }
    return found;
  }

  return {
    async offers(refs) {
      const keys = refs.map((r) => catalogKeys.offer(r.merchantId, r.offerId));
      const items = await read(keys);
      const out = new Map<string, Offer>();
      for (const item of items.values()) {
        if (item.sk && String(item.sk).startsWith(catalogKeys.offerPrefix)) {
          out.set(item.offerId as string, item as unknown as Offer);
        }
      }
      return out;
    },
    async stores(refs) {
      const keys = refs.map((r) => catalogKeys.store(r.merchantId, r.storeId));
      const items = await read(keys);
      const out = new Map<string, Store>();
      for (const item of items.values()) {
        if (item.sk && String(item.sk).startsWith(catalogKeys.storePrefix)) {
          out.set(item.storeId as string, item as unknown as Store);
        }
      }
      return out;
    },
  };
}
