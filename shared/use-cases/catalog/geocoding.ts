import type { Store, StoreInput } from "../../domain/catalog/index.ts";
import type { LatLon } from "../../domain/geometry/index.ts";
import { UnprocessableError } from "../../errors.ts";
import type { CatalogDeps } from "./deps.ts";

/**
 * The store's point when the request gave only an address (no location, no footprint: a
 * footprint already places the store): geocoded, and an unchanged address of a geocoded store
 * is not looked up again. No match is the caller's 422 naming `address`; an unavailable or
 * unconfigured geocoder is a 503 naming `address` before anything is written.
 */
export async function geocodeIfNeeded(
  deps: CatalogDeps,
  input: StoreInput,
  previous?: Store,
): Promise<LatLon | undefined> {
  if (input.location || input.footprint || !input.address) return undefined;
  if (previous?.locationSource === "geocoder" && previous.address === input.address) {
    return previous.location;
  }
  const match = await deps.geocoder.geocode(input.address);
  if (!match) throw UnprocessableError.field("address", "no place matches this address");
  return { lat: match.lat, lon: match.lon };
}
