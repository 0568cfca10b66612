/**
 * The local calendar day of an instant and time zone validity, on the runtime's own tz database
 * (`Intl.DateTimeFormat`, full ICU in Node 24) without luxon: functions that only date things
 * on a store's local day (the incentive publisher expiring codes) then bundle no date library.
 * Same answers as luxon's `IANAZone.isValidZone` and `DateTime#toISODate`, which read the same
 * Intl data (checked against luxon in test/unit/decision/local-day.test.ts).
 */
import { ValidationError } from "../../errors.ts";

/** Answers per zone name: building an Intl.DateTimeFormat costs tens of µs. */
const formats = new Map<string, Intl.DateTimeFormat | null>();
/** The tz database has about 600 names; anything beyond is not worth remembering. */
const MAX_REMEMBERED_ZONES = 1_000;

/** A `YYYY-MM-DD` formatter for the zone, or null for a name the tz database does not know. */
function dayFormat(timeZone: string): Intl.DateTimeFormat | null {
  const known = formats.get(timeZone);
  if (known !== undefined) return known;
  let format: Intl.DateTimeFormat | null = null;
  if (timeZone) {
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        era: "short",
      });
    } catch {
      format = null;
    }
  }
  if (formats.size < MAX_REMEMBERED_ZONES) formats.set(timeZone, format);
  return format;
}

/** True for a time zone name the tz database knows, e.g. "Europe/Berlin" (as luxon decides). */
export function isValidTimeZone(timeZone: string): boolean {
  return dayFormat(timeZone) !== null;
}

/**
 * The local calendar day "YYYY-MM-DD" of an instant (epoch ms) in an IANA zone. Per-day caps
 * are keyed by it so they roll over at local midnight of the zone that owns the cap, not at UTC
 * midnight. Years are proleptic Gregorian, 4 digits (6 with a sign outside 0–9999, as ISO 8601).
 *
 * @throws ValidationError for an unknown zone or a non-finite instant.
 */
export function localDay(instantMs: number, timeZone: string): string {
  if (!Number.isFinite(instantMs)) {
    throw ValidationError.field("instant", "must be a finite epoch-millisecond instant");
  }
  const format = dayFormat(timeZone);
  if (!format) throw ValidationError.field("timeZone", `unknown IANA time zone "${timeZone}"`);
  let year = 0;
  let month = "";
  let day = "";
  let bc = false;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = format.formatToParts(instantMs);
  } catch {
    throw ValidationError.field("instant", "is outside the representable date range");
  }
  for (const part of parts) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = part.value;
    else if (part.type === "day") day = part.value;
    else if (part.type === "era") bc = part.value === "BC";
  }
  // Eras count 1 BC, 2 BC...; ISO 8601 years count 0, -1...
  const iso = bc ? 1 - year : year;
  const y =
    iso >= 0 && iso <= 9999
      ? String(iso).padStart(4, "0")
      : `${iso < 0 ? "-" : "+"}${String(Math.abs(iso)).padStart(6, "0")}`;
  return `${y}-${month}-${day}`;
}
