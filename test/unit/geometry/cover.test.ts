import * as turf from "@turf/turf";
import {
  cellToBoundary,
  cellToChildren,
  cellToLatLng,
  cellToParent,
  getPentagons,
  getResolution,
  gridDisk,
  latLngToCell,
} from "h3-js";
import { describe, expect, it } from "vitest";
import {
  cellBudget,
  coverZone,
  coverZoneDetailed,
  DESCENDANT_REACH,
} from "../../../shared/domain/geometry/cover.ts";
import {
  cellsForPoint,
  decodeZone,
  encodeZone,
  FINEST_INDEX_RESOLUTION,
  INDEX_RESOLUTIONS,
  pointInCover,
  type ZoneGeometry,
} from "../../../shared/domain/geometry/index.ts";
import { UnprocessableError } from "../../../shared/errors.ts";
import { boundsOf, square } from "../../support/geo.ts";
import { type GeneratedZone, mulberry32, oracleInside, wrap } from "./generators.ts";

const circle = (lat: number, lon: number, radiusM: number): ZoneGeometry => ({
  type: "Circle",
  center: { lat, lon },
  radiusM,
});

/** A wavy ring of n vertices around a centre, like a traced building or district. */
function blob(lat: number, lon: number, radiusM: number, n: number): number[][] {
  const ring: number[][] = [];
  const k = 111_195;
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = radiusM * (1 + 0.15 * Math.sin(5 * a) + 0.05 * Math.sin(37 * a));
    ring.push([
      lon + (r * Math.cos(a)) / (k * Math.cos((lat * Math.PI) / 180)),
      lat + (r * Math.sin(a)) / k,
    ]);
  }
  ring.push([...(ring[0] as number[])]);
  return ring;
}

/** Points the oracle puts inside: rings just inside circles, both sides of polygon edges, a grid. */
function insidePoints(z: GeneratedZone, count: number): [number, number][] {
  const rnd = mulberry32(12345);
  const out: [number, number][] = [];
  const keep = (lat: number, lon: number) => {
    if (oracleInside(z, lat, wrap(lon)) === true) out.push([lat, wrap(lon)]);
  };
  if (z.circle) {
    const { lat, lon, radiusM } = z.circle;
    for (let i = 0; i < count; i++) {
      const f = [0.999999, 0.9999, 0.999, 0.99, 0.9, 0.5, rnd()][i % 7] as number;
      const p = turf.destination([lon, lat], radiusM * f, rnd() * 360 - 180, { units: "meters" });
      const [x, y] = p.geometry.coordinates as [number, number];
      keep(y, x);
    }
    return out;
  }
  const polys = z.unwrapped ?? [];
  const span = Math.max(z.box.east - z.box.west, z.box.north - z.box.south);
  const edges = polys.flatMap((rings) =>
    rings.flatMap((r) => r.slice(0, -1).map((p, i) => [p, r[i + 1] as number[]] as const)),
  );
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      keep(
        z.box.south + rnd() * (z.box.north - z.box.south),
        z.box.west + rnd() * (z.box.east - z.box.west),
      );
      continue;
    }
    const [a, b] = edges[Math.floor(rnd() * edges.length)] as readonly [number[], number[]];
    const t = rnd();
    const eps = span * 10 ** (-7 + 4 * rnd()) * (rnd() < 0.5 ? -1 : 1);
    const x = (a[0] as number) + t * ((b[0] as number) - (a[0] as number));
    const y = (a[1] as number) + t * ((b[1] as number) - (a[1] as number));
    keep(Math.max(-90, Math.min(90, y + eps)), x - eps);
  }
  return out;
}

function expectCovered(z: GeneratedZone, count = 6000): number {
  const cover = new Set(coverZone(z.geometry));
  const pts = insidePoints(z, count);
  const missed = pts.filter(([lat, lon]) => !pointInCover(lat, lon, cover));
  expect(missed.slice(0, 3), z.label).toEqual([]);
  return pts.length;
}

function polygonZone(rings: number[][][], label: string): GeneratedZone {
  return {
    geometry: {
      type: "Polygon",
      coordinates: rings.map((r) => r.map(([x, y]) => [wrap(x as number), y as number])),
    },
    unwrapped: [rings],
    box: boundsOf(rings[0] as number[][]),
    label,
  };
}

function circleZone(lat: number, lon: number, radiusM: number): GeneratedZone {
  return {
    geometry: circle(lat, lon, radiusM),
    circle: { lat, lon, radiusM },
    box: { west: lon - 180, east: lon + 180, south: -90, north: 90 },
    label: `circle ${radiusM} m at ${lat},${lon}`,
  };
}

