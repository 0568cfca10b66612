/**
 * The journey report: visitors by stage, repeat-visit rate, days between visits and lapses of a
 * merchant (or one store) over a period, and for one offer the attributed visits that were first
 * vs returning and the holdout lift in repeat visits. From the counters only (see
 * domain/journey/log.ts for what each counter counts); intervals from domain/stats.
 */
import * as z from "zod";
import { JOURNEY_FIELDS, MAX_GAP_BUCKET_DAYS } from "../journey/log.ts";
import { JOURNEY_STAGES, type JourneyStage } from "../journey/stage.ts";
import {
  type Interval,
  type LiftResult,
  rate,
  twoProportionLift,
  wilsonInterval,
} from "../stats/lift.ts";
import { type DayRange, daysOf, reportRange } from "./day-range.ts";

/** `GET /v1/reports/journey` query. */
export const journeyReportQuerySchema = z.strictObject({
  ...reportRange,
  storeId: z.string().min(1).max(64).optional().describe("One store (default: every store)"),
  offerId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe("Also the offer's first vs returning visits and repeat-visit lift"),
});
export type JourneyReportQuery = z.output<typeof journeyReportQuerySchema>;

/** The journey attributes of a counters item (names starting with `j`), as numbers. */
export function journeyFieldsOf(item: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!/^j[A-Z]/.test(name)) continue;
    const n = typeof value === "number" ? value : Number(value);
    if (Number.isSafeInteger(n) && n !== 0) out[name] = n;
  }
  return out;
}

/** One counters row as the journey report reads it. */
export interface JourneyRow {
  storeId: string;
  localDay: string;
  /** Journey attributes of the row (`journeyFieldsOf`). */
  journey: Readonly<Record<string, number>>;
}

export interface JourneySection {
  /** Journey visits: a person's first visit of a store-local day. */
  visits: number;
  /** Journey visits by people who had visited before (kept history). */
  repeatVisits: number;
  /** repeatVisits / visits, with its Wilson 95 % interval; null without visits. */
  repeatVisitRate: number | null;
  repeatVisitRateCi: Interval | null;
  /** Journey visits by the stage right after the visit (a person counts once per day). */
  visitsByStage: Record<Exclude<JourneyStage, "lapsed">, number>;
  /** People who entered each stage in the period (`lapsed`: lapses that happened in it). */
  entered: Record<JourneyStage, number>;
  /** Regulars who lapsed in the period (the same as `entered.lapsed`). */
  lapsed: number;
  /** Median days between a repeat visit and the visit day before it; null without repeats. */
  medianDaysBetweenVisits: number | null;
}

/**
 * Sums journey rows of a period. Lapses are counted ahead on their lapse day, so only the days
 * up to `today` (the latest day that has begun) count: a lapse still in the future has not
 * happened, and a visit may yet take it back.
 */
export function journeySection(rows: readonly JourneyRow[], today: string): JourneySection {
  const sum = (field: string, upTo = "9999-12-31") =>
    rows.reduce((n, r) => n + (r.localDay <= upTo ? (r.journey[field] ?? 0) : 0), 0);
  const visits = sum(JOURNEY_FIELDS.visitDays);
  const repeatVisits = sum(JOURNEY_FIELDS.repeatDays);
  const gaps: number[] = new Array(MAX_GAP_BUCKET_DAYS + 1).fill(0);
  for (const r of rows) {
    for (const [name, n] of Object.entries(r.journey)) {
      const m = /^jGap_(\d+)$/.exec(name);
      if (m && n > 0) gaps[Number(m[1])] = (gaps[Number(m[1])] ?? 0) + n;
    }
  }
  const lapsed = Math.max(0, sum(JOURNEY_FIELDS.lapsed, today));
  const entered = Object.fromEntries(
    JOURNEY_STAGES.map((s) => [s, s === "lapsed" ? lapsed : sum(JOURNEY_FIELDS.into(s))]),
  ) as Record<JourneyStage, number>;
  return {
    visits,
    repeatVisits,
    repeatVisitRate: rate(repeatVisits, visits),
    repeatVisitRateCi: wilsonInterval(repeatVisits, visits),
    visitsByStage: {
      new: sum(JOURNEY_FIELDS.visitsAs("new")),
      returning: sum(JOURNEY_FIELDS.visitsAs("returning")),
      regular: sum(JOURNEY_FIELDS.visitsAs("regular")),
    },
    entered,
    lapsed,
    medianDaysBetweenVisits: histogramMedian(gaps),
  };
}

/**
 * Median of a histogram whose index is the value: the middle observation (the mean of the two
 * middle ones for an even count), exact without expanding the observations.
 */
export function histogramMedian(counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (let v = 0; v < counts.length; v++) {
      seen += counts[v] ?? 0;
      if (seen >= k) return v;
    }
    return counts.length - 1;
  };
  return total % 2 === 1 ? at((total + 1) / 2) : (at(total / 2) + at(total / 2 + 1)) / 2;
}

/** Group totals of an offer's counters the journey part of its report needs. */
export interface OfferJourneyCounts {
  sent: number;
  heldOut: number;
  attributedTreated: number;
  attributedHoldout: number;
  /** Summed journey attributes of the offer's counters. */
  journey: Readonly<Record<string, number>>;
}

export interface RepeatLift {
  treated: { n: number; repeaters: number };
  holdout: { n: number; repeaters: number };
  lift: LiftResult;
}

