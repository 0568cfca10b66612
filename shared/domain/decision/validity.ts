/**
 * An offer's validity bounds: `validFrom` / `validTo` are either an RFC 3339 instant with
 * offset, or a calendar date ("2026-11-01") read on the wall clock of each store. A date-only
 * `validFrom` starts at 00:00 of that day in the store's zone; a date-only `validTo` INCLUDES
 * that whole day, i.e. the offer ends at 00:00 of the next local day (23 h or 25 h later on a
 * DST day — whatever the tz database says). Instants are the same everywhere.
 */
import { startOfLocalDate as firstInstantOfLocalDate, parseInstant } from "./local-time.ts";

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a calendar date "YYYY-MM-DD" (no time, no offset). */
export function isLocalDate(value: string): boolean {
  return LOCAL_DATE.test(value);
}

/**
 * The first instant of `date` + `plusDays` in the zone (local midnight, or the first existing
 * instant where a DST change skips it); null for an unknown zone or a date not on the calendar.
 */
function startOfLocalDate(date: string, timeZone: string, plusDays: number): number | null {
  try {
    return firstInstantOfLocalDate(date, timeZone, plusDays);
  } catch {
    return null;
  }
}

/**
 * Epoch ms at which an offer starts in `timeZone` (inclusive): an instant as is, a date at
 * 00:00 local of that day. `null` when unparsable or the zone is unknown (callers fail closed).
 */
export function validFromMs(validFrom: string, timeZone: string): number | null {
  return isLocalDate(validFrom)
    ? startOfLocalDate(validFrom, timeZone, 0)
    : parseInstant(validFrom);
}

/**
 * Epoch ms at which an offer ends in `timeZone` (exclusive): an instant as is, a date at 00:00
 * local of the NEXT day (the named day is included). `null` when unparsable.
 */
export function validToMs(validTo: string, timeZone: string): number | null {
  return isLocalDate(validTo) ? startOfLocalDate(validTo, timeZone, 1) : parseInstant(validTo);
}

/**
 * Civil time zones span UTC−12 to UTC+14, so a date-only bound means an instant within this
 * window whatever the store's zone.
 */
const EARLIEST_ZONE = "Etc/GMT-14"; // UTC+14 (POSIX sign is inverted)
const LATEST_ZONE = "Etc/GMT+12"; // UTC−12

/** The earliest instant `validFrom` can mean in any zone (for zone-free checks). */
export function earliestValidFromMs(validFrom: string): number | null {
  return validFromMs(validFrom, EARLIEST_ZONE);
}

/** The latest instant `validTo` can mean in any zone (for expiries that must outlive the offer). */
export function latestValidToMs(validTo: string): number | null {
  return validToMs(validTo, LATEST_ZONE);
}

/** The earliest instant `validTo` can mean in any zone (an offer surely ended after it). */
export function earliestValidToMs(validTo: string): number | null {
  return validToMs(validTo, EARLIEST_ZONE);
}

/**
 * Whether [validFrom, validTo) is non-empty in at least one zone: two dates compare as dates
 * (the same in every zone); a date against an instant compares at its widest reading (UTC+14
 * start, UTC−12 end), so only a window empty everywhere is refused up front.
 */
export function validityCanBeNonEmpty(validFrom: string, validTo: string): boolean {
  const both = isLocalDate(validFrom) && isLocalDate(validTo);
  const from = both ? validFromMs(validFrom, "UTC") : earliestValidFromMs(validFrom);
  const to = both ? validToMs(validTo, "UTC") : latestValidToMs(validTo);
  return from !== null && to !== null && from < to;
}
