import { latLngToCell } from "./geometry/point-cells.ts";
import { EARTH_RADIUS_M, haversineM, unitVector } from "./geometry/sphere.ts";

/** Store locations are bucketed in H3 res-6 cells (≈ 3.7 km edge) for "offers near me". */
export const STORE_POINT_RESOLUTION = 6;

/**
 * Bounds of every res-6 cell, from its centre: the boundary is never nearer than
 * MIN_INRADIUS_M (measured with h3-js over 430,000 cells — every cell within 25 rings of the
 * 12 pentagons, descendants of every base cell and 200,000 random ones: 2,241 m) nor farther
 * than MAX_CIRCUMRADIUS_M (measured 4,096 m). Both carry a safety margin (1,862 m is half
 * the average edge, 4,656 m 1.25 edges): a looser bound only costs a few more bucket reads.
 */
const MIN_INRADIUS_M = 1_862;
const MAX_CIRCUMRADIUS_M = 4_656;
/** Sample spacing: every disc of radius MIN_INRADIUS_M within reach holds a sample point. */
const SAMPLE_STEP_M = MIN_INRADIUS_M;

/** The bucket key of a store location. */
export function storePointCell(lat: number, lon: number): string {
  return `P${STORE_POINT_RESOLUTION}#${latLngToCell(lat, lon, STORE_POINT_RESOLUTION)}`;
}

/**
 * Points `distanceM` from (lat, lon) in `n` evenly spaced directions, appended to `out` as
 * [lat, lon] pairs. Vector form (rotation about the point's axis from an arbitrary tangent
 * basis): exact at the poles, where bearing formulas lose their precision.
 */
function ringAround(lat: number, lon: number, distanceM: number, n: number, out: number[]): void {
  const [px, py, pz] = unitVector(lat, lon);
  // e = normalize(a × p) for an axis a not parallel to p; t = p × e.
  const [ax, ay, az] = Math.abs(pz) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  let ex = ay * pz - az * py;
  let ey = az * px - ax * pz;
  let ez = ax * py - ay * px;
  const norm = Math.hypot(ex, ey, ez);
  ex /= norm;
  ey /= norm;
  ez /= norm;
  const tx = py * ez - pz * ey;
  const ty = pz * ex - px * ez;
  const tz = px * ey - py * ex;
  const delta = distanceM / EARTH_RADIUS_M;
  const c = Math.cos(delta);
  const s = Math.sin(delta);
  for (let i = 0; i < n; i++) {
    const theta = (2 * Math.PI * i) / n;
    const u = Math.cos(theta) * s;
    const v = Math.sin(theta) * s;
    const qx = px * c + ex * u + tx * v;
    const qy = py * c + ey * u + ty * v;
    const qz = pz * c + ez * u + tz * v;
    out.push((Math.asin(Math.max(-1, Math.min(1, qz))) * 180) / Math.PI);
    out.push((Math.atan2(qy, qx) * 180) / Math.PI);
  }
}

/**
 * Buckets that together hold every point within `radiusM` of the query point, the query
 * point's own bucket first.
 *
 * Exact without neighbour tables: a cell holding a point within `radiusM` has its centre
 * within reach = radiusM + MAX_CIRCUMRADIUS_M, and contains the disc of radius MIN_INRADIUS_M
 * about that centre. Samples on concentric rings SAMPLE_STEP_M apart (each ring's samples at
 * most SAMPLE_STEP_M apart along it, the last ring at or beyond reach) leave no point within
 * reach farther than SAMPLE_STEP_M/2 + SAMPLE_STEP_M/2 = MIN_INRADIUS_M from a sample, so one
 * sample falls inside every such cell and its bucket is listed. Other buckets listed are read
 * for nothing, never wrong (the distance filter decides). Poles and the antimeridian need no
 * special case: samples are placed on the sphere by rotation about the query point.
 */
export function storePointCellsNear(lat: number, lon: number, radiusM: number): string[] {
  const reach = radiusM + MAX_CIRCUMRADIUS_M;
  const rings = Math.ceil(reach / SAMPLE_STEP_M);
  const cells = new Set([storePointCell(lat, lon)]);
  const samples: number[] = [];
  for (let j = 1; j <= rings; j++) {
    const distance = j * SAMPLE_STEP_M;
    ringAround(lat, lon, distance, Math.ceil((2 * Math.PI * distance) / SAMPLE_STEP_M), samples);
  }
  for (let i = 0; i < samples.length; i += 2) {
    cells.add(storePointCell(samples[i] as number, samples[i + 1] as number));
  }
  return [...cells];
}

export interface StorePoint {
  merchantId: string;
  storeId: string;
  lat: number;
  lon: number;
}

/** Store points within the radius, nearest first, with their distance. */
export function nearestStores(
  points: readonly StorePoint[],
  lat: number,
  lon: number,
  radiusM: number,
): (StorePoint & { distanceM: number })[] {
  return points
    .map((p) => ({ ...p, distanceM: haversineM(lat, lon, p.lat, p.lon) }))
    .filter((p) => p.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.storeId < b.storeId ? -1 : 1));
}
