/**
 * Wall-clock rules evaluated in an IANA time zone on the runtime's tz database
 * (`Intl.DateTimeFormat`, full ICU in Node 24), so DST transitions are handled by the tz database
 * rather than fixed offsets, without a date library in the functions that decide (the same
 * answers as luxon, which reads the same Intl data: test/unit/decision/local-time.test.ts checks
 * them against it). All functions take epoch milliseconds.
 */
import { ValidationError } from "../../errors.ts";
import { isValidTimeZone, localDay } from "./local-day.ts";
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

/** The wall clock of an instant in a zone: ISO year, month 1–12, day, ISO weekday 1 (Mon)–7. */
interface WallClock {
  year: number;
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const WEEKDAY_NUMBERS: Record<string, number> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};

/** The parts of a formatted wall clock read as numbers, named as `WallClock` names them. */
type NumericPart = "year" | "month" | "day" | "hour" | "minute" | "second";
const NUMERIC_PARTS: ReadonlySet<string> = new Set<NumericPart>([
  "year",
  "month",
  "day",
  "hour",
  "minute",
  "second",
]);

/** Formatters per zone name: building an Intl.DateTimeFormat costs tens of µs. */
const clockFormats = new Map<string, Intl.DateTimeFormat>();
/** The tz database has about 600 names; anything beyond is not worth remembering. */
const MAX_REMEMBERED_ZONES = 1_000;

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  const known = clockFormats.get(timeZone);
  if (known) return known;
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    weekday: "short",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  if (clockFormats.size < MAX_REMEMBERED_ZONES) clockFormats.set(timeZone, format);
  return format;
}

/** The wall clock of an instant in a zone already known valid; RangeError outside Date's range. */
function wallClock(instantMs: number, timeZone: string): WallClock {
  const clock: WallClock = {
    year: 0,
    month: 0,
    day: 0,
    weekday: 0,
    hour: 0,
    minute: 0,
    second: 0,
    // Zone offsets are whole seconds: the millisecond is the instant's own.
    millisecond: ((instantMs % 1000) + 1000) % 1000,
  };
  let bc = false;
  for (const part of clockFormat(timeZone).formatToParts(instantMs)) {
    if (part.type === "era") bc = part.value === "BC";
    else if (part.type === "weekday") clock.weekday = WEEKDAY_NUMBERS[part.value] ?? 0;
    else if (NUMERIC_PARTS.has(part.type)) clock[part.type as NumericPart] = Number(part.value);
  }
  // Eras count 1 BC, 2 BC...; ISO years count 0, -1...
  if (bc) clock.year = 1 - clock.year;
  return clock;
}

/** Epoch ms of a proleptic Gregorian UTC date-time (any year, unlike Date.UTC's 0–99 mapping). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The zone's offset from UTC at an instant (ms; positive east of Greenwich). */
function offsetAt(instantMs: number, timeZone: string): number {
  const c = wallClock(instantMs, timeZone);
  return utcMs(c.year, c.month, c.day, c.hour, c.minute, c.second) + c.millisecond - instantMs;
}

/** The wall clock of an instant in a zone; throws ValidationError for an unknown zone or instant. */
function localTime(instantMs: number, timeZone: string): WallClock {
  if (!Number.isFinite(instantMs)) {
    throw ValidationError.field("instant", "must be a finite epoch-millisecond instant");
  }
  if (!isValidTimeZone(timeZone)) {
    throw ValidationError.field("timeZone", `unknown IANA time zone "${timeZone}"`);
  }
  try {
    return wallClock(instantMs, timeZone);
  } catch {
    throw ValidationError.field("instant", "is outside the representable date range");
  }
}

/** Fractional minutes since local midnight, keeping seconds so 20:59:59 is not 21:00. */
function localMinute(c: WallClock): number {
  return c.hour * 60 + c.minute + c.second / 60 + c.millisecond / 60_000;
}

const ISO_DATE = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})$/;

/** [year, month, day] of an ISO date that exists on the calendar, or null. */
function calendarDate(day: string): [number, number, number] | null {
  const m = ISO_DATE.exec(day);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return null;
  const check = new Date(utcMs(y, mo, d));
  return check.getUTCMonth() === mo - 1 && check.getUTCDate() === d ? [y, mo, d] : null;
}

