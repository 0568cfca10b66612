/**
 * Pickup metrics of one store per store-local day: wait time (arrived → completed), estimate
 * error (the arrival predicted when `nearby` fired against the real arrival) and on-time share
 * (arrived no later than the promised time). Computed from what an ended pickup keeps: its state
 * timestamps, its promised time and the `nearby` estimate; never from positions (none are kept).
 * Pure: the caller passes the pickups and the store's time zone.
 */
import { DateTime } from "luxon";
import { quantileSorted } from "simple-statistics";
import type { Pickup } from "../pickup/pickup.ts";
import { type DayRange, daysOf } from "./day-range.ts";
import { storeNameColumns } from "./name-book.ts";

/** What the metrics read of an ended pickup. */
export type FinishedPickup = Pick<
  Pickup,
  "promisedAt" | "times" | "terminal" | "endedBy" | "arrivalSource" | "nearbyEstimateAt"
>;

/** A distribution of durations (seconds), or nulls when it is empty. */
export interface DurationStats {
  /** Pickups measured. */
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  /** 90th percentile: what nine customers in ten stay under. */
  p90Seconds: number | null;
}

/** Predicted vs actual arrival. */
export interface EstimateErrorStats {
  /** Pickups with a `nearby` estimate and an arrival from location. */
  count: number;
  /** Mean of actual − predicted (seconds): positive when shoppers arrive later than predicted. */
  meanSeconds: number | null;
  /** Median of |actual − predicted| (seconds). */
  medianAbsoluteSeconds: number | null;
  /** 90th percentile of |actual − predicted| (seconds). */
  p90AbsoluteSeconds: number | null;
}

/** A share with what it is a share of. */
export interface Share {
  of: number;
  count: number;
  /** count / of, or null when `of` is 0. */
  share: number | null;
}

export interface PickupMetrics {
  /** Ended pickups (completed, cancelled, no-show). */
  pickups: number;
  completed: number;
  /** Of `completed`: closed by the 3 h timeout, not by staff (no wait time is measured). */
  autoCompleted: number;
  cancelled: number;
  noShow: number;
  /** Pickups whose shopper arrived (by location or "I'm here"). */
  arrived: number;
  /** Of `arrived`: by the app's manual "I'm here". */
  manualArrivals: number;
  /** Arrived → completed by staff. */
  waitTime: DurationStats;
  estimateError: EstimateErrorStats;
  /** Arrivals no later than the promised time, of all arrivals. */
  onTime: Share;
  /** Arrivals that found the order already marked ready, of all arrivals. */
  readyOnArrival: Share;
}

export interface PickupDayRow extends PickupMetrics {
  /** Store-local day of the promised time (YYYY-MM-DD). */
  day: string;
}

export interface PickupReport {
  storeId: string;
  storeName: string | null;
  storeCode: string | null;
  timeZone: string;
  from: string;
  to: string;
  totals: PickupMetrics;
  /** One row per day of the range with an ended pickup (every day with `includeEmpty`). */
  rows: PickupDayRow[];
  method: typeof PICKUP_METRICS_METHOD;
}

/** How each figure is computed, stated in every report. */
export const PICKUP_METRICS_METHOD = {
  day: "Pickups count on the store-local day of their promised time, once they have ended.",
  waitTime:
    "Seconds from arrival (footprint or bay entry, or the app's \"I'm here\") to completion by " +
    "staff; completions by timeout are counted in autoCompleted and not measured. Percentiles " +
    "interpolate between ranks (simple-statistics quantileSorted).",
  estimateError:
    "Actual arrival − the arrival predicted when the pickup became nearby, over arrivals " +
    'detected from location (a tap on "I\'m here" is not a measured arrival time).',
  onTime: "Arrivals at or before the promised time, over all arrivals.",
  readyOnArrival: "Arrivals after staff marked the order ready, over all arrivals.",
  privacy: "Computed from state timestamps and the predicted arrival only; no position is kept.",
} as const;

