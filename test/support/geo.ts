/**
 * Geometry helpers every test suite uses, independent of the geometry module under test:
 * a seeded PRNG, metre offsets on turf's sphere, longitude folding and edge distances.
 */

/** Metres per degree of latitude on turf's sphere, so offsets and turf distances agree. */
export const M_PER_DEG = (Math.PI / 180) * 6_371_008.8;

/** Small deterministic PRNG (mulberry32) for reproducible data from a seed: the benchmarks' own. */
export { mulberry32 } from "../../bench/rng.ts";

/**
 * The closed, counter-clockwise GeoJSON ring `[lon, lat][]` of the rectangle from `west`/`south`
 * to `east`/`north` (degrees, taken as given: `east` may be less than `west` across the
 * antimeridian, or beyond 180). Reverse it for a clockwise ring (a hole).
 */
export const square = (west: number, south: number, east: number, north: number): number[][] => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];

/**
 * The closed GeoJSON ring through `positions` (`[lon, lat]` each, at least three): the first
 * position repeated at the end, as RFC 7946 §3.1.6 wants a linear ring.
 */
export function closedRing(...positions: number[][]): number[][] {
  const [first] = positions;
  if (!first || positions.length < 3) throw new Error("a ring needs at least three positions");
  return [...positions, first];
}

/** A longitude/latitude box in degrees; longitudes unwrapped (west may be < -180, east > 180). */
export interface Box {
  west: number;
  east: number;
  south: number;
  north: number;
}

/** The bounding box of `[lon, lat]` positions, longitudes taken as given (unwrapped). */
export function boundsOf(positions: Iterable<readonly number[]>): Box {
  const box = { west: Infinity, east: -Infinity, south: 90, north: -90 };
  for (const [x, y] of positions) {
    box.west = Math.min(box.west, x as number);
    box.east = Math.max(box.east, x as number);
    box.south = Math.min(box.south, y as number);
    box.north = Math.max(box.north, y as number);
  }
  return box;
}

/** `box` widened by `share` of its width and of its height on each side; latitudes kept in ±90. */
export function padded(box: Box, share: number): Box {
  const padX = (box.east - box.west) * share;
  const padY = (box.north - box.south) * share;
  return {
    west: box.west - padX,
    east: box.east + padX,
    south: Math.max(-90, box.south - padY),
    north: Math.min(90, box.north + padY),
  };
}

/** Longitude folded into [-180, 180), the form a device or a client sends. */
export function wrapLon(lon: number): number {
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** A point `eastM` / `northM` metres from `origin` (local flat frame, fine below a few km). */
export function offsetM(
  origin: { lat: number; lon: number },
  eastM: number,
  northM: number,
): { lat: number; lon: number } {
  const lat = origin.lat + northM / M_PER_DEG;
  const lon = origin.lon + eastM / (M_PER_DEG * Math.cos((origin.lat * Math.PI) / 180));
  return { lat, lon: wrapLon(lon) };
}

/**
 * Metres from a point to the nearest lon/lat-straight edge, measured in the point's local
 * equirectangular frame (exact enough at the centimetre scale where it matters).
 */
export function edgeDistanceM(rings: number[][][], lat: number, lon: number): number {
  const k = Math.cos((lat * Math.PI) / 180);
  let best = Number.POSITIVE_INFINITY;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as number[];
      const [x2, y2] = ring[i + 1] as number[];
      const ax = ((x1 as number) - lon) * k;
      const ay = (y1 as number) - lat;
      const bx = ((x2 as number) - lon) * k;
      const by = (y2 as number) - lat;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
      best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy) * M_PER_DEG);
    }
  }
  return best;
}
