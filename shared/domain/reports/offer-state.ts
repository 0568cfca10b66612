/**
 * Where an offer stands as a marketer reads it in reports. Pure.
 */

/**
 * Where an offer stands, as a marketer reads it: `deleted` (kept for its report), `paused`,
 * `scheduled` (before validFrom), `ended` (from validTo on), else `active`.
 */
export type OfferState = "active" | "paused" | "scheduled" | "ended" | "deleted";

/** The state of an offer at `nowMs` (pure: the caller passes the clock reading). */
export function reportOfferState(
  offer: { status: string; validFrom: string; validTo: string; deletedAt?: string | null },
  nowMs: number,
): OfferState {
  if (offer.deletedAt) return "deleted";
  if (offer.status === "paused") return "paused";
  if (nowMs < Date.parse(offer.validFrom)) return "scheduled";
  if (nowMs >= Date.parse(offer.validTo)) return "ended";
  return "active";
}
