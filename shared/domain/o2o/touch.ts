/**
 * Touches: every way an offer reached a person — a geofence send, a claim of a link, an in-app
 * exposure — with its channel and creative variant. Touch counters (per offer × local day ×
 * channel × variant) feed the channel report; the last-touch rule decides which touch a store
 * visit is credited to. Pure.
 */
import { createHash } from "node:crypto";
import { mergeBumpsBy } from "../counter-bumps.ts";
import { DEFAULT_VARIANT } from "./link.ts";

/** What created the touch. */
export type TouchKind = "geofence" | "claim" | "exposure";

/** Message variant of a geofence send (an offer may define several; one is picked per person). */
export interface MessageVariant {
  variantId: string;
  title: string;
  body: string;
  deepLink?: string | undefined;
}

/**
 * The variant of an offer's message a person gets: uniform over the offer's variants from a
 * SHA-256 bucket of (person or device, offer), salted apart from the holdout draw so variant and
 * group are independent. Stable: the same person sees the same variant on every install and send.
 * Without variants: `DEFAULT_VARIANT` and the offer's own message.
 */
export function assignVariant<V extends { variantId: string }>(
  unit: string,
  offerId: string,
  variants: readonly V[] | undefined,
): V | undefined {
  if (!variants || variants.length === 0) return undefined;
  const digest = createHash("sha256")
    .update(`footfall-variant\u0000${offerId}\u0000${unit}`)
    .digest();
  return variants[digest.readUIntBE(0, 6) % variants.length];
}

/** The variant id reported for a geofence send. */
export function variantIdOf(variant: { variantId: string } | undefined): string {
  return variant?.variantId ?? DEFAULT_VARIANT;
}

/** Counter attribute names on a touch counters item. */
export const TOUCH_FIELDS = {
  /** Assignments by kind and group (first claim / exposure of a person per link; each send). */
  claimsTreated: "claimsTreated",
  claimsHoldout: "claimsHoldout",
  exposuresTreated: "exposuresTreated",
  exposuresHoldout: "exposuresHoldout",
  sendsTreated: "sendsTreated",
  sendsHoldout: "sendsHoldout",
  /** Claims or exposures refused (no consent, budget, caps...), with `suppressed_<reason>`. */
  suppressed: "suppressed",
  suppressedBy: (reason: string) => `suppressed_${reason}`,
  /** First visit within the attribution window after a touch, by the touch's group. */
  visitsTreated: "visitsTreated",
  visitsHoldout: "visitsHoldout",
  /** Visits credited to the touch under the last-touch rule. */
  credited: "credited",
  /** Codes of the touch redeemed. */
  redemptions: "redemptions",
  /** Claims from a web page without a device, and their redemptions. */
  webClaims: "webClaims",
  webRedemptions: "webRedemptions",
  /** Repeated exposures of a person already assigned (impressions beyond the first). */
  repeatExposures: "repeatExposures",
  /** Time-to-visit histogram (treated), same buckets as the offer counters. */
  ttvBucket: (bucket: number) => `ttv_${bucket}`,
} as const;

/** One increment of the touch counters of offer × day × channel × variant. */
export interface TouchBump {
  merchantId: string;
  offerId: string;
  localDay: string;
  channel: string;
  variant: string;
  fields: Record<string, number>;
}

/** The increment `fields` of the touch counters of `offer` × `localDay` × the touch's channel and variant. */
export function touchBump(
  offer: { merchantId: string; offerId: string },
  touch: { channel: string; variant: string },
  localDay: string,
  fields: Record<string, number>,
): TouchBump {
  return {
    merchantId: offer.merchantId,
    offerId: offer.offerId,
    localDay,
    channel: touch.channel,
    variant: touch.variant,
    fields,
  };
}

/**
 * Conversions-table keys of touch counters: per offer (the offer's channel report) and per
 * merchant (the report across offers), both written in the same transaction.
 */
export const touchKeys = {
  offer: (
    merchantId: string,
    offerId: string,
    localDay: string,
    channel: string,
    variant: string,
  ) => ({
    pk: `CNT#${merchantId}#TOUCH#${offerId}`,
    sk: `${localDay}#${channel}#${variant}`,
  }),
  offerPartition: (merchantId: string, offerId: string) => `CNT#${merchantId}#TOUCH#${offerId}`,
  merchant: (
    merchantId: string,
    localDay: string,
    offerId: string,
    channel: string,
    variant: string,
  ) => ({
    pk: `CNT#${merchantId}#TOUCHES`,
    sk: `${localDay}#${offerId}#${channel}#${variant}`,
  }),
  merchantPartition: (merchantId: string) => `CNT#${merchantId}#TOUCHES`,
};

/** Merges bumps of the same counters so one transaction never touches an item twice. */
export function mergeTouchBumps(bumps: readonly TouchBump[]): TouchBump[] {
  return mergeBumpsBy(
    bumps,
    (b) => `${b.merchantId}|${b.offerId}|${b.localDay}|${b.channel}|${b.variant}`,
  );
}

/** What the last-touch rule needs of an open attribution handle. */
export interface TouchHandle {
  incentiveId: string;
  grantedAt: number;
  windowEndsAt: number;
  storeIds: readonly string[];
}

/**
 * The touch a store visit is credited to: among the person's touches of the merchant (sends,
 * claims, exposures of any offer and channel, held out or not) whose attribution window covers
 * the visit at one of the offer's stores, the most recent one (last touch within the window);
 * ties on time go to the smallest id. Undefined when no window covers the visit.
 *
 * Credit is for "which promotion brought the visit"; lift is measured separately and per touch
 * (each touch's own first visit within its window), so both groups are measured alike whatever
 * other touches a person had.
 */
export function lastTouch<H extends TouchHandle>(
  handles: readonly H[],
  visit: { at: number; storeId: string },
): H | undefined {
  let best: H | undefined;
  for (const h of handles) {
    if (!(h.grantedAt <= visit.at && visit.at <= h.windowEndsAt)) continue;
    if (!h.storeIds.includes(visit.storeId)) continue;
    if (
      best === undefined ||
      h.grantedAt > best.grantedAt ||
      (h.grantedAt === best.grantedAt && h.incentiveId < best.incentiveId)
    ) {
      best = h;
    }
  }
  return best;
}
