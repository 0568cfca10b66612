import * as turf from "@turf/turf";
import fc from "fast-check";
import type { MultiPolygon, Polygon } from "geojson";
import { describe, expect, it } from "vitest";
import {
  normalizeZoneGeometry,
  type Position,
  type ZoneGeometry,
} from "../../../shared/domain/geometry/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { square } from "../../support/geo.ts";
import {
  type GeneratedZone,
  mulberry32,
  oracleInside,
  pointFor,
  zoneArbitrary,
} from "./generators.ts";
import nearPoleMultiPolygon from "./near-pole-multipolygon.json" with { type: "json" };

/** The normalised polygon as turf's GeoJSON type. */
function geo(g: ZoneGeometry): Polygon | MultiPolygon {
  if (g.type === "Circle") throw new Error("not a polygon");
  return g;
}

/** Each edge cut into 64 lon/lat-straight pieces. */
/** Longest piece of a densified edge, in degrees of longitude or latitude. */
const DENSIFY_STEP_DEG = 0.01;

/**
 * The ring with each edge cut into pieces of at most `DENSIFY_STEP_DEG` (linear in lon/lat, as
 * the zone's edges are read): cutting by length rather than into a fixed number of pieces keeps
 * an edge split at the antimeridian as finely drawn as the whole edge, so the two sides' areas
 * differ by rounding only, even near a pole.
 */
function densify(ring: number[][]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    const n = Math.max(
      1,
      Math.ceil(Math.max(Math.abs(x2 - x1), Math.abs(y2 - y1)) / DENSIFY_STEP_DEG),
    );
    for (let k = 0; k < n; k++) out.push([x1 + ((x2 - x1) * k) / n, y1 + ((y2 - y1) * k) / n]);
  }
  out.push([...(ring[0] as number[])]);
  return out;
}

