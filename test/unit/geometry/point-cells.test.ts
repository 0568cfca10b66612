import fc from "fast-check";
import {
  cellToBoundary,
  cellToLatLng,
  cellToParent,
  getPentagons,
  gridDisk,
  latLngToCell as h3LatLngToCell,
} from "h3-js";
import { describe, expect, it } from "vitest";
import {
  FINEST_INDEX_RESOLUTION,
  INDEX_RESOLUTIONS,
} from "../../../shared/domain/geometry/cover.ts";
import { cellsForPoint, latLngToCell } from "../../../shared/domain/geometry/point-cells.ts";
import { haversineM, unitVector } from "../../../shared/domain/geometry/sphere.ts";
import {
  STORE_POINT_RESOLUTION,
  storePointCell,
  storePointCellsNear,
} from "../../../shared/domain/store-points.ts";
import { mulberry32, offsetM } from "../../support/geo.ts";

/** Latitude/longitude arbitraries weighted towards poles, the antimeridian and pentagons. */
const PENTAGON_CENTRES = getPentagons(STORE_POINT_RESOLUTION).map((c) => cellToLatLng(c));
const point = fc.oneof(
  fc.tuple(
    fc.double({ min: -90, max: 90, noNaN: true }),
    fc.double({ min: -180, max: 180, noNaN: true }),
  ),
  fc.tuple(
    fc.double({ min: 85, max: 90, noNaN: true }),
    fc.double({ min: -180, max: 180, noNaN: true }),
  ),
  fc.tuple(
    fc.double({ min: -90, max: -85, noNaN: true }),
    fc.double({ min: -180, max: 180, noNaN: true }),
  ),
  fc.tuple(
    fc.double({ min: -90, max: 90, noNaN: true }),
    fc.double({ min: 179, max: 180, noNaN: true }),
  ),
  fc.tuple(
    fc.double({ min: -90, max: 90, noNaN: true }),
    fc.double({ min: -180, max: -179, noNaN: true }),
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 11 }),
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
      fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    )
    .map(([i, dLat, dLon]) => {
      const [lat, lon] = PENTAGON_CENTRES[i] as [number, number];
      return [Math.max(-90, Math.min(90, lat + dLat)), lon + dLon] as [number, number];
    }),
);

describe("point cells without h3-js", () => {
  it("latLngToCell and cellsForPoint equal h3-js latLngToCell and cellToParent (property)", () => {
    fc.assert(
      fc.property(point, fc.integer({ min: 0, max: 15 }), ([lat, lon], res) => {
        expect(latLngToCell(lat, lon, res)).toBe(h3LatLngToCell(lat, lon, res));
        const finest = h3LatLngToCell(lat, lon, FINEST_INDEX_RESOLUTION);
        expect(cellsForPoint(lat, lon)).toEqual(
          INDEX_RESOLUTIONS.map((r) =>
            r === FINEST_INDEX_RESOLUTION ? finest : cellToParent(finest, r),
          ),
        );
      }),
      { numRuns: 20_000 },
    );
  });

  it("store point buckets equal h3-js res-6 cells (property)", () => {
    fc.assert(
      fc.property(point, ([lat, lon]) => {
        expect(storePointCell(lat, lon)).toBe(`P6#${h3LatLngToCell(lat, lon, 6)}`);
      }),
      { numRuns: 5_000 },
    );
  });
});

/** Points along the great-circle arc from a to b (H3 cell edges are such arcs), ends included. */
function* arc(
  a: [number, number],
  b: [number, number],
  steps: number,
): Generator<[number, number]> {
  const p = unitVector(a[0], a[1]);
  const q = unitVector(b[0], b[1]);
  for (let t = 0; t <= steps; t++) {
    const v = p.map((x, k) => x * (1 - t / steps) + (q[k] as number) * (t / steps));
    const n = Math.hypot(...v);
    yield [
      (Math.asin((v[2] as number) / n) * 180) / Math.PI,
      (Math.atan2(v[1] as number, v[0] as number) * 180) / Math.PI,
    ];
  }
}

/**
 * Whether an h3 cell comes within `radiusM` of the point: its centre or a point along its
 * edges (20 per edge, under 200 m apart at res 6) is within reach.
 */
function cellWithin(cell: string, lat: number, lon: number, radiusM: number): boolean {
  const [cLat, cLon] = cellToLatLng(cell);
  if (haversineM(lat, lon, cLat, cLon) <= radiusM) return true;
  const b = cellToBoundary(cell);
  for (let i = 0; i < b.length; i++) {
    for (const [pLat, pLon] of arc(
      b[i] as [number, number],
      b[(i + 1) % b.length] as [number, number],
      20,
    )) {
      if (haversineM(lat, lon, pLat, pLon) <= radiusM) return true;
    }
  }
  return false;
}

describe("storePointCellsNear (buckets of every point within the radius)", () => {
  it("lists its own bucket first", () => {
    const rnd = mulberry32(61);
    for (let i = 0; i < 200; i++) {
      const lat = rnd() * 180 - 90;
      const lon = rnd() * 360 - 180;
      expect(storePointCellsNear(lat, lon, 50 + rnd() * 9_950)[0]).toBe(storePointCell(lat, lon));
    }
  });

  it("includes every h3-js cell reaching into the radius: 0 misses near poles, antimeridian, pentagons (property)", () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: 50, max: 10_000, noNaN: true }),
        ([lat, lon], radiusM) => {
          const near = new Set(storePointCellsNear(lat, lon, radiusM));
          const origin = h3LatLngToCell(lat, lon, STORE_POINT_RESOLUTION);
          // 10 km is under 4 rings of res-6 cells anywhere (the smallest edge is about 2.2 km).
          for (const cell of gridDisk(origin, 6)) {
            if (cellWithin(cell, lat, lon, radiusM))
              expect(near.has(`P6#${cell}`), cell).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("holds the bucket of any point within the radius, the rim included (property)", () => {
    fc.assert(
      fc.property(
        point,
        fc.double({ min: 50, max: 10_000, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        ([lat, lon], radiusM, share, bearing) => {
          const d = radiusM * Math.sqrt(share) * 0.999;
          const target = offsetM({ lat, lon }, d * Math.cos(bearing), d * Math.sin(bearing));
          fc.pre(haversineM(lat, lon, target.lat, target.lon) <= radiusM);
          const near = new Set(storePointCellsNear(lat, lon, radiusM));
          expect(near.has(`P6#${h3LatLngToCell(target.lat, target.lon, 6)}`)).toBe(true);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
