/**
 * Field report: points on a polygon's edge. The boundary belongs to the zone, with a tolerance
 * at least as large as the rounding of stored coordinates (1e-7°), for every shape; and the cell
 * cover keeps every such point.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverZone } from "../../../shared/domain/geometry/cover.ts";
import {
  BOUNDARY_TOLERANCE_M,
  compileZone,
  decodeZone,
  encodeZone,
  pointInCover,
  type ZoneGeometry,
} from "../../../shared/domain/geometry/index.ts";
import { offsetM, square } from "../../support/geo.ts";

/** The reported rectangle (RFC 7946 [lon, lat]). */
const RECT: ZoneGeometry = {
  type: "Polygon",
  coordinates: [square(-79.4586181640625, 39.53793974517629, -79.4286181640625, 39.56793974517629)],
};

/** The 4 corners and 4 edge midpoints of a ring, as [lat, lon]. */
function cornersAndMidpoints(ring: number[][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = ring[i] as [number, number];
    const b = ring[i + 1] as [number, number];
    out.push([a[1], a[0]], [(a[1] + b[1]) / 2, (a[0] + b[0]) / 2]);
  }
  return out;
}

const stored = (g: ZoneGeometry) => compileZone(decodeZone(encodeZone(g)));

describe("points on a polygon's edge", () => {
  const points = cornersAndMidpoints((RECT as { coordinates: number[][][] }).coordinates[0] ?? []);

  it("all 4 corners and 4 edge midpoints of the reported rectangle enter (stored at 1e-7°)", () => {
    const zone = stored(RECT);
    const entered = points.filter(([lat, lon]) => zone.contains(lat, lon));
    expect(entered).toHaveLength(8);
    for (const [lat, lon] of points) expect(zone.signedDistanceM(lat, lon)).toBeLessThanOrEqual(0);
  });

  it("the same on the geometry as sent, and for the points rounded to 7 decimals", () => {
    const zone = compileZone(RECT);
    const round = (v: number) => Math.round(v * 1e7) / 1e7;
    for (const [lat, lon] of points) {
      expect(zone.contains(lat, lon)).toBe(true);
      expect(stored(RECT).contains(round(lat), round(lon))).toBe(true);
    }
  });

  it("every boundary point's cell is in the cover", () => {
    const cover = new Set(coverZone(RECT));
    for (const [lat, lon] of points) expect(pointInCover(lat, lon, cover)).toBe(true);
  });

  it("neighbours: 10 cm outside an edge is outside, 10 cm inside is inside", () => {
    const zone = stored(RECT);
    const [nLat, nLon] = points[5] as [number, number]; // north edge midpoint
    const out = offsetM({ lat: nLat, lon: nLon }, 0, 0.1);
    const inn = offsetM({ lat: nLat, lon: nLon }, 0, -0.1);
    expect(zone.contains(out.lat, out.lon)).toBe(false);
    expect(zone.contains(inn.lat, inn.lon)).toBe(true);
  });

  it("property: random points on the edges of random rectangles and triangles are inside", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -70, max: 70, noNaN: true }),
        fc.double({ min: -179, max: 179, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.05, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 2 }),
        (lat, lon, w, h, t, edge) => {
          const ring = [
            [lon, lat],
            [lon + w, lat + h / 3],
            [lon + w / 2, lat + h],
            [lon, lat],
          ] as [number, number][];
          const g: ZoneGeometry = { type: "Polygon", coordinates: [ring] };
          const a = ring[edge] as [number, number];
          const b = ring[edge + 1] as [number, number];
          const pLon = a[0] + t * (b[0] - a[0]);
          const pLat = a[1] + t * (b[1] - a[1]);
          const zone = stored(g);
          expect(zone.contains(pLat, pLon)).toBe(true);
          expect(zone.signedDistanceM(pLat, pLon)).toBeLessThanOrEqual(0);
          expect(pointInCover(pLat, pLon, new Set(coverZone(g)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("circles: a point on the circle (centre and radius stored rounded) is inside", () => {
    const center = { lat: 39.53793974517629, lon: -79.4586181640625 };
    const g: ZoneGeometry = { type: "Circle", center, radiusM: 40.0004 };
    const zone = stored(g);
    for (let k = 0; k < 16; k++) {
      const a = (2 * Math.PI * k) / 16;
      const p = offsetM(center, 40.0004 * Math.cos(a), 40.0004 * Math.sin(a));
      expect(zone.contains(p.lat, p.lon)).toBe(true);
      expect(zone.signedDistanceM(p.lat, p.lon)).toBeLessThanOrEqual(0);
    }
    expect(BOUNDARY_TOLERANCE_M).toBeGreaterThanOrEqual(0.01);
  });
});
