/**
 * Names for reports: stores (name and the merchant's store code) and offers, from the live
 * catalog, falling back to what was kept of deleted ones. Two BatchGets per kind at most.
 */

import type { NameBook, OfferLabel, StoreLabel } from "../../domain/reports/name-book.ts";
import type { CatalogReader, DeletedCatalogReader } from "../ports/catalog-store.ts";

/** The catalog reads names need. */
export type NameCatalog = Pick<CatalogReader, "getStores" | "getOffers"> &
  Pick<DeletedCatalogReader, "getDeletedStores" | "getDeletedOffers">;

/** Labels of `storeIds` (live first, then deleted); unknown ids are left out. */
export async function storeLabels(
  catalog: NameCatalog,
  merchantId: string,
  storeIds: Iterable<string>,
): Promise<Map<string, StoreLabel>> {
  const ids = [...new Set(storeIds)];
  const out = new Map<string, StoreLabel>();
  if (ids.length === 0) return out;
  for (const s of await catalog.getStores(ids.map((storeId) => ({ merchantId, storeId })))) {
    out.set(s.storeId, {
      name: s.name,
      storeCode: s.externalRef ?? null,
      timeZone: s.timeZone,
      deletedAt: null,
    });
  }
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length > 0) {
    const gone = await catalog.getDeletedStores(
      missing.map((storeId) => ({ merchantId, storeId })),
    );
    for (const s of gone) {
      out.set(s.storeId, {
        name: s.name,
        storeCode: s.externalRef ?? null,
        timeZone: s.timeZone,
        deletedAt: s.deletedAt,
      });
    }
  }
  return out;
}

/** Labels of `offerIds` (live first, then deleted); unknown ids are left out. */
export async function offerLabels(
  catalog: NameCatalog,
  merchantId: string,
  offerIds: Iterable<string>,
): Promise<Map<string, OfferLabel>> {
  const ids = [...new Set(offerIds)];
  const out = new Map<string, OfferLabel>();
  if (ids.length === 0) return out;
  for (const o of await catalog.getOffers(ids.map((offerId) => ({ merchantId, offerId })))) {
    out.set(o.offerId, { name: o.name, deletedAt: null });
  }
  const missing = ids.filter((id) => !out.has(id));
  if (missing.length > 0) {
    const gone = await catalog.getDeletedOffers(
      missing.map((offerId) => ({ merchantId, offerId })),
    );
    for (const o of gone) out.set(o.offerId, { name: o.name, deletedAt: o.deletedAt });
  }
  return out;
}

/** Names of every store and offer in `ids`. */
export async function nameBook(
  catalog: NameCatalog,
  merchantId: string,
  ids: { storeIds: Iterable<string>; offerIds: Iterable<string> },
): Promise<NameBook> {
  const [stores, offers] = await Promise.all([
    storeLabels(catalog, merchantId, ids.storeIds),
    offerLabels(catalog, merchantId, ids.offerIds),
  ]);
  return { stores, offers };
}

/** The zone most of `labels` share, or undefined when none is known. */
export function commonTimeZone(labels: Iterable<StoreLabel>): string | undefined {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l.timeZone, (counts.get(l.timeZone) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
