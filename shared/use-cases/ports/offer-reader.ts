/** Port: OfferReader (implemented by shared/adapters/dynamo/offer-reader.ts). */
import type { Offer } from "../../domain/catalog/offer.ts";
import type { Store } from "../../domain/catalog/store.ts";

/** Port: read-only view of offers and stores for the decision step and nearby offers. */
export interface OfferReader {
  offers(refs: { merchantId: string; offerId: string }[]): Promise<Map<string, Offer>>;
  stores(refs: { merchantId: string; storeId: string }[]): Promise<Map<string, Store>>;
}
