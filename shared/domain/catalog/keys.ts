/**
 * Catalog table keys. Everything of a merchant shares one partition, so listing is one Query,
 * and a key can only be built from the caller's own merchant id: another tenant's id simply
 * finds nothing.
 */
export const catalogKeys = {
  partition: (merchantId: string) => `MERCHANT#${merchantId}`,
  store: (merchantId: string, storeId: string) => ({
    pk: `MERCHANT#${merchantId}`,
    sk: `STORE#${storeId}`,
  }),
  offer: (merchantId: string, offerId: string) => ({
    pk: `MERCHANT#${merchantId}`,
    sk: `OFFER#${offerId}`,
  }),
  /** The uniqueness item of a merchant's store code (`externalRef`): names the store using it. */
  storeCode: (merchantId: string, externalRef: string) => ({
    pk: `MERCHANT#${merchantId}`,
    sk: `STORECODE#${externalRef}`,
  }),
  /** What a deleted store was (name, store code, zone), kept so reports can still name it. */
  deletedStore: (merchantId: string, storeId: string) => ({
    pk: `MERCHANT#${merchantId}`,
    sk: `GONE#STORE#${storeId}`,
  }),
  /** What a deleted offer was (name, facts, costs), kept so reports can still name it. */
  deletedOffer: (merchantId: string, offerId: string) => ({
    pk: `MERCHANT#${merchantId}`,
    sk: `GONE#OFFER#${offerId}`,
  }),
  deletedOfferPrefix: "GONE#OFFER#",
  /** Merchant-wide settings (quiet hours): one item per merchant. */
  settings: (merchantId: string) => ({ pk: `MERCHANT#${merchantId}`, sk: "SETTINGS" }),
  storePrefix: "STORE#",
  offerPrefix: "OFFER#",
};
