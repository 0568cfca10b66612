import type { Offer, OfferInput } from "../domain/catalog/offer.ts";
import {
  describeQuietHours,
  effectiveQuietHours,
  scheduleInsideQuietHours,
} from "../domain/catalog/quiet-hours.ts";
import { latestValidToMs } from "../domain/decision/validity.ts";
import { ValidationError } from "../errors.ts";
import type { MerchantSettingsStore } from "./ports/merchant-settings-store.ts";

/** Something about an offer that keeps it from firing for some devices: created all the same. */
export interface OfferWarning {
  path: string;
  code: "inside_quiet_hours";
  message: string;
}

/**
 * Refuses an offer that can never fire for anyone and reports what will keep it from firing for
 * some devices:
 * - `validTo` already past in every zone → 400 naming `validTo` (on update only when `validTo`
 *   changes, so an ended offer can still be renamed);
 * - budget 0 is refused by the schema (`budget/maxIncentives` ≥ 1);
 * - a schedule (or, without one, the whole day) entirely inside the offer's quiet hours →
 *   created, with a warning: quiet hours are read on the DEVICE's clock and the schedule on the
 *   store's, so devices in the store's zone never get it but travellers from other zones may.
 */
export async function checkOfferCanFire(
  deps: { merchantSettings?: Pick<MerchantSettingsStore, "get"> | undefined },
  merchantId: string,
  input: OfferInput,
  nowMs: number,
  previous?: Offer,
): Promise<OfferWarning[]> {
  const end = latestValidToMs(input.validTo);
  const changed = previous === undefined || latestValidToMs(previous.validTo) !== end;
  if (end !== null && end <= nowMs && changed) {
    throw ValidationError.field(
      "validTo",
      `is in the past (${new Date(nowMs).toISOString()} now): the offer could never fire`,
    );
  }
  const merchant =
    input.quietHours === undefined ? await deps.merchantSettings?.get(merchantId) : undefined;
  const quiet = effectiveQuietHours(input.quietHours, merchant);
  const warnings: OfferWarning[] = [];
  if (scheduleInsideQuietHours(input.schedule, quiet.span)) {
    const what = input.schedule ? "every window of the schedule" : "the whole day";
    warnings.push({
      path: input.schedule ? "schedule" : "quietHours",
      code: "inside_quiet_hours",
      message:
        `${what} lies inside the quiet hours (${describeQuietHours(quiet.span)}, ${quiet.source} ` +
        "setting): devices in the store's time zone will never receive this offer; only devices " +
        "whose own zone is outside those quiet hours at that moment (travellers) can. Change the " +
        'schedule, or set the offer\'s quietHours (or "none").',
    });
  }
  return warnings;
}
