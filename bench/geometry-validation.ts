/**
 * Geometry validation cost: what a store create (or each feature of an import) spends on the
 * footprint before anything is written — `parseZoneGeometry` (every validity rule: closure,
 * ranges, simple rings, ring touches and crossings, holes, area) plus the cell cover — for
 * 1,000-vertex polygons, the documented maximum. Side by side in the same run: the pairwise
 * self-intersection test (`@turf/kinks`, all edge pairs) that the R-tree check replaced.
 */
import { kinks } from "@turf/kinks";
import { coverZone } from "../shared/domain/geometry/cover.ts";
import { parseZoneGeometry } from "../shared/domain/geometry/schema.ts";
import type { ZoneGeometry } from "../shared/domain/geometry/types.ts";
import { thousandVertexRing } from "./index-shapes.ts";

/** Figures for one polygon (medians of the runs, CPU-bound, single thread). */
export interface GeometryValidationResult {
  shape: string;
  vertices: number;
  /** parseZoneGeometry: every validity rule (ms). */
  validateMs: number;
  /** coverZone on the validated geometry (ms). */
  coverMs: number;
  /** validateMs + coverMs. */
  totalMs: number;
  /** @turf/kinks over every ring pair, the quadratic check it replaces (ms). */
  pairwiseKinksMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Median thread CPU ms of `f` (not wall clock: on a shared machine the wall clock stretches
 * with other work). Each run repeats `f` until 20 ms of CPU accumulated, since thread CPU time
 * is accounted in scheduler ticks.
 */
function timeMs(runs: number, f: () => unknown): number {
  f(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.threadCpuUsage();
    let calls = 0;
    let us = 0;
    do {
      f();
      calls++;
      const t = process.threadCpuUsage(t0);
      us = t.user + t.system;
    } while (us < 20_000);
    out.push(us / 1000 / calls);
  }
  return median(out);
}

/** A square ring of `side` degrees at (lon, lat), closed. */
function square(lon: number, lat: number, side: number): number[][] {
  return [
    [lon, lat],
    [lon, lat + side],
    [lon + side, lat + side],
    [lon + side, lat],
    [lon, lat],
  ];
}

/** A counter-clockwise square ring with `perSide` vertices on each side, closed. */
function denseSquare(lon: number, lat: number, side: number, perSide: number): number[][] {
  const ring: number[][] = [];
  const corners = [
    [lon, lat],
    [lon + side, lat],
    [lon + side, lat + side],
    [lon, lat + side],
  ];
  for (let c = 0; c < 4; c++) {
    const a = corners[c] as number[];
    const b = corners[(c + 1) % 4] as number[];
    for (let k = 0; k < perSide; k++) {
      const t = k / perSide;
      ring.push([
        (a[0] as number) + t * ((b[0] as number) - (a[0] as number)),
        (a[1] as number) + t * ((b[1] as number) - (a[1] as number)),
      ]);
    }
  }
  ring.push([...(ring[0] as number[])]);
  return ring;
}

/** The measured shapes: a wavy 1,000-vertex footprint, and a shell with 99 holes (1,000 vertices). */
export function validationShapes(): { shape: string; geometry: ZoneGeometry }[] {
  const lat = 48.8566;
  const lon = 2.3522;
  const holes: number[][][] = [];
  for (let i = 0; i < 10; i++)
    for (let j = 0; j < 10; j++) holes.push(square(lon + 0.001 * i, lat + 0.001 * j, 0.0006));
  return [
    {
      shape: "1,000-vertex footprint (r ≈ 150 m)",
      geometry: { type: "Polygon", coordinates: [thousandVertexRing(lat, lon, 150)] },
    },
    {
      shape: "shell of 604 vertices + 99 square holes (1,000 vertices)",
      geometry: {
        type: "Polygon",
        coordinates: [denseSquare(lon - 0.0005, lat - 0.0005, 0.0106, 151), ...holes.slice(0, 99)],
      },
    },
  ];
}

/** Measures every shape `runs` times (median). */
export function measureGeometryValidation(runs = 15): GeometryValidationResult[] {
  const bounds = { minRadiusM: 5, maxRadiusM: 50_000, path: "footprint" };
  return validationShapes().map(({ shape, geometry }) => {
    const g = parseZoneGeometry(geometry, bounds);
    const rings = (g as { coordinates: number[][][] }).coordinates;
    const vertices = rings.reduce((s, r) => s + r.length - 1, 0);
    const validateMs = timeMs(runs, () => parseZoneGeometry(geometry, bounds));
    const coverMs = timeMs(Math.max(3, Math.floor(runs / 3)), () => coverZone(g));
    const pairwiseKinksMs = timeMs(Math.max(3, Math.floor(runs / 3)), () =>
      kinks({ type: "Polygon", coordinates: rings }),
    );
    return { shape, vertices, validateMs, coverMs, totalMs: validateMs + coverMs, pairwiseKinksMs };
  });
}
