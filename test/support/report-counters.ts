/**
 * The counters behind the hand-computed offer report: treated 60 attributed visits of 400 sent,
 * holdout 9 of 100 held out, 30 redemptions, over two store days. The unit, integration and
 * end-to-end report tests write these rows (each adding the fields it tests) and check the lift,
 * intervals and rates computed by hand from them (test/unit/reports/offer-report.test.ts).
 */
import { COUNTER_FIELDS } from "../../shared/domain/conversion.ts";

const COLUMNS = [
  "sent",
  "heldOut",
  "attributedTreated",
  "attributedHoldout",
  "redemptions",
] as const;

/**
 * The two store days, as counter attributes: day 1 treated 40/250, holdout 5/60, 20 redemptions;
 * day 2 treated 20/150, holdout 4/40, 10 redemptions.
 */
export const [LIFT_DAY_1, LIFT_DAY_2] = [
  [250, 60, 40, 5, 20],
  [150, 40, 20, 4, 10],
].map(
  (row): Record<string, number> =>
    Object.fromEntries(COLUMNS.map((column, i) => [COUNTER_FIELDS[column], row[i] as number])),
) as [Record<string, number>, Record<string, number>];
