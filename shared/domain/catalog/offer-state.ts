/**
 * The derived state of an offer: what is actually happening with it now, as opposed to the
 * merchant's intent (`status`: active / paused). Pure: the caller passes the instant (injected
 * clock), the IANA zones of the offer's stores and the incentives sent so far.
 */
import * as z from "zod";
import { isValidTimeZone, isWithinSchedule } from "../decision/local-time.ts";
import type { OfferStatus, WeeklySchedule } from "../decision/offer-rules.ts";
import { validFromMs, validToMs } from "../decision/validity.ts";
import { listQuerySchema } from "./requests.ts";

/**
 * - `ended`: at or after `validTo` in every store's zone (final, whatever the status);
 * - `paused`: the merchant paused it (and it has not ended);
 * - `budget_exhausted`: `budget.maxIncentives` incentives were sent;
 * - `scheduled`: before `validFrom` in every store's zone;
 * - `outside_schedule`: within its validity but outside its weekly schedule in every store's zone;
 * - `live`: could fire now (at least one store is inside validity and schedule).
 */
export const OFFER_STATES = [
  "scheduled",
  "live",
  "outside_schedule",
  "budget_exhausted",
  "ended",
  "paused",
] as const;
export type OfferState = (typeof OFFER_STATES)[number];

export interface OfferStateFacts {
  readonly status: OfferStatus;
  readonly validFrom: string;
  readonly validTo: string;
  readonly schedule?: WeeklySchedule | undefined;
  readonly budget?: { readonly maxIncentives?: number | undefined } | undefined;
}

type ZoneState = "scheduled" | "live" | "outside_schedule" | "ended";
/** When stores are in several zones, the offer is as far along as its most advanced store. */
const ZONE_ORDER: readonly ZoneState[] = ["live", "outside_schedule", "scheduled", "ended"];

function zoneState(offer: OfferStateFacts, timeZone: string, nowMs: number): ZoneState {
  if (!isValidTimeZone(timeZone)) return "ended";
  const from = validFromMs(offer.validFrom, timeZone);
  const to = validToMs(offer.validTo, timeZone);
  if (from === null || to === null || nowMs >= to) return "ended";
  if (nowMs < from) return "scheduled";
  if (offer.schedule !== undefined && !isWithinSchedule(offer.schedule, timeZone, nowMs)) {
    return "outside_schedule";
  }
  return "live";
}

/**
 * The offer's state at `nowMs`, read in each of `storeTimeZones` (an offer is `live` if it
 * could fire at any of its stores). Unknown zones or unparsable bounds count as ended there
 * (fail closed, as the decision does). `sentCount` is the number of incentives sent so far.
 */
export function offerState(
  offer: OfferStateFacts,
  storeTimeZones: readonly string[],
  nowMs: number,
  sentCount: number,
): OfferState {
  const zones = storeTimeZones.length > 0 ? [...new Set(storeTimeZones)] : ["UTC"];
  const states = new Set(zones.map((tz) => zoneState(offer, tz, nowMs)));
  const timing = ZONE_ORDER.find((s) => states.has(s)) ?? "ended";
  if (timing === "ended") return "ended";
  if (offer.status !== "active") return "paused";
  const max = offer.budget?.maxIncentives;
  if (max !== undefined && sentCount >= max) return "budget_exhausted";
  return timing;
}

/**
 * `GET /v1/offers` query: pagination plus `state`, one state or several comma-separated
 * (`?state=live,outside_schedule`).
 */
export const offerListQuerySchema = listQuerySchema
  .extend({
    state: z
      .string()
      .transform((v) => v.split(",").map((s) => s.trim()))
      .pipe(
        z.array(
          z.enum(OFFER_STATES, { error: `each state must be one of ${OFFER_STATES.join(", ")}` }),
        ),
      )
      .optional()
      .describe(`Only offers in these states (comma-separated: ${OFFER_STATES.join(", ")})`),
  })
  .describe("Pagination and state filter");
export type OfferListQuery = z.output<typeof offerListQuerySchema>;
