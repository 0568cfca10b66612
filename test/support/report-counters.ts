/**
 * The counters behind the hand-computed offer report: treated 60 attributed visits of 400 sent,
 * holdout 9 of 100 held out, 30 redemptions, over two store days. The unit, integration and
 * end-to-end report tests write these rows (each adding the fields it tests) and check the lift,
 * intervals and rates computed by hand from them (test/unit/reports/offer-report.test.ts).
 */
import { COUNTER_FIELDS } from "../../shared/domain/conversion.ts";

/** The first store day: treated 40/250, holdout 5/60, 20 redemptions. */
export const LIFT_DAY_1: Record<string, number> = {
  [COUNTER_FIELDS.sent]: 250,
  [COUNTER_FIELDS.heldOut]: 60,
  [COUNTER_FIELDS.attributedTreated]: 40,
  [COUNTER_FIELDS.attributedHoldout]: 5,
  [COUNTER_FIELDS.redemptions]: 20,
};

/** The second store day: treated 20/150, holdout 4/40, 10 redemptions. */
export const LIFT_DAY_2: Record<string, number> = {
  [COUNTER_FIELDS.sent]: 150,
  [COUNTER_FIELDS.heldOut]: 40,
  [COUNTER_FIELDS.attributedTreated]: 20,
  [COUNTER_FIELDS.attributedHoldout]: 4,
  [COUNTER_FIELDS.redemptions]: 10,
};
