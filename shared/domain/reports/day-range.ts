/**
 * The inclusive range of store-local days a report covers: its default (the last 30 days), its
 * limits, and every day it holds. Pure: the caller passes the clock reading.
 */
import { DateTime } from "luxon";
import * as z from "zod";
import { ValidationError } from "../../errors.ts";

const day = z.iso.date({ error: "must be a day as YYYY-MM-DD" });

/** The day range a report query takes: `from`..`to`, store-local days, both optional. */
export const reportRange = {
  from: day.optional().describe("First local day, inclusive (default: 29 days before to)"),
  to: day.optional().describe("Last local day, inclusive (default: today in the stores' zone)"),
};

/** Longest report range: counters older than the log's retention are gone anyway. */
export const MAX_REPORT_DAYS = 400;
/** Range when the caller gives none: the last 30 days. */
export const DEFAULT_REPORT_DAYS = 30;

export interface DayRange {
  from: string;
  to: string;
}

const utcDay = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

/**
 * The inclusive day range of a report: defaults to the last 30 days ending today in
 * `timeZone` (the stores' zone when they share one), and refuses reversed or over-long ranges with the field named.
 */
export function resolveDayRange(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  timeZone?: string,
): DayRange {
  // Counters are bucketed by store-local day: default to today in the stores' zone, or the
  // latest day anywhere (UTC+14) when the stores are in several zones.
  const to =
    query.to ?? DateTime.fromMillis(nowMs, { zone: timeZone ?? "Pacific/Kiritimati" }).toISODate();
  if (to === null) throw ValidationError.field("to", "is outside the representable range");
  const from =
    query.from ??
    utcDay(to)
      .minus({ days: DEFAULT_REPORT_DAYS - 1 })
      .toISODate();
  if (from === null) throw ValidationError.field("from", "is outside the representable range");
  if (from > to) throw ValidationError.field("to", "must not be before from");
  const span = utcDay(to).diff(utcDay(from), "days").days + 1;
  if (span > MAX_REPORT_DAYS) {
    throw ValidationError.field("from", `the range must not exceed ${MAX_REPORT_DAYS} days`);
  }
  return { from, to };
}

/** Every day of an inclusive range, so day rows show the days without events too. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  let d = utcDay(range.from);
  const end = utcDay(range.to);
  while (d <= end && days.length <= MAX_REPORT_DAYS) {
    const iso = d.toISODate();
    if (iso === null) break;
    days.push(iso);
    d = d.plus({ days: 1 });
  }
  return days;
}