function durationStats(values: number[]): DurationStats {
  if (values.length === 0) {
    return { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    meanSeconds: round1(sum / sorted.length),
    medianSeconds: round1(quantileSorted(sorted, 0.5)),
    p90Seconds: round1(quantileSorted(sorted, 0.9)),
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function share(count: number, of: number): Share {
  return { of, count, share: of === 0 ? null : count / of };
}

/** The metrics of a set of ended pickups (active ones are skipped). */
export function pickupMetrics(pickups: readonly FinishedPickup[]): PickupMetrics {
  let completed = 0;
  let autoCompleted = 0;
  let cancelled = 0;
  let noShow = 0;
  let arrived = 0;
  let manual = 0;
  let onTime = 0;
  let readyFirst = 0;
  let ended = 0;
  const waits: number[] = [];
  const errors: number[] = [];
  for (const p of pickups) {
    if (p.terminal === undefined) continue;
    ended++;
    if (p.terminal === "completed") {
      completed++;
      if (p.endedBy === "timeout") autoCompleted++;
    } else if (p.terminal === "cancelled") cancelled++;
    else noShow++;
    const arrivedAt = p.times.arrived;
    if (arrivedAt === undefined) continue;
    arrived++;
    if (p.arrivalSource === "manual") manual++;
    if (arrivedAt <= p.promisedAt) onTime++;
    if (p.times.ready !== undefined && p.times.ready <= arrivedAt) readyFirst++;
    const completedAt = p.times.completed;
    if (p.terminal === "completed" && p.endedBy !== "timeout" && completedAt !== undefined) {
      waits.push(Math.max(0, completedAt - arrivedAt) / 1000);
    }
    if (p.arrivalSource !== "manual" && p.nearbyEstimateAt !== undefined) {
      errors.push((arrivedAt - p.nearbyEstimateAt) / 1000);
    }
  }
  const abs = durationStats(errors.map(Math.abs));
  return {
    pickups: ended,
    completed,
    autoCompleted,
    cancelled,
    noShow,
    arrived,
    manualArrivals: manual,
    waitTime: durationStats(waits),
    estimateError: {
      count: errors.length,
      meanSeconds:
        errors.length === 0 ? null : round1(errors.reduce((a, b) => a + b, 0) / errors.length),
      medianAbsoluteSeconds: abs.medianSeconds,
      p90AbsoluteSeconds: abs.p90Seconds,
    },
    onTime: share(onTime, arrived),
    readyOnArrival: share(readyFirst, arrived),
  };
}

/** The store-local day (YYYY-MM-DD) of an instant. */
export function localDay(ms: number, timeZone: string): string {
  return DateTime.fromMillis(ms, { zone: timeZone }).toISODate() ?? "";
}

/**
 * The instants (epoch ms, [from, to)) that hold every promised time of the local days of
 * `range` in `timeZone`: what to query.
 */
export function rangeInstants(range: DayRange, timeZone: string): { fromMs: number; toMs: number } {
  const start = DateTime.fromISO(range.from, { zone: timeZone }).startOf("day");
  const end = DateTime.fromISO(range.to, { zone: timeZone }).plus({ days: 1 }).startOf("day");
  return { fromMs: start.toMillis(), toMs: end.toMillis() };
}

/**
 * The pickup report of a store: totals over the range and one row per store-local day of the
 * promised time (days without ended pickups only with `includeEmpty`). Pickups promised
 * outside the range are ignored.
 */
export function buildPickupReport(input: {
  storeId: string;
  store: { name: string; storeCode: string | null } | null;
  timeZone: string;
  range: DayRange;
  includeEmpty: boolean;
  pickups: readonly FinishedPickup[];
}): PickupReport {
  const byDay = new Map<string, FinishedPickup[]>();
  const days = daysOf(input.range);
  for (const day of days) byDay.set(day, []);
  const inRange: FinishedPickup[] = [];
  for (const p of input.pickups) {
    if (p.terminal === undefined) continue;
    const list = byDay.get(localDay(p.promisedAt, input.timeZone));
    if (!list) continue;
    list.push(p);
    inRange.push(p);
  }
  const rows: PickupDayRow[] = [];
  for (const day of days) {
    const list = byDay.get(day) ?? [];
    if (list.length === 0 && !input.includeEmpty) continue;
    rows.push({ day, ...pickupMetrics(list) });
  }
  return {
    storeId: input.storeId,
    ...storeNameColumns(input.store),
    timeZone: input.timeZone,
    from: input.range.from,
    to: input.range.to,
    totals: pickupMetrics(inRange),
    rows,
    method: PICKUP_METRICS_METHOD,
  };
}
