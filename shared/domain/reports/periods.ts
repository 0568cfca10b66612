/**
 * Report periods: store-local days grouped into ISO weeks (Monday to Sunday) or calendar
 * months. Counters are bucketed by the store-local day of each event, so a period is a set of
 * local days and needs no time zone of its own: a week of a Paris store is its Monday to Sunday
 * in Paris. Pure.
 */
import { DateTime } from "luxon";

export type PeriodUnit = "day" | "week" | "month";

/** One period of a report: its label and its first and last local days (inclusive). */
export interface Period {
  /** `2026-05-04` (day), `2026-W19` (ISO week), `2026-05` (month). */
  period: string;
  start: string;
  end: string;
}

const utcDay = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

/** The period of `unit` holding local day `day` (YYYY-MM-DD). */
export function periodOf(day: string, unit: PeriodUnit): Period {
  const d = utcDay(day);
  if (unit === "day") return { period: day, start: day, end: day };
  if (unit === "week") {
    const start = d.startOf("week"); // luxon weeks are ISO weeks: Monday first
    const label = `${start.toFormat("kkkk")}-W${start.toFormat("WW")}`;
    return {
      period: label,
      start: start.toISODate() ?? day,
      end: start.plus({ days: 6 }).toISODate() ?? day,
    };
  }
  const start = d.startOf("month");
  return {
    period: start.toFormat("yyyy-MM"),
    start: start.toISODate() ?? day,
    end: start.endOf("month").toISODate() ?? day,
  };
}

/**
 * Every period touching the inclusive day range, in order; the first and last are clipped to
 * the range (a week report from a Wednesday starts its first week on that Wednesday).
 */
export function periodsOf(range: { from: string; to: string }, unit: PeriodUnit): Period[] {
  const out: Period[] = [];
  // ISO days compare as strings: clip each period's bounds to the range.
  const clip = (d: string) => (d < range.from ? range.from : d > range.to ? range.to : d);
  let day = range.from;
  // 400 days at most (MAX_REPORT_DAYS): the loop is bounded by the range.
  for (let guard = 0; day <= range.to && guard < 500; guard++) {
    const p = periodOf(day, unit);
    out.push({
      period: p.period,
      start: clip(p.start),
      end: clip(p.end),
    });
    day = utcDay(p.end).plus({ days: 1 }).toISODate() ?? "9999-12-31";
  }
  return out;
}