describe("index resolutions and point keys", () => {
  it("are a small ascending set ending at the finest resolution", () => {
    expect([...INDEX_RESOLUTIONS]).toEqual([...INDEX_RESOLUTIONS].sort((a, b) => a - b));
    expect(INDEX_RESOLUTIONS.length).toBeLessThanOrEqual(6);
    expect(INDEX_RESOLUTIONS[INDEX_RESOLUTIONS.length - 1]).toBe(FINEST_INDEX_RESOLUTION);
  });

  it("cellsForPoint gives one key per resolution: the ancestors of the finest cell", () => {
    for (const [lat, lon] of [
      [48.8566, 2.3522],
      [90, 0],
      [-90, 0],
      [-16.5, 180],
      [-16.5, -180],
    ] as const) {
      const keys = cellsForPoint(lat, lon);
      const finest = latLngToCell(lat, lon, FINEST_INDEX_RESOLUTION);
      expect(keys.map(getResolution)).toEqual([...INDEX_RESOLUTIONS]);
      expect(keys).toEqual(INDEX_RESOLUTIONS.map((r) => cellToParent(finest, r)));
    }
  });

  it("pointInCover looks the point's keys up in the set", () => {
    const keys = cellsForPoint(10, 20);
    expect(pointInCover(10, 20, new Set([keys[1] as string]))).toBe(true);
    expect(pointInCover(10, 20, new Set(cellsForPoint(10, 21)))).toBe(false);
  });
});

describe("the descendant reach bound the cover relies on", () => {
  it("keeps every descendant (3 levels down) within DESCENDANT_REACH circumradii, pentagons and poles included", () => {
    const rnd = mulberry32(7);
    const cells = [
      ...getPentagons(5),
      latLngToCell(90, 0, 5),
      latLngToCell(-90, 0, 5),
      latLngToCell(0, 180, 5),
    ];
    for (let i = 0; i < 20; i++) {
      cells.push(latLngToCell((Math.asin(2 * rnd() - 1) * 180) / Math.PI, rnd() * 360 - 180, 5));
    }
    let worst = 0;
    for (const cell of cells.flatMap((c) => [c, cellToChildren(c, 7)[0] as string])) {
      const [lat, lon] = cellToLatLng(cell);
      const far = (c: string) =>
        Math.max(
          ...cellToBoundary(c).map(([a, b]) =>
            turf.distance([lon, lat], [b, a], { units: "meters" }),
          ),
        );
      const r = far(cell);
      const reach = Math.max(...cellToChildren(cell, getResolution(cell) + 3).map(far));
      worst = Math.max(worst, reach / r);
    }
    expect(worst).toBeGreaterThan(1); // children do stick out of their parent
    expect(worst * 1.05).toBeLessThan(DESCENDANT_REACH);
  });
});

