/**
 * Pieces shared by stores and offers: id formats, catalog table keys, and the small field
 * schemas (coordinates, time zones) both entities use.
 */
import * as z from "zod";
import { isValidTimeZone } from "../decision/local-day.ts";

/** Id prefixes; ids are `prefix_` + 128 random bits in base64url (see `Random.id`). */
export const STORE_ID_PREFIX = "st";
export const OFFER_ID_PREFIX = "of";

const ID_BODY = /^[A-Za-z0-9_-]{8,64}$/;

/** Whether `id` has the shape of an id we issue with `prefix` (anything else cannot exist). */
export function isCatalogId(prefix: string, id: string): boolean {
  return id.startsWith(`${prefix}_`) && ID_BODY.test(id.slice(prefix.length + 1));
}

/** A store id as it may appear in a request body. */
export const storeIdSchema = z
  .string()
  .refine((id) => isCatalogId(STORE_ID_PREFIX, id), "must be a store id such as st_3Fh…")
  .describe("Store id (st_…)");

export { catalogKeys } from "./keys.ts";

const latitude = z
  .number({ error: "must be a finite number" })
  .min(-90, { error: "the latitude must be within [-90, 90]" })
  .max(90, { error: "the latitude must be within [-90, 90]" })
  .describe("Latitude, degrees WGS 84");

const longitude = z
  .number({ error: "must be a finite number" })
  .min(-180, { error: "the longitude must be within [-180, 180]" })
  .max(180, { error: "the longitude must be within [-180, 180]" })
  .describe("Longitude, degrees WGS 84");

/** A WGS 84 point as `{lat, lon}` (the order GeoJSON does NOT use, hence named fields). */
export const latLonSchema = z.strictObject({ lat: latitude, lon: longitude });

/** An IANA time zone name that the tz database (luxon) knows. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Paris")
  .describe("IANA time zone; derived from the coordinates when omitted");

/** Optimistic-concurrency metadata every catalog entity carries. */
export interface Versioned {
  /** Bumped on every write; PUT with `If-Match` must name the current one. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Instants an offer may start or end at: years 2000–2099 (UTC). Anything outside is a typo or a
 * sentinel ("0001-01-01", "9999-12-31") that would sort, expire and TTL wrongly downstream.
 */
export const OFFER_INSTANT_RANGE = {
  min: Date.UTC(2000, 0, 1),
  max: Date.UTC(2100, 0, 1),
  message: "must be between 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z",
} as const;
