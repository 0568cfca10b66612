/**
 * Wall-clock rules evaluated in an IANA time zone with luxon, so DST transitions are handled
 * by the tz database rather than fixed offsets. All functions take epoch milliseconds.
 */
import { DateTime, IANAZone } from "luxon";
import { ValidationError } from "../../errors.ts";
import { isValidTimeZone } from "./local-day.ts";
import type { DailySpan, Weekday, WeeklySchedule } from "./offer-rules.ts";
import { WEEKDAYS } from "./offer-rules.ts";

export { isValidTimeZone, localDay } from "./local-day.ts";

const HHMM = /^(\d{2}):(\d{2})$/;

/**
 * Minutes since local midnight for "HH:mm" (00:00–24:00), or null when malformed, so callers
 * can fail closed on bad stored data instead of throwing mid-decision.
 */
export function minutesOfDay(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** Luxon view of an instant in a zone; throws ValidationError for an unknown zone or instant. */
function localTime(instantMs: number, timeZone: string): DateTime<true> {
  if (!Number.isFinite(instantMs)) {
    throw ValidationError.field("instant", "must be a finite epoch-millisecond instant");
  }
  if (!isValidTimeZone(timeZone)) {
    throw ValidationError.field("timeZone", `unknown IANA time zone "${timeZone}"`);
  }
  const dt = DateTime.fromMillis(instantMs, { zone: timeZone });
  if (!dt.isValid) {
    throw ValidationError.field("instant", "is outside the representable date range");
  }
  return dt;
}

/** Fractional minutes since local midnight, keeping seconds so 20:59:59 is not 21:00. */
function localMinute(dt: DateTime): number {
  return dt.hour * 60 + dt.minute + dt.second / 60 + dt.millisecond / 60_000;
}

/** The local calendar day of an instant in a zone already checked. */
function dayAt(instantMs: number, zone: IANAZone): string {
  return DateTime.fromMillis(instantMs, { zone }).toISODate() ?? "";
}

/** Longest a local day can last (25 h on a fall-back day) plus a margin, for the search. */
const SEARCH_SPAN_MS = 50 * 3_600_000;

/**
 * The first instant (epoch ms) at or after `fromMs` whose local date in `zone` is `day` or
 * later. Local midnight is only a first guess: where a DST change skips midnight (America/
 * Santiago, America/Havana, America/Asuncion... spring forward from 00:00 to 01:00) the day
 * starts at 01:00, and where a date is skipped entirely (Pacific/Apia, 2011-12-30) the next
 * existing day starts instead. Falls back to a binary search on the local date, which grows
 * with the instant, to the millisecond.
 */
function firstInstantOfDay(day: string, zone: IANAZone, fromMs: number): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const guess = DateTime.fromObject({ year: y, month: m, day: d }, { zone }).toMillis();
  if (
    Number.isFinite(guess) &&
    guess > fromMs &&
    dayAt(guess, zone) >= day &&
    dayAt(guess - 1, zone) < day
  ) {
    return guess;
  }
  let lo = fromMs; // local date before `day`
  let hi = fromMs + SEARCH_SPAN_MS; // local date at or after `day`
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (dayAt(mid, zone) >= day) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The instant (epoch ms) at which the local day containing `instantMs` ends, i.e. the first
 * instant of the next local date: 00:00 local on ordinary days, 01:00 where a DST change skips
 * midnight (America/Santiago 2026-09-06T04:30Z → 2026-09-07T03:00Z; America/Havana
 * 2027-03-14T06:30Z → 2027-03-15T04:00Z). Lets the store expire per-day counters exactly when
 * they stop mattering, on 23 h / 25 h DST days too. Always later than `instantMs`.
 *
 * @throws ValidationError for an unknown zone or a non-finite instant.
 */
export function startOfNextLocalDay(instantMs: number, timeZone: string): number {
  const today = localTime(instantMs, timeZone);
  const zone = IANAZone.create(timeZone);
  // Calendar arithmetic on the date alone: the wall-clock time of a missing midnight is moot.
  const nextDay = DateTime.fromObject(
    { year: today.year, month: today.month, day: today.day },
    { zone: "utc" },
  )
    .plus({ days: 1 })
    .toISODate();
  if (nextDay === null) throw ValidationError.field("instant", "is outside the date range");
  return firstInstantOfDay(nextDay, zone, instantMs);
}

/**
 * The first instant (epoch ms) of the local date `day` ("YYYY-MM-DD") in `timeZone`: local
 * midnight, or the first existing instant of that date when a DST change skips midnight.
 *
 * @throws ValidationError for an unknown zone or a malformed date.
 */
export function startOfLocalDate(day: string, timeZone: string): number {
  if (!isValidTimeZone(timeZone)) {
    throw ValidationError.field("timeZone", `unknown IANA time zone "${timeZone}"`);
  }
  const date = DateTime.fromISO(day, { zone: "utc" });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !date.isValid) {
    throw ValidationError.field("day", "must be a calendar date YYYY-MM-DD");
  }
  const zone = IANAZone.create(timeZone);
  // Start the search a day early: no zone is more than 26 h away from UTC.
  return firstInstantOfDay(day, zone, date.toMillis() - 30 * 3_600_000);
}

/** True when local minute `t` falls in [start, end) of a daily span; wraps when end < start. */
function inDailySpan(t: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}

/**
 * Whether an instant falls in any window of a weekly schedule read on the wall clock of
 * `timeZone`. Windows are [start, end); a window with end < start started on one of its `days`
 * and runs past midnight into the next day. On a spring-forward day a window inside the
 * skipped hour never matches; on a fall-back day a window inside the repeated hour matches
 * twice — wall-clock semantics, which is what a merchant means by "02:00–03:00". A malformed
 * window never matches (fail closed).
 */
export function isWithinSchedule(
  schedule: WeeklySchedule,
  timeZone: string,
  instantMs: number,
): boolean {
  const dt = localTime(instantMs, timeZone);
  const t = localMinute(dt);
  const today: Weekday = WEEKDAYS[dt.weekday - 1]!;
  const yesterday: Weekday = WEEKDAYS[(dt.weekday + 5) % 7]!;
  for (const w of schedule) {
    const start = minutesOfDay(w.start);
    const end = minutesOfDay(w.end);
    if (start === null || end === null || start >= 24 * 60 || start === end) continue;
    if (start < end) {
      if (w.days.includes(today) && t >= start && t < end) return true;
    } else {
      if (w.days.includes(today) && t >= start) return true;
      if (w.days.includes(yesterday) && t < end) return true;
    }
  }
  return false;
}

/**
 * Whether an instant is inside the daily quiet period of the given zone (the device's, so that
 * nobody is woken at night by a store in another zone). Equal start and end = no quiet period;
 * a malformed span counts as quiet (fail closed: better no push than a push at night).
 */
export function isQuietHours(quiet: DailySpan, timeZone: string, instantMs: number): boolean {
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  if (start === null || end === null) return true;
  return inDailySpan(localMinute(localTime(instantMs, timeZone)), start, end);
}

/**
 * Epoch ms of an ISO 8601 instant, or null if unparsable. A string without an offset is read
 * as UTC so the result never depends on the host's zone.
 */
export function parseInstant(iso: string): number | null {
  const dt = DateTime.fromISO(iso, { zone: "utc" });
  return dt.isValid ? dt.toMillis() : null;
}
