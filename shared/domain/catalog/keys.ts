/**
 * Catalog table keys. Everything of a merchant shares one partition, so listing is one Query,
 * and a key can only be built from the caller's own merchant id: another tenant's id simply
 * finds nothing.
 */

/** The partition of everything a merchant has in the catalog table: `MERCHANT#<merchantId>`. */
function merchantPartition(merchantId: string): string {
  return `MERCHANT#${merchantId}`;
}

/** An item of the merchant's partition, under sort key `sk`. */
export function merchantItemKey(merchantId: string, sk: string): { pk: string; sk: string } {
  return { pk: merchantPartition(merchantId), sk };
}

export const catalogKeys = {
  partition: merchantPartition,
  store: (merchantId: string, storeId: string) => merchantItemKey(merchantId, `STORE#${storeId}`),
  offer: (merchantId: string, offerId: string) => merchantItemKey(merchantId, `OFFER#${offerId}`),
  /** The uniqueness item of a merchant's store code (`externalRef`): names the store using it. */
  storeCode: (merchantId: string, externalRef: string) =>
    merchantItemKey(merchantId, `STORECODE#${externalRef}`),
  /** What a deleted store was (name, store code, zone), kept so reports can still name it. */
  deletedStore: (merchantId: string, storeId: string) =>
    merchantItemKey(merchantId, `GONE#STORE#${storeId}`),
  /** What a deleted offer was (name, facts, costs), kept so reports can still name it. */
  deletedOffer: (merchantId: string, offerId: string) =>
    merchantItemKey(merchantId, `GONE#OFFER#${offerId}`),
  deletedOfferPrefix: "GONE#OFFER#",
  /** Merchant-wide settings (quiet hours): one item per merchant. */
  settings: (merchantId: string) => merchantItemKey(merchantId, "SETTINGS"),
  storePrefix: "STORE#",
  offerPrefix: "OFFER#",
};
