/**
 * Stores: what a merchant sends (`storeInputSchema`), what is kept (`Store`), and the pure rules
 * that turn one into the other (normalised footprint, location, time zone; `buildStore` lives in
 * store-build.ts with the time zone map, which only the functions writing stores bundle).
 */
import * as z from "zod";
import { type FieldIssue, ValidationError } from "../../errors.ts";
import { type WeeklySchedule, weeklyScheduleSchema } from "../decision/offer-rules.ts";
import {
  compileZone,
  type LatLon,
  normalizeZoneGeometry,
  type ZoneGeometry,
  zoneGeometrySchema,
} from "../geometry/index.ts";
import { wrapLon } from "../geometry/sphere.ts";
import { displayText } from "../text.ts";
import { type PickupBay, pickupBaysSchema } from "./bays.ts";
import { latLonSchema, timeZoneSchema, type Versioned } from "./common.ts";

/** Footprint circles: from a kiosk (5 m) to a large campus (2 km). */
export const FOOTPRINT_RADIUS_BOUNDS = { minRadiusM: 5, maxRadiusM: 2_000 } as const;

/**
 * How far (m) a store's location may lie from its footprint. Further away is almost surely a
 * mistake (swapped lat/lon, a geocoder match in the wrong town), and would put StoreRadius
 * trigger zones around the wrong place.
 */
export const MAX_LOCATION_OFFSET_M = 5_000;

/**
 * Radius (m) of the circle footprint a store gets when it is sent without one (from its
 * `location`, or its geocoded `address`): a typical shop with its entrance, plus the few
 * metres of GPS error a phone indoors adds.
 */
export const DEFAULT_FOOTPRINT_RADIUS_M = 50;

/** The visit zone of a store: being inside it is a visit. */
export const footprintSchema = zoneGeometrySchema(FOOTPRINT_RADIUS_BOUNDS).describe(
  "The store's visit zone: a Circle (5 m – 2 km) or a GeoJSON Polygon/MultiPolygon (holes allowed)",
);

/** A merchant's own store code (`externalRef`): 1–100 characters, trimmed. */
export const storeCodeSchema = z.string().trim().min(1).max(100);

/** `POST /v1/stores` and `PUT /v1/stores/{storeId}` body (PUT replaces the whole store). */
export const storeInputSchema = z
  .strictObject({
    name: displayText({ min: 1, max: 120 }).describe("Display name"),
    externalRef: storeCodeSchema
      .optional()
      .describe(
        "The merchant's own code for the store (e.g. its ERP code), unique per merchant: " +
          "find it with ?externalRef= or /v1/stores/code:{code}; tills may redeem with it",
      ),
    address: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .optional()
      .describe(
        "Postal address; geocoded (Amazon Location) only when neither `location` nor " +
          "`footprint` is sent",
      ),
    location: latLonSchema
      .optional()
      .describe(
        "The store's point (entrance); when omitted it is the footprint's centre, or, without " +
          "a footprint, the geocoded `address`",
      ),
    timeZone: timeZoneSchema.optional(),
    openingHours: weeklyScheduleSchema
      .optional()
      .describe("Weekly opening windows in the store's local time"),
    footprint: footprintSchema
      .optional()
      .describe(
        "The store's visit zone. When omitted, a circle of " +
          `${DEFAULT_FOOTPRINT_RADIUS_M} m around \`location\` (or the geocoded \`address\`)`,
      ),
    pickupBays: pickupBaysSchema.optional(),
  })
  .describe("A store: where it is, when it is open, and the footprint that counts as a visit");

export type StoreInput = z.output<typeof storeInputSchema>;

/** Where a store's point came from, kept so a merchant can tell a guess from a fact. */
export type LocationSource = "request" | "geocoder" | "footprint";

/** Where a store's footprint came from: sent, or the default circle around its point. */
export type FootprintSource = "request" | "default";

