/**
 * Names for reports: stores (name and the merchant's store code) and offers, from the live
 * catalog, falling back to what was kept of deleted ones. Two BatchGets per kind at most.
 */

import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";
import type { NameBook, OfferLabel, StoreLabel } from "../../domain/reports/name-book.ts";
import type { CatalogReader, Deleted, DeletedCatalogReader } from "../ports/catalog-store.ts";

/** The catalog reads names need. */
export type NameCatalog = Pick<CatalogReader, "getStores" | "getOffers"> &
  Pick<DeletedCatalogReader, "getDeletedStores" | "getDeletedOffers">;

/**
 * Labels of `ids` from the live items first, then from what was kept of deleted ones (reports
 * outlive their subjects); unknown ids are left out. At most two reads, none for no ids.
 */
async function labelsOf<T, L>(
  ids: Iterable<string>,
  reads: {
    live: (ids: string[]) => Promise<T[]>;
    deleted: (ids: string[]) => Promise<Deleted<T>[]>;
    idOf: (item: T) => string;
    label: (item: T, deletedAt: string | null) => L;
  },
): Promise<Map<string, L>> {
  const wanted = [...new Set(ids)];
  const out = new Map<string, L>();
  if (wanted.length === 0) return out;
  for (const item of await reads.live(wanted)) out.set(reads.idOf(item), reads.label(item, null));
  const missing = wanted.filter((id) => !out.has(id));
  if (missing.length > 0) {
    for (const item of await reads.deleted(missing)) {
      out.set(reads.idOf(item), reads.label(item, item.deletedAt));
    }
  }
  return out;
}

/** Labels of `storeIds` (live first, then deleted); unknown ids are left out. */
export function storeLabels(
  catalog: NameCatalog,
  merchantId: string,
  storeIds: Iterable<string>,
): Promise<Map<string, StoreLabel>> {
  const keys = (ids: string[]) => ids.map((storeId) => ({ merchantId, storeId }));
  return labelsOf<Store, StoreLabel>(storeIds, {
    live: (ids) => catalog.getStores(keys(ids)),
    deleted: (ids) => catalog.getDeletedStores(keys(ids)),
    idOf: (s) => s.storeId,
    label: (s, deletedAt) => ({
      name: s.name,
      storeCode: s.externalRef ?? null,
      timeZone: s.timeZone,
      deletedAt,
    }),
  });
}

/** Names of every store and offer in `ids` (live first, then deleted); unknown ids are left out. */
export async function nameBook(
  catalog: NameCatalog,
  merchantId: string,
  ids: { storeIds: Iterable<string>; offerIds: Iterable<string> },
): Promise<NameBook> {
  const keys = (offerIds: string[]) => offerIds.map((offerId) => ({ merchantId, offerId }));
  const [stores, offers] = await Promise.all([
    storeLabels(catalog, merchantId, ids.storeIds),
    labelsOf<Offer, OfferLabel>(ids.offerIds, {
      live: (offerIds) => catalog.getOffers(keys(offerIds)),
      deleted: (offerIds) => catalog.getDeletedOffers(keys(offerIds)),
      idOf: (o) => o.offerId,
      label: (o, deletedAt) => ({ name: o.name, deletedAt }),
    }),
  ]);
  return { stores, offers };
}

/** The zone most of `labels` share, or undefined when none is known. */
export function commonTimeZone(labels: Iterable<StoreLabel>): string | undefined {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l.timeZone, (counts.get(l.timeZone) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
