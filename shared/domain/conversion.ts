/**
 * The footfall conversion log: one append-only record per funnel event, plus counters per
 * offer × store × store-local day maintained in the same transaction as the event, so reports
 * never scan the log. Device ids are pseudonymous (keyed HMAC scoped to the merchant).
 */

export const CONVERSION_TYPES = [
  "triggered",
  "sent",
  "held_out",
  "suppressed",
  "visited",
  "attributed_visit",
  "redeemed",
  "expired",
  "claimed",
  "exposed",
  "credited_visit",
  "stage_changed",
] as const;
export type ConversionType = (typeof CONVERSION_TYPES)[number];

export interface ConversionRecord {
  eventId: string;
  type: ConversionType;
  merchantId: string;
  /** Absent for visits that no offer explains (`visited`). */
  offerId?: string | undefined;
  storeId: string;
  /** Pseudonymous device id, stable within a merchant. */
  deviceRef: string;
  /** When the funnel event happened (epoch ms). */
  at: number;
  /** Store-local day of `at` (YYYY-MM-DD): the counters' bucket. */
  localDay: string;
  incentiveId?: string | undefined;
  /** `suppressed:<reason>` detail. */
  reason?: string | undefined;
  /** `treated` (sent) or `holdout` for attributed visits and decisions. */
  group?: "treated" | "holdout" | undefined;
  /** Seconds from sent/held_out to the visit (attributed_visit). */
  timeToVisitS?: number | undefined;
  /** What fired the decision: a trigger-zone entry or dwell, or a pickup order's arrival. */
  trigger?: "entered" | "dwelled" | "pickup_arrived" | undefined;
  /** Basket total paid at redemption, minor units of `basketCurrency` (`redeemed` only). */
  basketMinor?: number | undefined;
  basketCurrency?: string | undefined;
  /**
   * Online touches (`claimed`, `exposed`, and sends, visits and redemptions of touches): the
   * channel (`geofence` for sends), the creative variant, the claim link, and what made the touch.
   */
  channel?: string | undefined;
  variant?: string | undefined;
  linkId?: string | undefined;
  touch?: "geofence" | "claim" | "exposure" | "web_claim" | undefined;
  /**
   * Journey (`stage_changed`: the stage entered and the one left; `visited`: the stage right
   * after the visit). See domain/journey.
   */
  stage?: string | undefined;
  previousStage?: string | undefined;
}

/** Store id of log records of online touches (a claim or exposure happens at no store). */
export const ONLINE = "-";

/**
 * Whether a code came from an online touch (a claim link, in the app or on a web page) rather
 * than a geofence send. Its redemption or expiry counts on the offer's counters apart from the
 * geofence funnel (`onlineRedemptions`, `onlineExpired`), so the funnel's redemptions stay a
 * part of its sends; the channel report measures the online side.
 */
export function isOnlineTouch(touch: ConversionRecord["touch"]): boolean {
  return touch === "claim" || touch === "web_claim" || touch === "exposure";
}

/** Counter attribute names on a counters item. */
export const COUNTER_FIELDS = {
  triggered: "triggered",
  sent: "sent",
  heldOut: "heldOut",
  suppressed: "suppressed",
  suppressedBy: (reason: string) => `suppressed_${reason}`,
  visits: "visits",
  attributedTreated: "attributedTreated",
  attributedHoldout: "attributedHoldout",
  redemptions: "redemptions",
  expired: "expired",
  /** Codes claimed online (see `isOnlineTouch`) redeemed at a store, or expired unredeemed. */
  onlineRedemptions: "onlineRedemptions",
  onlineExpired: "onlineExpired",
  /** Redemptions that reported a basket, and the sum of their baskets (minor units). */
  baskets: "baskets",
  basketMinor: "basketMinor",
  /** Time-to-visit histogram bucket (see `timeToVisitBucket`). */
  ttvBucket: (bucket: number) => `ttv_${bucket}`,
} as const;

/**
 * Time-to-visit histogram buckets in minutes (upper bounds). Counters keep a histogram instead
 * of raw values so a report can give the median without reading the log.
 */
export const TTV_BUCKET_MINUTES = [
  5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 2880, 4320, 7200, 10080,
  20160, 43200,
] as const;

/** Index of the histogram bucket a time-to-visit falls in. */
export function timeToVisitBucket(seconds: number): number {
  const minutes = seconds / 60;
  const i = TTV_BUCKET_MINUTES.findIndex((upper) => minutes <= upper);
  return i === -1 ? TTV_BUCKET_MINUTES.length - 1 : i;
}

/** Conversions table keys. */
export const conversionKeys = {
  /** Log by merchant, newest-first via descending sort on `sk`. */
  record: (merchantId: string, at: number, eventId: string) => ({
    pk: `LOG#${merchantId}`,
    sk: `${new Date(at).toISOString()}#${eventId}`,
  }),
  logPartition: (merchantId: string) => `LOG#${merchantId}`,
  /** Secondary access path: the log of one offer. */
  offerLogPartition: (merchantId: string, offerId: string) => `LOGOFFER#${merchantId}#${offerId}`,
  /** Counters per offer × store × local day. Visits with no offer use offerId "-". */
  offerCounters: (merchantId: string, offerId: string, storeId: string, localDay: string) => ({
    pk: `CNT#${merchantId}#OFFER#${offerId}`,
    sk: `${localDay}#${storeId}`,
  }),
  offerCounterPartition: (merchantId: string, offerId: string) =>
    `CNT#${merchantId}#OFFER#${offerId}`,
  /** Counters per store × local day × offer (store report). */
  storeCounters: (merchantId: string, storeId: string, localDay: string, offerId: string) => ({
    pk: `CNT#${merchantId}#STORE#${storeId}`,
    sk: `${localDay}#${offerId}`,
  }),
  storeCounterPartition: (merchantId: string, storeId: string) =>
    `CNT#${merchantId}#STORE#${storeId}`,
};

/** Full item for a log record, with the offer access path filled in. */
export function conversionItem(
  record: ConversionRecord,
  expiresAt: number,
): Record<string, unknown> {
  const key = conversionKeys.record(record.merchantId, record.at, record.eventId);
  return {
    ...key,
    gsi1pk: conversionKeys.offerLogPartition(record.merchantId, record.offerId ?? "-"),
    gsi1sk: key.sk,
    ...record,
    expiresAt,
  };
}

/** Offer id used in counters for visits no offer explains. */
export const NO_OFFER = "-";
