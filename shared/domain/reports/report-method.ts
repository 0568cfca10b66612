/**
 * How the reports compute what they show: stated once in every offer report, so an analyst can
 * check each figure against its formula.
 */
import { LIFT_METHOD } from "../stats/index.ts";
import { MONEY_METHOD } from "./money-figures.ts";
import { TTV_MEDIAN_METHOD } from "./time-to-visit.ts";

/** How the report computes what it shows; returned in every offer report. */
export const REPORT_METHOD = {
  lift: `${LIFT_METHOD}. Treated n = sent, holdout n = heldOut; visits = attributed visits.`,
  visitRate:
    "treated = attributedTreated / sent; holdout = attributedHoldout / heldOut; null when the denominator is 0. visitRateCi: 95 % Wilson score interval of each rate.",
  redemptionRate: "redemptions / sent; null when nothing was sent.",
  visits:
    "On an offer's counters, visits are the visits attributed to the offer (treated and holdout); " +
    "footprint visits no offer explains are in the store report.",
  medianTimeToVisit: TTV_MEDIAN_METHOD,
  days:
    "Counters are bucketed by the store-local day of each event; an attributed visit counts on the " +
    "day of the visit, not of the send. from and to are inclusive local days.",
  periods:
    "groupBy=week rows are ISO weeks (Monday to Sunday) and groupBy=month rows calendar months of " +
    "store-local days; the first and last are clipped to the range (start, end). Periods without " +
    "any activity are left out unless includeEmpty=true.",
  money: MONEY_METHOD,
  budget:
    "used = incentives sent over the offer's whole life (not only this range); max is the offer's " +
    "budget.maxIncentives, null when unlimited.",
} as const;
