/**
 * Building a stored store from validated input. Apart from store.ts (schemas, views) because it
 * derives the time zone with the world's time zone map (time-zone.ts, about 70 KB): the
 * functions that only read stores bundle store.ts without it.
 */
import { UnprocessableError, ValidationError } from "../../errors.ts";
import { compileZone } from "../geometry/exact.ts";
import type { LatLon, ZoneGeometry } from "../geometry/types.ts";
import { checkPickupBays, type PickupBay } from "./bays.ts";
import {
  DEFAULT_FOOTPRINT_RADIUS_M,
  type FootprintSource,
  type LocationSource,
  MAX_LOCATION_OFFSET_M,
  normalizeAt,
  type Store,
  type StoreFacts,
  zoneCentre,
} from "./store.ts";
import { deriveTimeZone } from "./time-zone.ts";

/**
 * Builds the stored store from validated input: normalised footprint, a location (request,
 * geocoder or footprint centre, in that order) that must lie near the footprint, and a time
 * zone (request, else derived from the location). Pure; `zoneCells` is filled by the caller
 * once the footprint's cover is known.
 */
export function buildStore(facts: StoreFacts): Store {
  const { input, previous } = facts;
  let location: LatLon | undefined;
  let locationSource: LocationSource;
  if (input.location) {
    location = { lat: input.location.lat, lon: input.location.lon };
    locationSource = "request";
  } else if (facts.geocoded) {
    location = { lat: facts.geocoded.lat, lon: facts.geocoded.lon };
    locationSource = "geocoder";
  } else {
    locationSource = "footprint";
  }
  let footprint: ZoneGeometry;
  let footprintSource: FootprintSource = "request";
  if (input.footprint) {
    footprint = normalizeAt(input.footprint, "footprint");
  } else if (location) {
    footprint = { type: "Circle", center: location, radiusM: DEFAULT_FOOTPRINT_RADIUS_M };
    footprintSource = "default";
  } else {
    throw ValidationError.field(
      "footprint",
      "is required unless the store has a location or an address to geocode",
    );
  }
  const compiled = compileZone(footprint);
  location ??= zoneCentre(footprint);
  const offsetM = compiled.distanceM(location.lat, location.lon);
  if (offsetM > MAX_LOCATION_OFFSET_M) {
    const km = (offsetM / 1000).toFixed(1);
    if (locationSource === "geocoder") {
      throw UnprocessableError.field(
        "address",
        `geocodes to a point ${km} km from the footprint; send the store's location instead`,
      );
    }
    throw ValidationError.field(
      "location",
      `lies ${km} km from the footprint (at most ${MAX_LOCATION_OFFSET_M / 1000} km)`,
    );
  }
  let pickupBays: PickupBay[] | undefined;
  if (input.pickupBays && input.pickupBays.length > 0) {
    pickupBays = input.pickupBays.map((bay, i) => ({
      ...(bay.name !== undefined ? { name: bay.name } : {}),
      geometry: normalizeAt(bay.geometry, `pickupBays/${i}/geometry`),
    }));
    checkPickupBays(pickupBays, footprint);
  }
  return {
    merchantId: facts.merchantId,
    storeId: facts.storeId,
    name: input.name,
    externalRef: input.externalRef,
    address: input.address,
    location,
    locationSource,
    timeZone: input.timeZone ?? deriveTimeZone(location.lat, location.lon),
    timeZoneDerived: input.timeZone === undefined,
    openingHours: input.openingHours,
    footprint,
    footprintSource,
    ...(pickupBays ? { pickupBays } : {}),
    zoneCells: 0,
    offerIds: previous?.offerIds ?? [],
    version: (previous?.version ?? 0) + 1,
    createdAt: previous?.createdAt ?? facts.nowIso,
    updatedAt: facts.nowIso,
  };
}
