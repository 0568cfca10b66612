/**
 * The time zone of a point, apart from the catalog's shared field schemas: the world's time zone
 * map (@photostructure/tz-lookup, about 70 KB minified) is bundled only by the functions that
 * derive a store's zone from its coordinates, not by every function that reads the catalog.
 */
import tzLookup from "@photostructure/tz-lookup";
import { isValidTimeZone } from "../decision/local-day.ts";

/**
 * The IANA time zone at a point, so schedules and per-day caps follow the store's wall clock
 * even when the merchant did not say. Uses @photostructure/tz-lookup (offline, maintained);
 * at sea it answers an `Etc/GMT±N` zone, which is still a valid IANA zone.
 */
export function deriveTimeZone(lat: number, lon: number): string {
  const zone = tzLookup(lat, lon);
  return isValidTimeZone(zone) ? zone : "UTC";
}
