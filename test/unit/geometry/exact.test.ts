import * as turf from "@turf/turf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileZone, type ZoneGeometry } from "../../../shared/domain/geometry/index.ts";
import { square } from "../../support/geo.ts";
import { type GeneratedZone, mulberry32, pointFor, randomZone } from "./generators.ts";

const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  return turf.distance([lon1, lat1], [lon2, lat2], { units: "meters" });
}

/**
 * Brute-force metres from a point to lon/lat-straight edges: coarse samples along each edge,
 * then a golden-section search around the best sample.
 */
function bruteDistance(polygons: number[][][][], lat: number, lon: number): number {
  let best = Number.POSITIVE_INFINITY;
  const at = (a: number[], b: number[], t: number) =>
    haversine(
      lat,
      lon,
      (a[1] as number) + t * ((b[1] as number) - (a[1] as number)),
      (a[0] as number) + t * ((b[0] as number) - (a[0] as number)),
    );
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i] as number[];
        const b = ring[i + 1] as number[];
        const n = 64;
        let bi = 0;
        let bd = Number.POSITIVE_INFINITY;
        for (let k = 0; k <= n; k++) {
          const d = at(a, b, k / n);
          if (d < bd) {
            bd = d;
            bi = k;
          }
        }
        let lo = Math.max(0, (bi - 1) / n);
        let hi = Math.min(1, (bi + 1) / n);
        for (let it = 0; it < 60; it++) {
          const m1 = lo + (hi - lo) * 0.382;
          const m2 = lo + (hi - lo) * 0.618;
          if (at(a, b, m1) < at(a, b, m2)) hi = m2;
          else lo = m1;
        }
        best = Math.min(best, bd, at(a, b, (lo + hi) / 2));
      }
    }
  }
  return best;
}

describe("circles", () => {
  it("50 km around lat 89.9 contains the pole and the far side, and nothing beyond 50 km", () => {
    const z = compileZone({ type: "Circle", center: { lat: 89.9, lon: 10 }, radiusM: 50_000 });
    expect(z.contains(90, 0)).toBe(true);
    expect(z.contains(90, -170)).toBe(true);
    expect(z.contains(89.7, -170)).toBe(true); // across the pole: 0.4° ≈ 44.5 km
    expect(z.contains(89.4, 10)).toBe(false); // 0.5° ≈ 55.6 km
    expect(z.contains(89.5, -170)).toBe(false); // across the pole: 0.6° ≈ 66.7 km
    expect(z.signedDistanceM(89.9, 10)).toBeCloseTo(-50_000, 6);
    expect(z.signedDistanceM(90, 123)).toBeCloseTo(0.1 * M_PER_DEG - 50_000, 3);
    expect(z.bbox).toEqual([-180, expect.closeTo(89.9 - 50_000 / M_PER_DEG, 9), 180, 90]);
    expect(z.characteristicRadiusM).toBe(50_000);
  });

  it("crossing the antimeridian: both names of a longitude, and a wrapped bbox", () => {
    const z = compileZone({ type: "Circle", center: { lat: 0, lon: 179.99 }, radiusM: 5000 });
    expect(z.contains(0, -179.99)).toBe(true);
    expect(z.contains(0, 180.01)).toBe(true);
    expect(z.contains(0, 179.9)).toBe(false);
    const [west, , east] = z.bbox;
    expect(west).toBeGreaterThan(179.9);
    expect(east).toBeLessThan(-179.9);
  });

  it("centred on the South Pole", () => {
    const z = compileZone({ type: "Circle", center: { lat: -90, lon: 0 }, radiusM: 1000 });
    expect(z.contains(-89.995, 123)).toBe(true); // 556 m
    expect(z.contains(-89.99, -45)).toBe(false); // 1,112 m
    expect(z.signedDistanceM(-89.99, 12)).toBeCloseTo(0.01 * M_PER_DEG - 1000, 6);
    expect(z.distanceM(-89.995, 0)).toBe(0);
  });
});

