/**
 * Port: what an offer's derived state needs beyond the offer itself — incentives sent so far
 * (budget use) and the time zones of its stores.
 */
export interface OfferStateReader {
  /** Incentives sent per offer id (absent = 0). Eventually consistent: a display value. */
  sentCounts(offerIds: readonly string[]): Promise<Map<string, number>>;
  /** IANA time zone per store id of the merchant (missing stores are absent). */
  storeTimeZones(merchantId: string, storeIds: readonly string[]): Promise<Map<string, string>>;
}
