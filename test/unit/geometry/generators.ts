/**
 * Random zones for the geometry tests, and an oracle that judges points without the module
 * under test: haversine (@turf/distance) for circles, @turf/boolean-point-in-polygon on the
 * generator's own unwrapped rings for polygons.
 */
import * as turf from "@turf/turf";
import fc from "fast-check";
import type { ZoneGeometry } from "../../../shared/domain/geometry/index.ts";
import {
  boundsOf,
  M_PER_DEG,
  mulberry32,
  edgeDistanceM as nearBoundaryM,
  padded,
  wrapLon as wrap,
} from "../../support/geo.ts";

/** A generated zone: the geometry as a client would send it, plus what the oracle needs. */
export interface GeneratedZone {
  geometry: ZoneGeometry;
  /** Circles: centre and radius. */
  circle?: { lat: number; lon: number; radiusM: number };
  /** Polygons: rings with continuous (unwrapped) longitudes, one entry per polygon. */
  unwrapped?: number[][][][];
  /** Where to draw points: lon/lat box of the unwrapped geometry. */
  box: { west: number; east: number; south: number; north: number };
  label: string;
}

interface Star {
  rings: number[][][];
  inner: number;
}

/** Star-shaped ring around (0, 0) in metres (x east, y north): always simple. */
function starRing(
  rnd: () => number,
  n: number,
  radius: number,
  cx = 0,
  cy = 0,
): { ring: number[][]; inscribed: number } {
  const pts: number[][] = [];
  for (let k = 0; k < n; k++) {
    const a = ((k + 0.8 * (rnd() - 0.5)) / n) * 2 * Math.PI;
    const r = radius * (0.35 + 0.65 * rnd());
    pts.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  let inscribed = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const [x1, y1] = pts[k] as number[];
    const [x2, y2] = pts[(k + 1) % n] as number[];
    const dx = (x2 as number) - (x1 as number);
    const dy = (y2 as number) - (y1 as number);
    const len2 = dx * dx + dy * dy;
    const t = Math.max(
      0,
      Math.min(1, ((cx - (x1 as number)) * dx + (cy - (y1 as number)) * dy) / len2),
    );
    inscribed = Math.min(
      inscribed,
      Math.hypot((x1 as number) + t * dx - cx, (y1 as number) + t * dy - cy),
    );
  }
  pts.push([...(pts[0] as number[])]);
  return { ring: pts, inscribed };
}

function star(rnd: () => number, n: number, radius: number, holes: number): Star {
  const shell = starRing(rnd, n, radius);
  const rings = [shell.ring];
  const ins = shell.inscribed;
  if (holes === 1) rings.push(starRing(rnd, 3 + Math.floor(rnd() * 8), ins * 0.7).ring);
  if (holes === 2) {
    rings.push(starRing(rnd, 3 + Math.floor(rnd() * 6), ins * 0.35, ins * 0.5, 0).ring);
    rings.push(starRing(rnd, 3 + Math.floor(rnd() * 6), ins * 0.35, -ins * 0.5, 0).ring);
  }
  return { rings, inner: ins };
}

/** Picks a centre: anywhere, near the antimeridian, or near either pole. */
function centre(rnd: () => number, kind: number, polarMarginDeg: number): [number, number] {
  const lon = rnd() * 360 - 180;
  switch (kind) {
    case 0:
      return [(Math.asin(2 * rnd() - 1) * 180) / Math.PI, lon];
    case 1:
      return [rnd() * 140 - 70, (rnd() < 0.5 ? 180 : -180) - (rnd() - 0.5) * 0.5];
    case 2:
      return [90 - polarMarginDeg - rnd() * 5, lon];
    default:
      return [-90 + polarMarginDeg + rnd() * 5, lon];
  }
}

function round7(n: number): number {
  return Math.round(n * 1e7) / 1e7;
}

