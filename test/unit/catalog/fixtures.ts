/** Valid catalog request bodies for tests; each test breaks one field. */
import { offerRequest } from "../../support/catalog-items.ts";
import { square } from "../../support/geo.ts";

export const PARIS = { lat: 48.8584, lon: 2.347 };

/** A ~40 m × 30 m rectangle near Châtelet, counter-clockwise, closed. */
/** A 0.002° square straddling the antimeridian at 16° S (Fiji). */
export const FIJI_SQUARE = {
  type: "Polygon" as const,
  coordinates: [square(179.999, -16.001, -179.999, -15.999)],
};

export const CHATELET_SQUARE = {
  type: "Polygon" as const,
  coordinates: [square(2.3467, 48.8583, 2.3472, 48.8586)],
};

/**
 * A square ring by the Louvre (`[lon, lat]` positions) whose last position misses the first by
 * 0.0001° of latitude (about 11 m): not closed, so rejected at position 4.
 */
export const UNCLOSED_RING = [
  [2.3467, 48.8583],
  [2.3472, 48.8583],
  [2.3472, 48.8586],
  [2.3467, 48.8586],
  [2.3467, 48.8584],
];

export function validStore(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Café Lumière",
    externalRef: "PAR-001",
    location: { ...PARIS },
    footprint: { type: "Circle", center: { ...PARIS }, radiusM: 25 },
    ...overrides,
  };
}

export const STORE_A = "st_AAAAAAAAAAAAAAAAAAAAAA";
export const STORE_B = "st_BBBBBBBBBBBBBBBBBBBBBB";
export const STORE_C = "st_CCCCCCCCCCCCCCCCCCCCCC";

/** {@link offerRequest} for stores A and B, with a 300 m trigger radius, valid through 2026. */
export function validOffer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return offerRequest([STORE_A, STORE_B], {
    triggerZone: { type: "StoreRadius", radiusM: 300 },
    validTo: "2026-12-31T00:00:00Z",
    ...overrides,
  });
}