export interface OfferJourneySection {
  /** Attributed visits that were the person's first visit to the merchant, and the others. */
  attributedVisits: {
    treated: { first: number; returning: number };
    holdout: { first: number; returning: number };
  };
  /** Sends vs holdouts whose person came back on a later day within the attribution window. */
  repeatWithinWindow: RepeatLift;
  /** Sends vs holdouts whose person, after an attributed visit, came back in the next 30 days. */
  repeatAfterWindow: RepeatLift;
}

/**
 * The offer's journey figures. Repeat lift is intention-to-treat: every send and every holdout
 * of the period is in the denominator, whether the person visited or not; the numerator counts
 * each incentive at most once. Lift and intervals: `twoProportionLift` (Wald / Katz, z-test).
 */
export function offerJourneySection(c: OfferJourneyCounts): OfferJourneySection {
  const j = (field: string) => Math.max(0, c.journey[field] ?? 0);
  const firstT = Math.min(j(JOURNEY_FIELDS.firstTreated), c.attributedTreated);
  const firstH = Math.min(j(JOURNEY_FIELDS.firstHoldout), c.attributedHoldout);
  const repeat = (treatedField: string, holdoutField: string): RepeatLift => {
    const treated = { n: c.sent, repeaters: Math.min(j(treatedField), c.sent) };
    const holdout = { n: c.heldOut, repeaters: Math.min(j(holdoutField), c.heldOut) };
    return {
      treated,
      holdout,
      lift: twoProportionLift({
        treated: { n: treated.n, visits: treated.repeaters },
        holdout: { n: holdout.n, visits: holdout.repeaters },
      }),
    };
  };
  return {
    attributedVisits: {
      treated: { first: firstT, returning: c.attributedTreated - firstT },
      holdout: { first: firstH, returning: c.attributedHoldout - firstH },
    },
    repeatWithinWindow: repeat(
      JOURNEY_FIELDS.repeatInWindowTreated,
      JOURNEY_FIELDS.repeatInWindowHoldout,
    ),
    repeatAfterWindow: repeat(JOURNEY_FIELDS.repeatAfterTreated, JOURNEY_FIELDS.repeatAfterHoldout),
  };
}

/** One store-local day of the period: its journey visits and the people entering each stage. */
export interface JourneyDay {
  day: string;
  visits: number;
  repeatVisits: number;
  /** People who entered each stage that day (`lapsed`: lapses of that day, none after today). */
  entered: Record<JourneyStage, number>;
}

/** Every day of the range (days without a visit included), for a series over the period. */
export function journeyDays(
  range: DayRange,
  rows: readonly JourneyRow[],
  today: string,
): JourneyDay[] {
  const byDay = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const sums = byDay.get(r.localDay) ?? {};
    for (const [k, n] of Object.entries(r.journey)) sums[k] = (sums[k] ?? 0) + n;
    byDay.set(r.localDay, sums);
  }
  return daysOf(range).map((day) => {
    const j = byDay.get(day) ?? {};
    const n = (field: string) => j[field] ?? 0;
    return {
      day,
      visits: n(JOURNEY_FIELDS.visitDays),
      repeatVisits: n(JOURNEY_FIELDS.repeatDays),
      entered: Object.fromEntries(
        JOURNEY_STAGES.map((s) => [
          s,
          s === "lapsed"
            ? day <= today
              ? Math.max(0, n(JOURNEY_FIELDS.lapsed))
              : 0
            : n(JOURNEY_FIELDS.into(s)),
        ]),
      ) as Record<JourneyStage, number>,
    };
  });
}

/** What `GET /v1/reports/journey` answers. */
export interface JourneyReport {
  from: string;
  to: string;
  storeId: string | null;
  journey: JourneySection;
  /** Day by day over the period (merchant-wide, or the one store). */
  days: JourneyDay[];
  /** Per store (merchant-wide reports only), ordered by store id. */
  stores: Array<{ storeId: string; journey: JourneySection }>;
  offer: ({ offerId: string } & OfferJourneySection) | null;
  method: string;
}

export const JOURNEY_METHOD =
  "journey visits: a person's first visit of a store-local day; repeat-visit rate: journey " +
  "visits by people seen before over all journey visits (Wilson interval); lapses: counted on " +
  "their lapse day (last visit day + L) up to today; days between visits: median gap between a " +
  "repeat visit day and the previous one; repeat lift: sends vs holdouts of the period whose " +
  "person came back on a later day within the window after an attributed visit, or in the 30 " +
  "days after the window (Wald / Katz intervals, two-proportion z test)";

/** Builds the report from the rows of the period (offer "-" counters, one row per store-day). */
export function buildJourneyReport(input: {
  range: DayRange;
  today: string;
  storeId: string | null;
  rows: readonly JourneyRow[];
  offer: ({ offerId: string } & OfferJourneyCounts) | null;
}): JourneyReport {
  const byStore = new Map<string, JourneyRow[]>();
  for (const r of input.rows) byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r]);
  return {
    from: input.range.from,
    to: input.range.to,
    storeId: input.storeId,
    journey: journeySection(input.rows, input.today),
    days: journeyDays(input.range, input.rows, input.today),
    stores:
      input.storeId === null
        ? [...byStore.keys()].sort().map((storeId) => ({
            storeId,
            journey: journeySection(byStore.get(storeId) ?? [], input.today),
          }))
        : [],
    offer: input.offer
      ? { offerId: input.offer.offerId, ...offerJourneySection(input.offer) }
      : null,
    method: JOURNEY_METHOD,
  };
}
