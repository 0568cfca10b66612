import { isValidTimeZone, isWithinSchedule } from "./local-time.ts";
import type { DecisionOffer } from "./offer-rules.ts";
import { validFromMs, validToMs } from "./validity.ts";

/**
 * Whether an offer may be sent at an instant: active, inside [validFrom, validTo) and, when it
 * has a schedule, inside a window on the STORE's wall clock (a promotion "Mon–Fri 11:00–14:00"
 * means the store's lunch hours wherever the shopper's phone is set). Date-only bounds are read
 * in the store's zone too (see validity.ts). Unparsable bounds or an
 * unknown store zone make the offer not live (fail closed) rather than failing the decision
 * for every other offer in the zone.
 */
export function isOfferLive(
  offer: Pick<DecisionOffer, "status" | "validFrom" | "validTo" | "schedule">,
  storeTimeZone: string,
  instantMs: number,
): boolean {
  if (offer.status !== "active") return false;
  if (!isValidTimeZone(storeTimeZone)) return false;
  const from = validFromMs(offer.validFrom, storeTimeZone);
  const to = validToMs(offer.validTo, storeTimeZone);
  if (from === null || to === null || instantMs < from || instantMs >= to) return false;
  if (offer.schedule === undefined) return true;
  return isWithinSchedule(offer.schedule, storeTimeZone, instantMs);
}
