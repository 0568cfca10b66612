/**
 * When a static code (one code shared by every shopper of an offer) may be redeemed. Unlike a
 * unique code it belongs to no incentive, so the offer itself is what makes it valid.
 */
import { isValidTimeZone, isWithinSchedule } from "./local-time.ts";
import type { OfferStatus, WeeklySchedule } from "./offer-rules.ts";
import { latestValidToMs, validFromMs, validToMs } from "./validity.ts";

export interface StaticCodeOffer {
  readonly status: OfferStatus;
  /** ISO 8601 instants, or dates read in the store's zone (see validity.ts): [validFrom, validTo). */
  readonly validFrom: string;
  readonly validTo: string;
  readonly schedule?: WeeklySchedule | undefined;
  readonly redemption: {
    /** Hours a code stays usable after the last moment it could have been sent (validTo). */
    readonly expiresAfterHours: number;
    /** When true, the code is only accepted inside the offer's weekly schedule. */
    readonly onlyWithinSchedule?: boolean | undefined;
  };
}

export type StaticCodeState = "ok" | "paused" | "not_started" | "expired" | "outside_schedule";

/**
 * The instant (epoch ms) a static code stops being accepted: validTo + expiresAfterHours, a
 * date-only validTo read in `storeTimeZone` (without one: its latest reading, UTC−12).
 */
export function staticCodeEnd(
  offer: Pick<StaticCodeOffer, "validTo" | "redemption">,
  storeTimeZone?: string,
): number {
  const to =
    storeTimeZone !== undefined && isValidTimeZone(storeTimeZone)
      ? validToMs(offer.validTo, storeTimeZone)
      : latestValidToMs(offer.validTo);
  return to === null
    ? Number.NEGATIVE_INFINITY
    : to + offer.redemption.expiresAfterHours * 3_600_000;
}

/**
 * Whether the offer's static code can be redeemed at `instantMs` in the store's zone, checked in
 * this order: `expired` (at or after validTo + expiresAfterHours — the same lifetime a unique code
 * sent at the last moment would have), `not_started` (before validFrom), `paused` (the merchant
 * paused the offer: a paused promotion is not honoured at the till either), `outside_schedule`
 * (only when `redemption.onlyWithinSchedule` and the offer has a schedule; an unknown store zone
 * fails closed). Unparsable bounds read as expired.
 */
export function staticCodeState(
  offer: StaticCodeOffer,
  storeTimeZone: string,
  instantMs: number,
): StaticCodeState {
  const from = validFromMs(offer.validFrom, isValidTimeZone(storeTimeZone) ? storeTimeZone : "UTC");
  if (from === null || !(instantMs < staticCodeEnd(offer, storeTimeZone))) return "expired";
  if (instantMs < from) return "not_started";
  if (offer.status !== "active") return "paused";
  if (offer.redemption.onlyWithinSchedule === true && offer.schedule !== undefined) {
    if (!isValidTimeZone(storeTimeZone)) return "outside_schedule";
    if (!isWithinSchedule(offer.schedule, storeTimeZone, instantMs)) return "outside_schedule";
  }
  return "ok";
}
