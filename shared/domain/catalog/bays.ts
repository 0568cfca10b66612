/**
 * Pickup bays: small areas beside a store's footprint (curbside spaces, a pickup lane, a locker
 * wall) where a shopper collecting an order waits. A pickup whose shopper stops inside one moves
 * to `waiting`. Bays are zones of the geofence index like footprints and trigger zones, of their
 * own kind (`bay`): the ping path reads them only for devices with an active pickup, and they
 * never open visits.
 */
import * as z from "zod";
import { ValidationError } from "../../errors.ts";
// The geometry modules themselves, not geometry/index.ts: that one also brings the H3 covers
// (h3-js), which the pickup functions reading bays never compute.
import { encodeZone } from "../geometry/codec.ts";
import { compileZone } from "../geometry/exact.ts";
import { zoneGeometrySchema } from "../geometry/schema.ts";
import { haversineM, wrapLon } from "../geometry/sphere.ts";
import type { ZoneGeometry } from "../geometry/types.ts";
import { displayText } from "../text.ts";
import { type ZoneDefinition, zoneIds } from "../zone.ts";

/** Circle bays: from one parking space (2 m) to a pickup lane or small car park (50 m). */
export const PICKUP_BAY_RADIUS_BOUNDS = { minRadiusM: 2, maxRadiusM: 50 } as const;

/**
 * Largest bay, as the radius (m) of a circle of equal area: 50 m, i.e. about 7,850 m², a car
 * park row or a pickup lane. Anything larger is not a bay: it would put shoppers driving past
 * in `waiting`.
 */
export const MAX_PICKUP_BAY_RADIUS_M = PICKUP_BAY_RADIUS_BOUNDS.maxRadiusM;

/** Bays one store may define (a large curbside lot numbers its spaces in the tens). */
export const MAX_PICKUP_BAYS = 20;

/**
 * How far (m) a bay may lie from the store's footprint (edge to edge): a bay across the car
 * park is fine, one in another street is a mistake (swapped coordinates, the wrong store).
 */
export const MAX_PICKUP_BAY_OFFSET_M = 300;

/** One bay as sent and kept. */
export interface PickupBay {
  /** What staff and shoppers call it ("Bay 3", "Curbside lane"). */
  name?: string | undefined;
  /** Normalised to RFC 7946 like a footprint. */
  geometry: ZoneGeometry;
}

/** `pickupBays` in a store body. */
export const pickupBaysSchema = z
  .array(
    z.strictObject({
      name: displayText({ min: 1, max: 40 })
        .optional()
        .describe('What staff and shoppers call the bay, e.g. "Bay 3"'),
      geometry: zoneGeometrySchema(PICKUP_BAY_RADIUS_BOUNDS).describe(
        `A Circle (${PICKUP_BAY_RADIUS_BOUNDS.minRadiusM}–${PICKUP_BAY_RADIUS_BOUNDS.maxRadiusM} m) ` +
          `or a small Polygon (at most the area of a ${MAX_PICKUP_BAY_RADIUS_M} m circle)`,
      ),
    }),
  )
  .max(MAX_PICKUP_BAYS, `at most ${MAX_PICKUP_BAYS} pickup bays per store`)
  .describe(
    `Pickup bays beside the footprint (at most ${MAX_PICKUP_BAYS}, each within ` +
      `${MAX_PICKUP_BAY_OFFSET_M} m of it): a pickup whose shopper stops in one is \`waiting\``,
  );

/**
 * Checks normalised bays against the store's (normalised) footprint: each no larger than the
 * area of a `MAX_PICKUP_BAY_RADIUS_M` circle and within `MAX_PICKUP_BAY_OFFSET_M` of the
 * footprint. Throws `ValidationError` naming `pickupBays/{i}/geometry`.
 */
export function checkPickupBays(bays: readonly PickupBay[], footprint: ZoneGeometry): void {
  const fp = compileZone(footprint);
  bays.forEach((bay, i) => {
    const compiled = compileZone(bay.geometry);
    const path = `pickupBays/${i}/geometry`;
    if (compiled.characteristicRadiusM > MAX_PICKUP_BAY_RADIUS_M + 1e-6) {
      const m2 = Math.round(compiled.characteristicRadiusM ** 2 * Math.PI);
      throw ValidationError.field(
        path,
        `covers ${m2} m²; a pickup bay covers at most ${Math.round(MAX_PICKUP_BAY_RADIUS_M ** 2 * Math.PI)} m²`,
      );
    }
    // Edge to edge, conservatively: the footprint's distance to the bay's centre less the
    // bay's reach from that centre (a circle's radius, a polygon's half bounding-box diagonal).
    const [west, south, east, north] = compiled.bbox;
    const span = east >= west ? east - west : east + 360 - west;
    const centre =
      bay.geometry.type === "Circle"
        ? bay.geometry.center
        : { lat: (south + north) / 2, lon: wrapLon(west + span / 2) };
    const extentM =
      bay.geometry.type === "Circle"
        ? bay.geometry.radiusM
        : haversineM(south, west, north, west + span) / 2;
    const gapM = fp.distanceM(centre.lat, centre.lon) - extentM;
    if (gapM > MAX_PICKUP_BAY_OFFSET_M) {
      throw ValidationError.field(
        path,
        `lies ${Math.round(gapM)} m from the footprint (at most ${MAX_PICKUP_BAY_OFFSET_M} m)`,
      );
    }
  });
}

/** The index zones of a store's bays (`bay.{storeId}.{n}`, n from 0 in the order sent). */
export function bayZones(store: {
  merchantId: string;
  storeId: string;
  pickupBays?: readonly PickupBay[] | undefined;
}): ZoneDefinition[] {
  return (store.pickupBays ?? []).map((bay, n) => {
    const compiled = compileZone(bay.geometry);
    return {
      zoneId: zoneIds.bay(store.storeId, n),
      kind: "bay",
      merchantId: store.merchantId,
      storeId: store.storeId,
      geometry: encodeZone(bay.geometry),
      characteristicRadiusM: compiled.characteristicRadiusM,
      dwellSeconds: 0,
    };
  });
}

/** Zone ids of a store's bays, derived (no lookup). */
export function bayZoneIds(store: {
  storeId: string;
  pickupBays?: readonly unknown[] | undefined;
}): string[] {
  return (store.pickupBays ?? []).map((_, n) => zoneIds.bay(store.storeId, n));
}