/** The ISO date `days` after a calendar date (UTC arithmetic on the date alone). */
function addDays([y, m, d]: [number, number, number], days: number): string {
  return localDay(utcMs(y, m, d + days), "UTC");
}

/** Longest a local day can last (25 h on a fall-back day) plus a margin, for the search. */
const SEARCH_SPAN_MS = 50 * 3_600_000;

/**
 * The first instant (epoch ms) at or after `fromMs` whose local date in `zone` is `day` or
 * later. Local midnight is only a first guess (midnight read at the zone's offset, corrected
 * once for an offset change in between): where a DST change skips midnight (America/Santiago,
 * America/Havana, America/Asuncion... spring forward from 00:00 to 01:00) the day starts at
 * 01:00, and where a date is skipped entirely (Pacific/Apia, 2011-12-30) the next existing day
 * starts instead. Falls back to a binary search on the local date, which grows with the
 * instant, to the millisecond.
 */
function firstInstantOfDay(day: string, timeZone: string, fromMs: number): number {
  const date = calendarDate(day);
  const midnightUtc = date ? utcMs(...date) : Number.NaN;
  let guess = Number.NaN;
  try {
    guess = midnightUtc - offsetAt(midnightUtc, timeZone);
    guess = midnightUtc - offsetAt(guess, timeZone);
  } catch {
    // Outside Date's range: the search below decides (and throws ValidationError there).
  }
  if (
    Number.isFinite(guess) &&
    guess > fromMs &&
    localDay(guess, timeZone) >= day &&
    localDay(guess - 1, timeZone) < day
  ) {
    return guess;
  }
  let lo = fromMs; // local date before `day`
  let hi = fromMs + SEARCH_SPAN_MS; // local date at or after `day`
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (localDay(mid, timeZone) >= day) hi = mid;
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
  // Calendar arithmetic on the date alone: the wall-clock time of a missing midnight is moot.
  const nextDay = addDays([today.year, today.month, today.day], 1);
  return firstInstantOfDay(nextDay, timeZone, instantMs);
}

/**
 * The first instant (epoch ms) of the local date `day` ("YYYY-MM-DD") in `timeZone`: local
 * midnight, or the first existing instant of that date when a DST change skips midnight.
 * `plusDays` moves to a later date first (1: the end of `day`, i.e. the start of the next date).
 *
 * @throws ValidationError for an unknown zone or a malformed or non-existent date.
 */
export function startOfLocalDate(day: string, timeZone: string, plusDays = 0): number {
  if (!isValidTimeZone(timeZone)) {
    throw ValidationError.field("timeZone", `unknown IANA time zone "${timeZone}"`);
  }
  const date = /^\d{4}-\d{2}-\d{2}$/.test(day) ? calendarDate(day) : null;
  if (!date) throw ValidationError.field("day", "must be a calendar date YYYY-MM-DD");
  const target = plusDays === 0 ? day : addDays(date, plusDays);
  // Start the search a day early: no zone is more than 26 h away from UTC.
  const targetDate = calendarDate(target) ?? date;
  return firstInstantOfDay(target, timeZone, utcMs(...targetDate) - 30 * 3_600_000);
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
  const clock = localTime(instantMs, timeZone);
  const t = localMinute(clock);
  const today: Weekday = WEEKDAYS[clock.weekday - 1]!;
  const yesterday: Weekday = WEEKDAYS[(clock.weekday + 5) % 7]!;
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

/** RFC 3339 date-time (offset optional: none reads as UTC) or an ISO calendar date. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Epoch ms of an ISO 8601 instant — an RFC 3339 date-time (`2026-11-01T09:00:00.000+01:00`,
 * offset optional) or a calendar date (`2026-11-01`, its UTC midnight) — or null if unparsable
 * or not on the calendar. A string without an offset is read as UTC so the result never depends
 * on the host's zone. Fractions beyond milliseconds are truncated.
 */
export function parseInstant(iso: string): number | null {
  const m = ISO_INSTANT.exec(iso);
  if (!m) return null;
  const date = calendarDate(`${m[1]}-${m[2]}-${m[3]}`);
  if (!date) return null;
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, "0")) : 0;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || 0);
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  return utcMs(...date, hour, minute, second) + millis - offsetMinutes * 60_000;
}
