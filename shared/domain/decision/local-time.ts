/**
 * Wall-clock rules evaluated in an IANA time zone with luxon, so DST transitions are handled
 * by the tz database rather than fixed offsets. All functions take epoch milliseconds.
 */
import { DateTime, IANAZone } from "luxon";
import { ValidationError } from "../../errors.ts";
import type { DailySpan, Weekday, WeeklySchedule } from "./offer-rules.ts";
import { WEEKDAYS } from "./offer-rules.ts";

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

/** True for a time zone name luxon (and the tz database) knows, e.g. "Europe/Berlin". */
export function isValidTimeZone(timeZone: string): boolean {
  return IANAZone.isValidZone(timeZone);
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

/**
 * The local calendar day "YYYY-MM-DD" of an instant. Per-day caps are keyed by it so they roll
 * over at local midnight of the zone that owns the cap, not at UTC midnight.
 */
export function localDay(instantMs: number, timeZone: string): string {
  return localTime(instantMs, timeZone).toISODate();
}

/**
 * The instant (epoch ms) at which the local day containing `instantMs` ends. Lets the store
 * expire per-day counters exactly when they stop mattering, even on 23 h / 25 h DST days.
 */
export function startOfNextLocalDay(instantMs: number, timeZone: string): number {
  return localTime(instantMs, timeZone).startOf("day").plus({ days: 1 }).toMillis();
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
