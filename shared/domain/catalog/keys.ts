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
  storePrefix: "STORE#",
  offerPrefix: "OFFER#",
};
