/**
 * Where an offer stands as a marketer reads it in reports: the catalog's derived state (the same
 * `state` as `GET /v1/offers`), or `deleted` for an offer kept for its report. Pure.
 */
import {
  type OfferState as CatalogOfferState,
  type OfferStateFacts,
  offerState,
} from "../catalog/offer-state.ts";

/**
 * `deleted` (kept for its report), else the catalog's derived state: `scheduled`, `live`,
 * `outside_schedule`, `budget_exhausted`, `ended` or `paused` (see domain/catalog/offer-state.ts).
 */
export type OfferState = CatalogOfferState | "deleted";

/**
 * The state of an offer at `nowMs` (pure: the caller passes the clock reading), read in its
 * stores' time zones as the catalog reads it: a calendar-date `validTo` includes that whole day
 * at each store. `sentCount` is the offer's budget use (incentives sent over its life).
 */
export function reportOfferState(
  offer: OfferStateFacts & { deletedAt?: string | null },
  storeTimeZones: readonly string[],
  nowMs: number,
  sentCount: number,
): OfferState {
  if (offer.deletedAt) return "deleted";
  return offerState(offer, storeTimeZones, nowMs, sentCount);
}