/** One random zone from a seeded stream of numbers. */
export function randomZone(rnd: () => number): GeneratedZone {
  const radius = 10 ** (Math.log10(5) + rnd() * (Math.log10(50_000) - Math.log10(5)));
  const kind = Math.floor(rnd() * 4);
  const shape = rnd();
  if (shape < 0.4) {
    // Circles; near a pole some are placed so that they contain it.
    let [lat, lon] = centre(rnd, kind, 0);
    if (kind >= 2 && rnd() < 0.5) {
      const off = (radius / M_PER_DEG) * rnd() * 0.9;
      lat = kind === 2 ? 90 - off : -90 + off;
    }
    lat = Math.max(-90, Math.min(90, lat));
    lon = wrap(lon);
    const dLat = radius / M_PER_DEG;
    return {
      geometry: { type: "Circle", center: { lat, lon }, radiusM: radius },
      circle: { lat, lon, radiusM: radius },
      box: {
        west: lon - 180,
        east: lon + 180,
        south: Math.max(-90, lat - 1.3 * dLat),
        north: Math.min(90, lat + 1.3 * dLat),
      },
      label: `circle r=${radius.toFixed(1)} at ${lat.toFixed(5)},${lon.toFixed(5)}`,
    };
  }
  const multi = shape > 0.85;
  const holes = Math.floor(rnd() * 3);
  const n = rnd() < 0.1 ? 150 + Math.floor(rnd() * 150) : 4 + Math.floor(rnd() * 30);
  const rDeg = radius / M_PER_DEG;
  // Keep polygons off the pole itself (a ring around a pole is refused by validation).
  const [lat0, lon0] = centre(rnd, kind, rDeg * 2.6 + 1e-4);
  const cosLat = Math.max(Math.cos((lat0 * Math.PI) / 180), 1e-9);
  const xScale = Math.min(1 / (M_PER_DEG * cosLat), 60 / radius); // keeps lon extent < 120°
  const parts = multi ? 2 : 1;
  const unwrapped: number[][][][] = [];
  for (let p = 0; p < parts; p++) {
    const s = star(rnd, n, radius, holes);
    const dx = p === 0 ? 0 : radius * (rnd() * 3 - 1.5);
    const dy = p === 0 ? 0 : radius * (rnd() * 3 - 1.5);
    const rings = s.rings.map((ring, r) => {
      const out = ring.map(([x, y]) => [
        round7(lon0 + ((x as number) + dx) * xScale),
        round7(Math.max(-89.99999, Math.min(89.99999, lat0 + ((y as number) + dy) / M_PER_DEG))),
      ]);
      // Random winding: normalisation must accept either.
      return rnd() < 0.5 === (r === 0) ? out.reverse() : out;
    });
    unwrapped.push(rings);
  }
  const wrapped = unwrapped.map((rings) =>
    rings.map((ring) => ring.map(([x, y]) => [wrap(x as number), y as number])),
  );
  const geometry: ZoneGeometry = multi
    ? { type: "MultiPolygon", coordinates: wrapped }
    : { type: "Polygon", coordinates: wrapped[0] as number[][][] };
  return {
    geometry,
    unwrapped,
    box: padded(boundsOf(unwrapped.flat(2)), 0.15),
    label: `${geometry.type} n=${n} holes=${holes} r=${radius.toFixed(1)} at ${lat0.toFixed(5)},${lon0.toFixed(5)}`,
  };
}

/** fast-check arbitrary of zones (the seed drives a simple PRNG so shrinking is not needed). */
export const zoneArbitrary: fc.Arbitrary<GeneratedZone> = fc
  .integer({ min: 1, max: 2 ** 31 - 2 })
  .map((seed) => randomZone(mulberry32(seed)));

/** Oracle verdict, or undefined for a point within 1 cm of the boundary. */
/**
 * Closer than this to the boundary the oracle does not judge: the zone takes points within
 * its 5 cm boundary tolerance, on a geometry rounded to 1e-7° (about 1 cm).
 */
const UNDECIDED_M = 0.07;

export function oracleInside(z: GeneratedZone, lat: number, lon: number): boolean | undefined {
  if (z.circle) {
    const d = turf.distance([z.circle.lon, z.circle.lat], [lon, lat], { units: "meters" });
    if (Math.abs(d - z.circle.radiusM) < UNDECIDED_M) return undefined;
    return d <= z.circle.radiusM;
  }
  let inside = false;
  for (const rings of z.unwrapped ?? []) {
    const poly = turf.polygon(rings);
    for (const k of [-1, 0, 1]) {
      const x = lon + 360 * k;
      if (nearBoundaryM(rings, lat, x) < UNDECIDED_M) return undefined;
      if (turf.booleanPointInPolygon([x, lat], poly)) inside = true;
    }
  }
  return inside;
}

/**
 * A test point for a zone from three uniforms: inside-biased (within 1.3 radii of a circle,
 * in the padded box of a polygon), hugging a polygon edge, or anywhere on Earth.
 */
export function pointFor(
  z: GeneratedZone,
  mode: number,
  u: number,
  v: number,
  w: number,
): [number, number] {
  if (mode < 0.08) return [(Math.asin(2 * u - 1) * 180) / Math.PI, v * 360 - 180];
  if (z.circle) {
    const dist = z.circle.radiusM * 1.3 * Math.sqrt(u);
    const p = turf.destination([z.circle.lon, z.circle.lat], dist, v * 360 - 180, {
      units: "meters",
    });
    const [lon, lat] = p.geometry.coordinates as [number, number];
    return [lat, wrap(lon)];
  }
  const polys = z.unwrapped ?? [];
  if (mode < 0.5) {
    // Near an edge: a point of a random edge pushed a little in a random direction.
    const rings = polys[Math.floor(u * polys.length) % polys.length] as number[][][];
    const all = rings.flatMap((r) =>
      r.slice(0, -1).map((p, i) => [p, r[i + 1] as number[]] as const),
    );
    const [a, b] = all[Math.floor(v * all.length) % all.length] as readonly [number[], number[]];
    const t = w;
    const x = (a[0] as number) + t * ((b[0] as number) - (a[0] as number));
    const y = (a[1] as number) + t * ((b[1] as number) - (a[1] as number));
    const spanX = z.box.east - z.box.west;
    const spanY = z.box.north - z.box.south;
    const j = ((u * 7919) % 1) - 0.5;
    const k = ((v * 104729) % 1) - 0.5;
    return [Math.max(-90, Math.min(90, y + k * spanY * 0.02)), wrap(x + j * spanX * 0.02)];
  }
  const lon = z.box.west + u * (z.box.east - z.box.west);
  const lat = z.box.south + v * (z.box.north - z.box.south);
  return [lat, wrap(lon)];
}

export { mulberry32, nearBoundaryM, wrap };