/** A store as kept in the catalog. */
export interface Store extends Versioned {
  merchantId: string;
  storeId: string;
  name: string;
  externalRef?: string | undefined;
  address?: string | undefined;
  location: LatLon;
  locationSource: LocationSource;
  timeZone: string;
  openingHours?: WeeklySchedule | undefined;
  /** Normalised to RFC 7946 (winding, split at the antimeridian). */
  footprint: ZoneGeometry;
  /** Absent on stores written before defaults existed: those footprints were all sent. */
  footprintSource?: FootprintSource | undefined;
  /** Whether the time zone was derived from the location (absent: sent). */
  timeZoneDerived?: boolean | undefined;
  /**
   * Set with a write whose zones and store point are not indexed yet (an import writes the
   * store first): names the point the store had, so whoever finishes the indexing (the same
   * import resumed after a crash) also clears the old bucket, and how many pickup bays it had
   * (so bays dropped leave the index). Absent once indexed.
   */
  indexPending?:
    | { previousLocation?: LatLon | undefined; previousBays?: number | undefined }
    | undefined;
  /** Pickup bays beside the footprint (normalised); absent: none. */
  pickupBays?: PickupBay[] | undefined;
  /** H3 cells indexing the footprint and the pickup bays. */
  zoneCells: number;
  /** Offers listing this store; a store with offers cannot be deleted. */
  offerIds: string[];
}

/** The centre of a zone's bounding box (circle: its centre), across the antimeridian too. */
export function zoneCentre(g: ZoneGeometry): LatLon {
  if (g.type === "Circle") return { lat: g.center.lat, lon: wrapLon(g.center.lon) };
  const [west, south, east, north] = compileZone(g).bbox;
  const span = east >= west ? east - west : east + 360 - west;
  return { lat: (south + north) / 2, lon: wrapLon(west + span / 2) };
}

/** Re-roots a geometry error (paths relative to the geometry) under `prefix`. */
export function prefixIssues(error: unknown, prefix: string): unknown {
  if (!(error instanceof ValidationError) || !error.issues) return error;
  const issues: FieldIssue[] = error.issues.map((i) => ({
    path: `${prefix}/${i.path}`,
    reason: i.reason,
  }));
  return new ValidationError(`${issues[0]?.path}: ${issues[0]?.reason}`, { issues });
}

/** Normalises a validated geometry, reporting any residual error under `path`. */
export function normalizeAt(g: ZoneGeometry, path: string): ZoneGeometry {
  try {
    return normalizeZoneGeometry(g);
  } catch (error) {
    throw prefixIssues(error, path);
  }
}

export interface StoreFacts {
  merchantId: string;
  storeId: string;
  input: StoreInput;
  /** The geocoder's point when `input.location` was absent and the address matched. */
  geocoded?: LatLon | undefined;
  nowIso: string;
  /** The store being replaced, if any (keeps id, creation time and offer links). */
  previous?: Store | undefined;
}

/**
 * The store as a `StoreInput`: what a client would PUT to keep it as it is, and the document a
 * JSON Merge Patch applies to. Derived values stay derived: a geocoded location, a footprint
 * centre, a default footprint and a derived time zone are left out, so changing the address
 * re-geocodes, moving the footprint moves the point, and moving the store re-derives its zone.
 */
export function storeInputOf(store: Store): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: store.name,
    externalRef: store.externalRef,
    address: store.address,
    location: store.locationSource === "request" ? store.location : undefined,
    timeZone: store.timeZoneDerived ? undefined : store.timeZone,
    openingHours: store.openingHours,
    footprint: store.footprintSource === "default" ? undefined : store.footprint,
    pickupBays: store.pickupBays,
  };
  for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
  return input;
}

/** The store as the API returns it. */
export function storeView(store: Store) {
  return {
    storeId: store.storeId,
    name: store.name,
    externalRef: store.externalRef,
    address: store.address,
    location: store.location,
    locationSource: store.locationSource,
    timeZone: store.timeZone,
    openingHours: store.openingHours,
    footprint: store.footprint,
    footprintSource: store.footprintSource ?? "request",
    pickupBays: store.pickupBays ?? [],
    zoneCells: store.zoneCells,
    offerIds: store.offerIds,
    version: store.version,
    createdAt: store.createdAt,
    updatedAt: store.updatedAt,
  };
}

export type StoreView = ReturnType<typeof storeView>;
