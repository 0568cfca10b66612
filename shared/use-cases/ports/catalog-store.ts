import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";
import type { PageKey } from "../../http/cursor.ts";

export interface StoreKey {
  merchantId: string;
  storeId: string;
}

export interface OfferKey {
  merchantId: string;
  offerId: string;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; absent on the last page. */
  lastKey: PageKey | undefined;
}

/**
 * Read side of the catalog, also used by the ping path (zones carry merchant and store/offer
 * ids; these turn them back into entities).
 */
export interface CatalogReader {
  getStore(merchantId: string, storeId: string): Promise<Store | undefined>;
  /** The id of the merchant's store with this store code (`externalRef`), if any. */
  storeIdByRef(merchantId: string, externalRef: string): Promise<string | undefined>;
  getOffer(merchantId: string, offerId: string): Promise<Offer | undefined>;
  /** Stores that exist among `keys`, in no particular order (BatchGet, 100 per request). */
  getStores(keys: readonly StoreKey[]): Promise<Store[]>;
  /** Offers that exist among `keys`, in no particular order (BatchGet, 100 per request). */
  getOffers(keys: readonly OfferKey[]): Promise<Offer[]>;
}

/** A store or offer as it was when deleted: reports keep naming it while its counters live. */
export type Deleted<T> = T & { deletedAt: string };

/**
 * Read side of the snapshots kept at deletion (same partition as the live catalog, sort keys
 * `GONE#STORE#…` / `GONE#OFFER#…`, so listings of live stores and offers never see them).
 */
export interface DeletedCatalogReader {
  /** Deleted stores among `keys` (BatchGet), in no particular order. */
  getDeletedStores(keys: readonly StoreKey[]): Promise<Deleted<Store>[]>;
  /** Deleted offers among `keys` (BatchGet), in no particular order. */
  getDeletedOffers(keys: readonly OfferKey[]): Promise<Deleted<Offer>[]>;
  /** Every deleted offer of a merchant (one Query, paged). */
  listDeletedOffers(merchantId: string): Promise<Deleted<Offer>[]>;
}

/**
 * Port: stores and offers of merchants. Offers and the stores they list are linked both ways
 * (each store keeps the set of offers listing it) in the same transaction, so a store listed
 * by an offer cannot be deleted underneath it.
 */
export interface CatalogStore extends CatalogReader {
  listStores(merchantId: string, limit: number, startKey?: PageKey): Promise<Page<Store>>;
  listOffers(merchantId: string, limit: number, startKey?: PageKey): Promise<Page<Offer>>;
  /**
   * Creates a store and, when it has a store code, the code's uniqueness item in the same
   * transaction (409 naming `externalRef` when another store of the merchant has it).
   */
  createStore(store: Store): Promise<void>;
  /**
   * Replaces a store's fields if it is still at `expectedVersion`; its offer links are kept.
   * A changed store code moves its uniqueness item in the same transaction (409 naming
   * `externalRef` when taken). `previousRef` is the code the store had.
   */
  replaceStore(store: Store, expectedVersion: number, previousRef?: string): Promise<void>;
  /**
   * Deletes a store that no offer lists (409 otherwise), at `expectedVersion` if given. With
   * `snapshot`, what the store was is kept in the same transaction (reports still name it);
   * the uniqueness item of its store code (the snapshot's, or `storeCode`) goes with it.
   */
  deleteStore(
    merchantId: string,
    storeId: string,
    expectedVersion?: number,
    snapshot?: Deleted<Store>,
    storeCode?: string,
  ): Promise<void>;
  /** Clears a store's `indexPending` mark once its zones and point are indexed (at `version`). */
  markIndexed(merchantId: string, storeId: string, version: number): Promise<void>;
  /** `markIndexed` for many stores, in packed transactions (bulk import). */
  markIndexedMany(
    stores: readonly { merchantId: string; storeId: string; version: number }[],
  ): Promise<void>;
  /**
   * Store ids of a merchant's store codes, read strongly consistent in batches (bulk import);
   * codes no store has are absent from the map.
   */
  storeIdsByRefs(merchantId: string, refs: readonly string[]): Promise<Map<string, string>>;
  /** Stores read strongly consistent in batches (bulk import); missing ones are absent. */
  getStoresConsistent(keys: readonly StoreKey[]): Promise<Store[]>;
  /**
   * Creates new stores (each with its store code's uniqueness item) in packed transactions
   * (bulk import). Returns the ids of stores whose transaction was cancelled (an id or a code
   * taken meanwhile): nothing of those was written; create them one by one with `createStore`.
   */
  createStores(stores: readonly Store[]): Promise<Set<string>>;
  /** Drops offer links of a store (repairs links left by an interrupted offer update). */
  unlinkOffers(merchantId: string, storeId: string, offerIds: readonly string[]): Promise<void>;
  /** Creates an offer and links it to each listed store (404 naming `storeIds/i` if one is gone). */
  createOffer(offer: Offer): Promise<void>;
  /** Replaces an offer at `expectedVersion` and moves its store links from `previousStoreIds`. */
  replaceOffer(
    offer: Offer,
    expectedVersion: number,
    previousStoreIds: readonly string[],
  ): Promise<void>;
  /**
   * Deletes an offer at `expectedVersion` and unlinks it from its stores; with `deletedAt`,
   * what the offer was is kept in the same transaction (its report still names it).
   */
  deleteOffer(offer: Offer, expectedVersion: number, deletedAt?: string): Promise<void>;
}