describe("cover shape", () => {
  it("uses index resolutions only, sorted, with no cell inside another", () => {
    for (const g of [circle(48.85, 2.35, 2000), circle(0, 180, 50_000), circle(89.95, 0, 3000)]) {
      const cells = coverZone(g);
      expect(cells).toEqual([...new Set(cells)].sort());
      const set = new Set(cells);
      for (const c of cells) {
        const r = getResolution(c);
        expect(INDEX_RESOLUTIONS).toContain(r);
        for (const a of INDEX_RESOLUTIONS.filter((x) => x < r)) {
          expect(set.has(cellToParent(c, a))).toBe(false);
        }
      }
    }
  });

  it("is built from the stored (decoded) geometry", () => {
    const g: ZoneGeometry = {
      type: "Polygon",
      coordinates: [blob(45.123456789, 7.987654321, 300, 40)],
    };
    expect(coverZone(g)).toEqual(coverZone(decodeZone(encodeZone(g))));
  });

  it("refuses, quickly, a zone of long thin slivers that no bounded cover can index", () => {
    const sliver = (lat: number) => [
      [-80, lat],
      [80, lat],
      [80, lat + 1e-5],
      [-80, lat + 1e-5],
      [-80, lat],
    ];
    const g: ZoneGeometry = {
      type: "MultiPolygon",
      coordinates: [0, 10, 20, 30, 40, -10, -20, -30].map((lat) => [sliver(lat)]),
    };
    const t0 = performance.now();
    expect(() => coverZone(g)).toThrow(UnprocessableError);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("cell budget grows with the zone: 48 up to 200 m, at most 2,000", () => {
    expect(cellBudget(5)).toBe(48);
    expect(cellBudget(200)).toBe(48);
    expect(cellBudget(2000)).toBeGreaterThan(48);
    expect(cellBudget(50_000)).toBeLessThanOrEqual(2000);
    expect(cellBudget(1e9)).toBe(2000);
  });
});

describe("cell counts (targets: ≤ 50 for 200 m, ≤ 2,000 for 50 km)", () => {
  const places = [
    [48.8566, 2.3522],
    [-33.87, 151.21],
    [0.001, 179.999],
    [89.9, 45],
    [-89.95, -120],
  ] as const;

  for (const [radius, max] of [
    [5, 10],
    [50, 48],
    [200, 50],
    [2000, cellBudget(2000)],
    [50_000, 2000],
  ] as const) {
    it(`a ${radius} m circle stays within ${max} cells everywhere`, () => {
      for (const [lat, lon] of places) {
        const { cells } = coverZoneDetailed(circle(lat, lon, radius));
        expect(cells.length, `${lat},${lon}`).toBeLessThanOrEqual(max);
        expect(cells.length).toBeGreaterThan(0);
      }
    });
  }

  it("a 1,000-vertex polygon stays within its budget", () => {
    for (const r of [200, 2000, 40_000]) {
      const g: ZoneGeometry = { type: "Polygon", coordinates: [blob(40.7, -74, r, 1000)] };
      const { cells } = coverZoneDetailed(g);
      expect(cells.length).toBeLessThanOrEqual(cellBudget(r * 1.02));
    }
  });
});

describe("conservative near the poles, across the antimeridian and around holes", () => {
  it("a 50 km circle around lat 89.9 (it contains the North Pole)", () => {
    const z = circleZone(89.9, 30, 50_000);
    const cover = new Set(coverZone(z.geometry));
    for (const lon of [-180, -90, 0, 45, 90, 180]) expect(pointInCover(90, lon, cover)).toBe(true);
    expect(expectCovered(z)).toBeGreaterThan(5000);
  });

  it("a 2 km circle centred on the South Pole", () => {
    expect(expectCovered(circleZone(-90, 0, 2000))).toBeGreaterThan(5000);
  });

  it("small circles on the antimeridian and at the poles", () => {
    for (const [lat, lon, r] of [
      [0, 180, 30],
      [-16.5, -179.9999, 200],
      [89.99995, 0, 8],
      [-89.9999, 77, 5],
    ] as const) {
      // Points within 7 cm of the boundary are not judged: fewer for the 5 m circles.
      expect(expectCovered(circleZone(lat, lon, r))).toBeGreaterThan(2000);
    }
  });

  it("a circle around an H3 pentagon", () => {
    const [lat, lon] = cellToLatLng(getPentagons(7)[3] as string);
    expect(expectCovered(circleZone(lat, lon, 3000))).toBeGreaterThan(5000);
  });

  it("a Fiji-like polygon across the antimeridian", () => {
    const z = polygonZone([square(179.5, -17, 180.5, -16)], "fiji");
    const cover = new Set(coverZone(z.geometry));
    expect(pointInCover(-16.5, 179.9, cover)).toBe(true);
    expect(pointInCover(-16.5, -179.9, cover)).toBe(true);
    expect(pointInCover(-16.5, 0, cover)).toBe(false);
    expectCovered(z);
  });

  it("a polygon with a hole, both crossing the antimeridian", () => {
    const z = polygonZone(
      [square(179.99, -20, 180.01, -19.98), square(179.995, -19.995, 180.005, -19.985).reverse()],
      "holed antimeridian",
    );
    expectCovered(z);
  });

  it("a polygon near the South Pole spanning 170° of longitude", () => {
    const ring = [
      [-85, -89.6],
      [0, -89.55],
      [85, -89.6],
      [85, -89.9],
      [0, -89.95],
      [-85, -89.9],
      [-85, -89.6],
    ];
    expectCovered(polygonZone([ring], "south polar fan"));
  });

  it("a MultiPolygon with far-apart parts", () => {
    const a = blob(51.5, -0.12, 150, 30);
    const b = blob(35.68, 139.76, 400, 50);
    const z: GeneratedZone = {
      geometry: { type: "MultiPolygon", coordinates: [[a], [b]] },
      unwrapped: [[a], [b]],
      box: { west: -1, east: 140, south: 35, north: 52 },
      label: "london+tokyo",
    };
    const cover = new Set(coverZone(z.geometry));
    expect(pointInCover(51.5, -0.12, cover)).toBe(true);
    expect(pointInCover(35.68, 139.76, cover)).toBe(true);
    // Every cell of the cover is near one of the two parts.
    for (const c of cover) {
      const [lat] = cellToLatLng(c);
      expect(Math.abs(lat - 51.5) < 0.1 || Math.abs(lat - 35.68) < 0.1).toBe(true);
    }
  });

  it("misses nothing on a dense grid around a small zone (independent brute force)", () => {
    const z = polygonZone([blob(-0.0005, 179.9995, 60, 24)], "tiny blob on the antimeridian");
    const cover = new Set(coverZone(z.geometry));
    let inside = 0;
    for (let i = 0; i <= 120; i++) {
      for (let j = 0; j <= 120; j++) {
        const lat = z.box.south + ((z.box.north - z.box.south) * i) / 120;
        const lon = z.box.west + ((z.box.east - z.box.west) * j) / 120;
        if (oracleInside(z, lat, wrap(lon)) !== true) continue;
        inside++;
        expect(pointInCover(lat, wrap(lon), cover)).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(5000);
    // ...and the cover is not the whole neighbourhood: a point 1 km away is outside it.
    expect(pointInCover(0.01, 179.9995, cover)).toBe(false);
    expect(gridDisk(latLngToCell(0, 180, 11), 1).length).toBe(7);
  });
});
