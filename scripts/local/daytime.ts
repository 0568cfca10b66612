import { DateTime } from "luxon";

const ZONES = [
  "Pacific/Kiritimati",
  "Pacific/Auckland",
  "Asia/Tokyo",
  "Asia/Kolkata",
  "Asia/Dubai",
  "Europe/Paris",
  "Atlantic/Azores",
  "America/Sao_Paulo",
  "America/New_York",
  "America/Chicago",
  "America/Los_Angeles",
  "Pacific/Honolulu",
];

/**
 * An IANA zone where it is now mid-day, so tests that send incentives never fall into the
 * default quiet hours (21:00–08:00 in the device's zone) whatever time CI runs.
 */
export function daytimeZone(nowMs = Date.now()): string {
  for (const zone of ZONES) {
    const hour = DateTime.fromMillis(nowMs, { zone }).hour;
    if (hour >= 10 && hour < 17) return zone;
  }
  return "Asia/Tokyo";
}