describe("polygons", () => {
  const holed: ZoneGeometry = {
    type: "Polygon",
    coordinates: [square(0, 0, 0.01, 0.01), square(0.004, 0.004, 0.006, 0.006).reverse()],
  };

  it("respects holes, with the distance measured to the hole's edge", () => {
    const z = compileZone(holed);
    expect(z.contains(0.002, 0.002)).toBe(true);
    expect(z.contains(0.005, 0.005)).toBe(false);
    expect(z.contains(0.02, 0.005)).toBe(false);
    expect(z.signedDistanceM(0.005, 0.005)).toBeCloseTo(0.001 * M_PER_DEG, -1);
    expect(z.signedDistanceM(0.005, 0.0025)).toBeCloseTo(-0.0015 * M_PER_DEG, -1);
    expect(z.distanceM(0.002, 0.002)).toBe(0);
  });

  it("a Fiji-like ring from 179.5 to -179.5 contains lon 179.9 and -179.9, not lon 0", () => {
    const z = compileZone({
      type: "Polygon",
      coordinates: [square(179.5, -17, -179.5, -16)],
    });
    expect(z.contains(-16.5, 179.9)).toBe(true);
    expect(z.contains(-16.5, -179.9)).toBe(true);
    expect(z.contains(-16.5, 180)).toBe(true);
    expect(z.contains(-16.5, -180)).toBe(true);
    expect(z.contains(-16.5, 0)).toBe(false);
    expect(z.contains(-16.5, 179.4)).toBe(false);
    expect(z.bbox).toEqual([179.5, -17, -179.5, -16]);
    // The seam at ±180 is not a boundary: the nearest edge is 0.5° of longitude away.
    expect(-z.signedDistanceM(-16.5, 180)).toBeGreaterThan(50_000);
    const areaM2 = turf.area(turf.polygon([square(179.5, -17, 180.5, -16)]));
    expect(z.characteristicRadiusM).toBeCloseTo(Math.sqrt(areaM2 / Math.PI), 0);
  });

  it("near the North Pole, edges are straight in lon/lat (a parallel, not a great circle)", () => {
    const z = compileZone({
      type: "Polygon",
      coordinates: [square(-60, 89.5, 60, 89.8)],
    });
    // On lat 89.8 at lon 0 the parallel is the edge; the great circle between the corners
    // would pass north of it, through lat ~89.9.
    expect(z.contains(89.79, 0)).toBe(true);
    expect(z.contains(89.81, 0)).toBe(false);
    expect(z.contains(89.85, 0)).toBe(false);
    expect(z.contains(89.6, 100)).toBe(false);
  });

  it("a MultiPolygon is the union of its (possibly overlapping) parts", () => {
    const z = compileZone({
      type: "MultiPolygon",
      coordinates: [[square(0, 0, 2, 2)], [square(1, 1, 3, 3)], [square(10, 10, 11, 11)]],
    });
    expect(z.contains(1.5, 1.5)).toBe(true);
    expect(z.contains(2.5, 2.5)).toBe(true);
    expect(z.contains(10.5, 10.5)).toBe(true);
    expect(z.contains(5, 5)).toBe(false);
    expect(z.bbox).toEqual([0, 0, 11, 11]);
  });

  it("bbox of a MultiPolygon on both sides of the antimeridian wraps", () => {
    const z = compileZone({
      type: "MultiPolygon",
      coordinates: [[square(170, 0, 175, 1)], [square(-175, 0, -170, 1)]],
    });
    expect(z.bbox).toEqual([170, 0, -170, 1]);
  });
});

describe("signed distance against brute force", () => {
  it("is within 0.5 m (+1e-5 relative) for random zones anywhere, poles and antimeridian included", () => {
    const rnd = mulberry32(2024);
    let checked = 0;
    for (let i = 0; i < 40; i++) {
      const zone: GeneratedZone = randomZone(rnd);
      const z = compileZone(zone.geometry);
      for (let k = 0; k < 12; k++) {
        const [lat, lon] = pointFor(zone, 0.1 + 0.9 * rnd(), rnd(), rnd(), rnd());
        const expected = zone.circle
          ? haversine(lat, lon, zone.circle.lat, zone.circle.lon) - zone.circle.radiusM
          : Math.min(
              ...[-360, 0, 360].map((s) => bruteDistance(zone.unwrapped ?? [], lat, lon + s)),
            );
        const got = Math.abs(z.signedDistanceM(lat, lon));
        expect(got, `${zone.label} at ${lat},${lon}`).toBeCloseTo(Math.abs(expected), -0);
        expect(Math.abs(got - Math.abs(expected))).toBeLessThanOrEqual(
          0.5 + 1e-5 * Math.abs(expected),
        );
        checked++;
      }
    }
    expect(checked).toBe(480);
  });

  it("property: distanceM is 0 inside and equals the signed distance outside", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 2 }), (seed) => {
        const rnd = mulberry32(seed);
        const zone = randomZone(rnd);
        const z = compileZone(zone.geometry);
        for (let k = 0; k < 5; k++) {
          const [lat, lon] = pointFor(zone, rnd(), rnd(), rnd(), rnd());
          const sd = z.signedDistanceM(lat, lon);
          expect(z.distanceM(lat, lon)).toBe(z.contains(lat, lon) ? 0 : sd);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("hot path", () => {
  it("answers contains on a 1,000-vertex polygon in microseconds", () => {
    const ring: number[][] = [];
    for (let i = 0; i < 1000; i++) {
      const a = (2 * Math.PI * i) / 1000;
      const r = 0.01 * (1 + 0.2 * Math.sin(7 * a));
      ring.push([2.35 + r * Math.cos(a) * 1.5, 48.85 + r * Math.sin(a)]);
    }
    ring.push([...(ring[0] as number[])]);
    const z = compileZone({ type: "Polygon", coordinates: [ring] });
    const rnd = mulberry32(1);
    const pts = Array.from({ length: 20_000 }, () => [48.83 + 0.04 * rnd(), 2.32 + 0.06 * rnd()]);
    const t0 = performance.now();
    let inside = 0;
    for (const [lat, lon] of pts) if (z.contains(lat as number, lon as number)) inside++;
    const perCallUs = ((performance.now() - t0) * 1000) / pts.length;
    expect(inside).toBeGreaterThan(1000);
    expect(perCallUs).toBeLessThan(20);
  });
});
