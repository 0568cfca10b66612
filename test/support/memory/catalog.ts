/**
 * In-memory catalog keyed by merchant, like the catalog partition: live stores and offers, and
 * the snapshots kept at deletion. Implements the catalog read ports (a port change breaks it at
 * typecheck) plus `listOffers`, paged like the DynamoDB adapter.
 */
import type { Offer } from "../../../shared/domain/catalog/offer.ts";
import type { Store } from "../../../shared/domain/catalog/store.ts";
import type {
  CatalogReader,
  CatalogStore,
  Deleted,
  DeletedCatalogReader,
  Page,
} from "../../../shared/use-cases/ports/catalog-store.ts";
import { storedOffer, storedStore } from "../catalog-items.ts";

/** The catalog in memory; `listCalls` counts listings (reports must not list per request). */
export class MemoryCatalog
  implements CatalogReader, DeletedCatalogReader, Pick<CatalogStore, "listOffers">
{
  readonly stores = new Map<string, Store>();
  readonly offers = new Map<string, Offer>();
  listCalls = 0;

  async storeIdByRef(merchantId: string, externalRef: string): Promise<string | undefined> {
    for (const store of this.stores.values()) {
      if (store.merchantId === merchantId && store.externalRef === externalRef) {
        return store.storeId;
      }
    }
    return undefined;
  }

  addStore(merchantId: string, storeId: string, timeZone = "Europe/Paris"): void {
    this.stores.set(`${merchantId}|${storeId}`, storedStore(merchantId, storeId, timeZone));
  }

  addOffer(merchantId: string, offerId: string, patch: Partial<Offer> = {}): void {
    this.offers.set(
      `${merchantId}|${offerId}`,
      storedOffer(merchantId, offerId, { validTo: "2027-01-01T00:00:00.000Z", ...patch }),
    );
  }

  readonly deletedStores = new Map<string, Deleted<Store>>();
  readonly deletedOffers = new Map<string, Deleted<Offer>>();

  /** Deletes like the catalog does: what the store or offer was is kept. */
  deleteStore(merchantId: string, storeId: string, deletedAt: string): void {
    const store = this.stores.get(`${merchantId}|${storeId}`);
    if (!store) return;
    this.stores.delete(`${merchantId}|${storeId}`);
    this.deletedStores.set(`${merchantId}|${storeId}`, { ...store, deletedAt });
  }

  deleteOffer(merchantId: string, offerId: string, deletedAt: string): void {
    const offer = this.offers.get(`${merchantId}|${offerId}`);
    if (!offer) return;
    this.offers.delete(`${merchantId}|${offerId}`);
    this.deletedOffers.set(`${merchantId}|${offerId}`, { ...offer, deletedAt });
  }

  async getStore(merchantId: string, storeId: string) {
    return this.stores.get(`${merchantId}|${storeId}`);
  }

  async getStores(keys: readonly { merchantId: string; storeId: string }[]) {
    return keys.flatMap((k) => this.stores.get(`${k.merchantId}|${k.storeId}`) ?? []);
  }

  async getOffers(keys: readonly { merchantId: string; offerId: string }[]) {
    return keys.flatMap((k) => this.offers.get(`${k.merchantId}|${k.offerId}`) ?? []);
  }

  async getDeletedStores(keys: readonly { merchantId: string; storeId: string }[]) {
    return keys.flatMap((k) => this.deletedStores.get(`${k.merchantId}|${k.storeId}`) ?? []);
  }

  async getDeletedOffers(keys: readonly { merchantId: string; offerId: string }[]) {
    return keys.flatMap((k) => this.deletedOffers.get(`${k.merchantId}|${k.offerId}`) ?? []);
  }

  async listDeletedOffers(merchantId: string) {
    return [...this.deletedOffers.values()].filter((o) => o.merchantId === merchantId);
  }

  async getOffer(merchantId: string, offerId: string) {
    return this.offers.get(`${merchantId}|${offerId}`);
  }

  async listOffers(
    merchantId: string,
    limit: number,
    startKey?: Record<string, string>,
  ): Promise<Page<Offer>> {
    this.listCalls += 1;
    const all = [...this.offers.values()]
      .filter((o) => o.merchantId === merchantId)
      .sort((a, b) => (a.offerId < b.offerId ? -1 : 1));
    const from = startKey ? all.findIndex((o) => o.offerId > String(startKey.offerId)) : 0;
    const items = from < 0 ? [] : all.slice(from, from + limit);
    const last = items[items.length - 1];
    return {
      items,
      lastKey:
        from >= 0 && from + limit < all.length && last ? { offerId: last.offerId } : undefined,
    };
  }
}