function polygonsOf(g: ZoneGeometry): Position[][][] {
  if (g.type === "Circle") return [];
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

const fiji: ZoneGeometry = {
  type: "Polygon",
  coordinates: [square(179.5, -17, -179.5, -16)],
};

describe("normalizeZoneGeometry", () => {
  it("rewinds to RFC 7946 (shell counter-clockwise, holes clockwise) instead of rejecting", () => {
    const g: ZoneGeometry = {
      type: "Polygon",
      coordinates: [square(0, 0, 1, 1).reverse(), square(0.2, 0.2, 0.8, 0.8)],
    };
    expect(turf.booleanClockwise(g.coordinates[0] as number[][])).toBe(true);
    const n = normalizeZoneGeometry(g);
    expect(n.type).toBe("Polygon");
    const [shell, hole] = polygonsOf(n)[0] as Position[][];
    expect(turf.booleanClockwise(shell as number[][])).toBe(false);
    expect(turf.booleanClockwise(hole as number[][])).toBe(true);
  });

  it("drops altitudes and repeated vertices, and keeps rings closed", () => {
    const n = normalizeZoneGeometry({
      type: "Polygon",
      coordinates: [
        [
          [0, 0, 12],
          [1, 0, 12],
          [1, 0, 13],
          [1, 1, 12],
          [0, 0, 12],
        ],
      ],
    });
    expect(n).toEqual({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ],
    });
  });

  it("splits a Fiji-like ring (179.5 → -179.5) into two polygons meeting at ±180°", () => {
    const n = normalizeZoneGeometry(fiji);
    expect(n.type).toBe("MultiPolygon");
    const parts = polygonsOf(n);
    expect(parts).toHaveLength(2);
    const lons = parts.flatMap((p) => p.flatMap((r) => r.map((q) => q[0] as number)));
    expect(Math.min(...lons)).toBe(-180);
    expect(Math.max(...lons)).toBe(180);
    expect(lons.every((x) => x >= -180 && x <= 180)).toBe(true);
    const unwrapped = turf.area(turf.polygon([square(179.5, -17, 180.5, -16)]));
    expect(turf.area(geo(n))).toBeCloseTo(unwrapped, -1);
    expect(turf.booleanPointInPolygon([179.9, -16.5], geo(n))).toBe(true);
    expect(turf.booleanPointInPolygon([-179.9, -16.5], geo(n))).toBe(true);
    expect(turf.booleanPointInPolygon([0, -16.5], geo(n))).toBe(false);
  });

  it("cuts a U whose prongs cross the antimeridian into three polygons", () => {
    // Unwrapped: base west of 180, two prongs reaching east of it.
    const u = [
      [179, 0],
      [181, 0],
      [181, 1],
      [179.8, 1],
      [179.8, 2],
      [181, 2],
      [181, 3],
      [179, 3],
      [179, 0],
    ];
    const n = normalizeZoneGeometry({
      type: "Polygon",
      coordinates: [u.map(([x, y]) => [x! > 180 ? x! - 360 : x!, y!])],
    });
    expect(polygonsOf(n)).toHaveLength(3);
    expect(turf.area(geo(n))).toBeCloseTo(turf.area(turf.polygon([u])), -1);
    expect(turf.booleanPointInPolygon([-179.5, 1.5], geo(n))).toBe(false);
    expect(turf.booleanPointInPolygon([179.9, 1.5], geo(n))).toBe(false);
    expect(turf.booleanPointInPolygon([179.5, 1.5], geo(n))).toBe(true);
    expect(turf.booleanPointInPolygon([-179.5, 0.5], geo(n))).toBe(true);
  });

  it("folds a hole that crosses the antimeridian into the outline of both halves", () => {
    const n = normalizeZoneGeometry({
      type: "Polygon",
      coordinates: [square(179, -18, -179, -15), square(179.8, -17, -179.8, -16).reverse()],
    });
    expect(polygonsOf(n)).toHaveLength(2);
    expect(turf.booleanPointInPolygon([179.9, -16.5], geo(n))).toBe(false);
    expect(turf.booleanPointInPolygon([-179.9, -16.5], geo(n))).toBe(false);
    expect(turf.booleanPointInPolygon([179.5, -16.5], geo(n))).toBe(true);
    expect(turf.booleanPointInPolygon([-179.5, -16.5], geo(n))).toBe(true);
  });

  it("refuses a ring that encircles a pole (it has no unambiguous inside)", () => {
    const ring = [-180, -90, 0, 90, 180].map((lon) => [lon, 85]);
    expect(() =>
      normalizeZoneGeometry({ type: "Polygon", coordinates: [[...ring, [-180, 85]]] }),
    ).toThrow(ValidationError);
  });

  it("folds a circle's longitude into [-180, 180)", () => {
    expect(
      normalizeZoneGeometry({ type: "Circle", center: { lat: 10, lon: 180 }, radiusM: 50 }),
    ).toEqual({ type: "Circle", center: { lat: 10, lon: -180 }, radiusM: 50 });
  });

  it("property: same area and same inside points as the unwrapped input, RFC form, idempotent", () => {
    fc.assert(
      fc.property(zoneArbitrary, fc.integer({ min: 1, max: 2 ** 31 - 2 }), (zone, seed) => {
        if (!zone.unwrapped) return;
        const n = normalizeZoneGeometry(zone.geometry);
        for (const rings of polygonsOf(n)) {
          rings.forEach((ring, r) => {
            expect(turf.booleanClockwise(ring as number[][])).toBe(r > 0);
            for (let i = 1; i < ring.length; i++) {
              const a = ring[i - 1] as number[];
              const b = ring[i] as number[];
              expect(Math.abs((a[0] as number) - (b[0] as number))).toBeLessThanOrEqual(180);
              expect(Math.abs(b[0] as number)).toBeLessThanOrEqual(180);
            }
          });
        }
        // turf's area formula reads edges as straight in (lon, sin lat), so compare both sides
        // densified: then the split may change the area by rounding only.
        const expectedArea = zone.unwrapped.reduce(
          (s, rings) => s + turf.area(turf.polygon(rings.map(densify))),
          0,
        );
        const gotArea = polygonsOf(n).reduce(
          (s, rings) => s + turf.area(turf.polygon(rings.map((r) => densify(r as number[][])))),
          0,
        );
        expect(Math.abs(gotArea - expectedArea)).toBeLessThanOrEqual(1e-6 * expectedArea + 1e-3);
        const rnd = mulberry32(seed);
        for (let k = 0; k < 30; k++) {
          const [lat, lon] = pointFor(zone, 0.1 + 0.9 * rnd(), rnd(), rnd(), rnd());
          const truth = oracleInside(zone, lat, lon);
          if (truth === undefined || Math.abs(Math.abs(lon) - 180) < 1e-9) continue;
          expect(
            turf.booleanPointInPolygon([lon, lat], geo(n)),
            `${zone.label} ${lat},${lon}`,
          ).toBe(truth);
        }
        expect(normalizeZoneGeometry(n)).toEqual(n);
      }),
      // Found by this property (seed 738814691): two parts at 88.6° S, both split at the
      // antimeridian; a fixed 64-piece densify drew the split edges finer than the whole ones.
      { numRuns: 300, examples: [[nearPoleMultiPolygon as GeneratedZone, 1]] },
    );
  });

  it("leaves a polygon that does not cross the antimeridian in place", () => {
    const g: ZoneGeometry = {
      type: "Polygon",
      coordinates: [
        [
          [10, 10],
          [11, 10],
          [10.5, 11],
          [10, 10],
        ],
      ],
    };
    expect(normalizeZoneGeometry(g)).toEqual(g);
    // Bit for bit, with coordinates that arithmetic would disturb.
    const ring = [
      [2.2944813, 48.8583701],
      [2.2956913, 48.8581101],
      [2.2951113, 48.8592701],
    ];
    const h: ZoneGeometry = { type: "Polygon", coordinates: [[...ring, ring[0] as number[]]] };
    expect(normalizeZoneGeometry(h)).toEqual(h);
  });
});
