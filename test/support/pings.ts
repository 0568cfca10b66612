/**
 * Helpers for the ping-ingestion tests: a seeded PRNG, random geofences with an independent
 * brute-force oracle (turf point-in-polygon on the generator's own unwrapped rings, haversine
 * for circles), metre offsets, and the ingestion dependencies wired with an injected clock.
 */
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { distance } from "@turf/distance";
import type { Polygon } from "geojson";
import type { IndexedZone } from "../../shared/adapters/dynamo/geo-index-port.ts";
import { VisitStateConflict, type VisitStore } from "../../shared/adapters/dynamo/visit-store.ts";
import type { DevicePrincipal } from "../../shared/auth/principal.ts";
import type { ZoneGeometry } from "../../shared/domain/geometry/types.ts";
import type { DeviceVisitState, ZoneEvent } from "../../shared/domain/visit/types.ts";
import { boundsOf, edgeDistanceM, M_PER_DEG, mulberry32, offsetM, padded, wrapLon } from "./geo.ts";

/** Metres per degree of latitude on the IUGG mean sphere (the radius turf uses). */

/** Rounds to the 1e-7° grid the index stores, so the stored zone is exactly the generated one. */
export function round7(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}

/** Great-circle metres (turf's haversine, independent of the geometry module). */
export function haversineM(a: { lat: number; lon: number }, b: { lat: number; lon: number }) {
  return distance([a.lon, a.lat], [b.lon, b.lat], { units: "meters" });
}

/** Where a random geofence is placed. */
export type FenceRegion = "world" | "antimeridian" | "polar" | "city";

/** A generated geofence: what a client sends, plus what the oracle needs. */
export interface Fence {
  id: string;
  region: FenceRegion;
  /** As a client would send it: longitudes in [-180, 180], any winding. */
  geometry: ZoneGeometry;
  /** Circles: centre and radius. */
  circle?: { lat: number; lon: number; radiusM: number };
  /** Polygons: closed rings (shell, holes) with continuous longitudes. */
  rings?: number[][][];
  /** Unwrapped box (west may be < -180 or east > 180) for sampling and the oracle's pre-filter. */
  box: { west: number; east: number; south: number; north: number };
  /** Characteristic size in metres (radius of the circle or of the star). */
  sizeM: number;
  /** Whether the box spans every longitude (a circle at or next to a pole). */
  containsPole: boolean;
  /** Whether the fence itself holds a pole (circles only: polygons may not). */
  holdsPole: boolean;
  /** Whether the fence straddles the antimeridian. */
  crossesAntimeridian: boolean;
}

/** Whether an unwrapped longitude interval contains a copy of ±180°. */
function spans180(west: number, east: number): boolean {
  return Math.floor((west - 180) / 360) !== Math.floor((east - 180) / 360);
}

/** The city where "city" fences cluster, so pings often sit in several zones at once. */
export const CITY = { lat: 48.85, lon: 2.35 };

function logUniform(rnd: () => number, min: number, max: number): number {
  return 10 ** (Math.log10(min) + rnd() * (Math.log10(max) - Math.log10(min)));
}

function centreFor(rnd: () => number, region: FenceRegion, keepOffPoleDeg: number, sizeM: number) {
  const lon = rnd() * 360 - 180;
  switch (region) {
    case "world":
      return { lat: ((Math.asin(2 * rnd() - 1) * 180) / Math.PI) * 0.95, lon };
    case "antimeridian": {
      // Within the fence's own half-width of ±180°, so that most of them straddle it.
      const lat = rnd() * 150 - 75;
      const halfWidthDeg = sizeM / (M_PER_DEG * Math.cos((lat * Math.PI) / 180));
      return { lat, lon: 180 + (rnd() - 0.5) * 1.6 * halfWidthDeg };
    }
    case "polar": {
      const top = 90 - keepOffPoleDeg;
      const lat = 80 + rnd() * Math.max(0, top - 80);
      return { lat: rnd() < 0.5 ? lat : -lat, lon };
    }
    default:
      return {
        lat: CITY.lat + (rnd() - 0.5) * 0.12,
        lon: CITY.lon + (rnd() - 0.5) * 0.18,
      };
  }
}

/**
 * A star-shaped ring around (cx, cy) in metres: simple by construction, and the angular gaps stay
 * below 180° so the centre is inside. Returns the ring and its inscribed radius about the centre.
 */
function starRing(
  rnd: () => number,
  n: number,
  rMin: number,
  rMax: number,
  cx = 0,
  cy = 0,
): { ring: number[][]; inscribed: number } {
  const jitter = n === 3 ? 0.3 : 0.7;
  const pts: number[][] = [];
  for (let k = 0; k < n; k++) {
    const a = ((k + jitter * (rnd() - 0.5)) / n) * 2 * Math.PI;
    const r = rMin + (rMax - rMin) * rnd();
    pts.push([r * Math.cos(a), r * Math.sin(a)]);
  }
  let inscribed = Number.POSITIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const [x1, y1] = pts[k] as [number, number];
    const [x2, y2] = pts[(k + 1) % n] as [number, number];
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = Math.max(0, Math.min(1, -(x1 * dx + y1 * dy) / (dx * dx + dy * dy)));
    inscribed = Math.min(inscribed, Math.hypot(x1 + t * dx, y1 + t * dy));
  }
  return { ring: pts.map(([x, y]) => [(x as number) + cx, (y as number) + cy]), inscribed };
}

/**
 * One random geofence: circles of 5 m – 5 km (some holding a pole), star polygons of 10 m – 5 km
 * with 0–2 holes, anywhere, across the antimeridian, beyond ±80° or clustered in one city.
 */
export function randomFence(rnd: () => number, id: string, region: FenceRegion): Fence {
  if (rnd() < 0.45) {
    const radiusM = Math.round(logUniform(rnd, 5, 5000) * 1000) / 1000;
    let { lat, lon } = centreFor(rnd, region, 0, radiusM);
    if (region === "polar" && rnd() < 0.3) {
      // Close enough to hold the pole.
      const off = ((radiusM / M_PER_DEG) * rnd() * 0.9) as number;
      lat = lat > 0 ? 90 - off : -90 + off;
    }
    lat = round7(lat);
    lon = round7(wrapLon(lon));
    const dLat = (radiusM / M_PER_DEG) * 1.5;
    const containsPole = lat + dLat >= 89.999 || lat - dLat <= -89.999;
    const dLon = containsPole ? 180 : dLat / Math.max(Math.cos((lat * Math.PI) / 180), 1e-6);
    return {
      id,
      region,
      geometry: { type: "Circle", center: { lat, lon }, radiusM },
      circle: { lat, lon, radiusM },
      box: {
        west: lon - Math.min(180, dLon),
        east: lon + Math.min(180, dLon),
        south: Math.max(-90, lat - dLat),
        north: Math.min(90, lat + dLat),
      },
      sizeM: radiusM,
      containsPole,
      holdsPole:
        haversineM({ lat, lon }, { lat: 90, lon: 0 }) <= radiusM ||
        haversineM({ lat, lon }, { lat: -90, lon: 0 }) <= radiusM,
      crossesAntimeridian: !containsPole && spans180(lon - dLon / 1.5, lon + dLon / 1.5),
    };
  }
  const sizeM = logUniform(rnd, 10, 5000);
  const rDeg = sizeM / M_PER_DEG;
  const c = centreFor(rnd, region, 3 * rDeg + 1e-3, sizeM);
  const cosLat = Math.cos((c.lat * Math.PI) / 180);
  const n = rnd() < 0.1 ? 30 + Math.floor(rnd() * 40) : 3 + Math.floor(rnd() * 18);
  const shell = starRing(rnd, n, sizeM * 0.55, sizeM);
  const ins = shell.inscribed;
  const holes: number[][][] = [];
  const holeRoll = rnd();
  if (holeRoll > 0.85) {
    // Two holes side by side, each within half the inscribed disc.
    holes.push(starRing(rnd, 3 + Math.floor(rnd() * 5), ins * 0.15, ins * 0.35, -ins * 0.5).ring);
    holes.push(starRing(rnd, 3 + Math.floor(rnd() * 5), ins * 0.15, ins * 0.35, ins * 0.5).ring);
  } else if (holeRoll > 0.55) {
    holes.push(starRing(rnd, 3 + Math.floor(rnd() * 6), ins * 0.2, ins * 0.8).ring);
  }
  const toDeg = (ring: number[][]) =>
    ring.map(([x, y]) => [
      round7(c.lon + (x as number) / (M_PER_DEG * cosLat)),
      round7(c.lat + (y as number) / M_PER_DEG),
    ]);
  const close = (ring: number[][]) => [...ring, [...(ring[0] as number[])]];
  const reverseShell = rnd() < 0.5;
  const rings = [shell.ring, ...holes].map((r, i) => {
    const deg = close(toDeg(r));
    // Random winding: normalisation must accept either.
    return (i === 0) === reverseShell ? deg.reverse() : deg;
  });
  const bounds = boundsOf(rings[0] as number[][]);
  return {
    id,
    region,
    geometry: {
      type: "Polygon",
      coordinates: rings.map((r) => r.map(([x, y]) => [wrapLon(x as number), y as number])),
    },
    rings,
    box: padded(bounds, 0.2),
    sizeM,
    containsPole: false,
    holdsPole: false,
    crossesAntimeridian: spans180(bounds.west, bounds.east),
  };
}

const polygonCache = new WeakMap<Fence, Polygon>();

/** Boundary tolerance of the oracle: closer than this, a point is not judged. */
export const ORACLE_TOLERANCE_M = 0.1;
/** ORACLE_TOLERANCE_M in degrees (at least), for the pre-filter box. */
const BOX_PAD_DEG = 1e-6;

/**
 * The brute-force verdict: inside, outside, or undefined within ORACLE_TOLERANCE_M of the
 * boundary. Polygons are tested at every copy of the longitude (lon, lon ± 360) against the
 * unwrapped rings, which is how RFC 7946 means an antimeridian-crossing polygon.
 */
export function oracleInside(fence: Fence, lat: number, lon: number): boolean | undefined {
  if (fence.circle) {
    const d = haversineM(fence.circle, { lat, lon });
    if (Math.abs(d - fence.circle.radiusM) < ORACLE_TOLERANCE_M) return undefined;
    return d <= fence.circle.radiusM;
  }
  const rings = fence.rings ?? [];
  let polygon = polygonCache.get(fence);
  if (!polygon) {
    polygon = { type: "Polygon", coordinates: rings };
    polygonCache.set(fence, polygon);
  }
  let inside = false;
  for (const k of [-1, 0, 1]) {
    const x = lon + 360 * k;
    if (x < fence.box.west - BOX_PAD_DEG || x > fence.box.east + BOX_PAD_DEG) continue;
    if (lat < fence.box.south - BOX_PAD_DEG || lat > fence.box.north + BOX_PAD_DEG) continue;
    if (edgeDistanceM(rings, lat, x) < ORACLE_TOLERANCE_M) return undefined;
    if (booleanPointInPolygon([x, lat], polygon)) inside = true;
  }
  return inside;
}

/** Whether the oracle's pre-filter box may hold the point (any copy of its longitude). */
export function mayHold(fence: Fence, lat: number, lon: number): boolean {
  if (fence.containsPole) {
    return lat >= fence.box.south - BOX_PAD_DEG && lat <= fence.box.north + BOX_PAD_DEG;
  }
  if (lat < fence.box.south - BOX_PAD_DEG || lat > fence.box.north + BOX_PAD_DEG) return false;
  for (const k of [-1, 0, 1]) {
    const x = lon + 360 * k;
    if (x >= fence.box.west - BOX_PAD_DEG && x <= fence.box.east + BOX_PAD_DEG) return true;
  }
  return false;
}

/** Whether the point lies inside a hole of a polygon fence (inside the shell, outside the zone). */
export function inHole(fence: Fence, lat: number, lon: number): boolean {
  const rings = fence.rings;
  if (!rings || rings.length < 2) return false;
  for (const k of [-1, 0, 1]) {
    const x = lon + 360 * k;
    for (const hole of rings.slice(1)) {
      if (booleanPointInPolygon([x, lat], { type: "Polygon", coordinates: [hole] })) return true;
    }
  }
  return false;
}

/**
 * A ping position for a fence: inside-biased (circles within 1.4 radii, polygons in the padded
 * box), hugging a polygon edge or a circle's rim within a few metres, or anywhere on Earth.
 */
export function pointNear(rnd: () => number, fence: Fence): { lat: number; lon: number } {
  const mode = rnd();
  if (fence.circle) {
    const { lat, lon, radiusM } = fence.circle;
    const rim = mode < 0.3;
    const dist = rim
      ? radiusM + (rnd() - 0.5) * Math.min(10, radiusM)
      : radiusM * 1.4 * Math.sqrt(rnd());
    return destination({ lat, lon }, dist, rnd() * 360);
  }
  const rings = fence.rings ?? [];
  if (mode < 0.35) {
    const ring = rings[Math.floor(rnd() * rings.length)] as number[][];
    const i = Math.floor(rnd() * (ring.length - 1));
    const [x1, y1] = ring[i] as number[];
    const [x2, y2] = ring[i + 1] as number[];
    const t = rnd();
    const on = {
      lat: (y1 as number) + t * ((y2 as number) - (y1 as number)),
      lon: (x1 as number) + t * ((x2 as number) - (x1 as number)),
    };
    const push = (rnd() - 0.5) * Math.min(8, fence.sizeM * 0.2);
    const p = offsetM(on, push * Math.cos(rnd() * 6.3), push * Math.sin(rnd() * 6.3));
    return { lat: Math.max(-90, Math.min(90, p.lat)), lon: wrapLon(p.lon) };
  }
  const { west, east, south, north } = fence.box;
  return {
    lat: south + rnd() * (north - south),
    lon: wrapLon(west + rnd() * (east - west)),
  };
}

/** The point `metres` away from `from` on the initial bearing (great circle, spherical). */
export function destination(
  from: { lat: number; lon: number },
  metres: number,
  bearingDeg: number,
): { lat: number; lon: number } {
  const rad = Math.PI / 180;
  const d = metres / 6_371_008.8;
  const phi1 = from.lat * rad;
  const lambda1 = from.lon * rad;
  const theta = bearingDeg * rad;
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta),
  );
  const lambda2 =
    lambda1 +
    Math.atan2(
      Math.sin(theta) * Math.sin(d) * Math.cos(phi1),
      Math.cos(d) - Math.sin(phi1) * Math.sin(phi2),
    );
  return { lat: phi2 / rad, lon: wrapLon(lambda2 / rad) };
}

/** An in-memory geofence index: cell → zones, read the way the DynamoDB adapter returns it. */
export function memoryCellIndex() {
  const cells = new Map<string, IndexedZone[]>();
  let reads = 0;
  let cellsRead = 0;
  return {
    cells,
    get reads() {
      return reads;
    },
    get cellsRead() {
      return cellsRead;
    },
    put(zone: IndexedZone, cover: readonly string[]) {
      for (const cell of cover) {
        const list = cells.get(cell);
        if (list) list.push(zone);
        else cells.set(cell, [zone]);
      }
    },
    async getCells(wanted: string[]): Promise<Map<string, IndexedZone[]>> {
      reads++;
      cellsRead += wanted.length;
      const out = new Map<string, IndexedZone[]>();
      for (const cell of wanted) out.set(cell, cells.get(cell) ?? []);
      return out;
    },
  };
}

/** A device as the authorizer hands it over; consented, no open visits unless overridden. */
export function devicePrincipalFor(
  deviceId: string,
  overrides: Partial<DevicePrincipal> = {},
): DevicePrincipal {
  return {
    deviceId,
    consentLocation: true,
    consentMarketing: true,
    timeZone: "Europe/Paris",
    segments: [],
    platform: "ios",
    ...overrides,
  };
}

/** A settable clock for the ingestion path (server time). */
/**
 * The start of a scripted trajectory: `hours` ago, on a whole minute (epoch ms), so every ping of
 * the script lies within the accepted clock window.
 */
export function scriptStart(hours = 1): number {
  return Math.floor(Date.now() / 60_000) * 60_000 - hours * 3_600_000;
}

export function manualClock(start: number) {
  let now = start;
  return {
    now: () => now,
    set(ms: number) {
      now = ms;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Everything the in-memory visit store holds for one device. */
interface StoredVisitItem {
  state: DeviceVisitState;
  pending: ZoneEvent[];
  version: number;
}

/**
 * An in-memory `VisitStore` with the DynamoDB adapter's optimistic-lock semantics, counting calls;
 * `failNextSaves` makes the next saves lose a race (as if another batch saved first).
 */
export function memoryVisitStore() {
  const items = new Map<string, StoredVisitItem>();
  const calls = { load: 0, save: 0 };
  let failNextSaves = 0;
  const store: VisitStore = {
    async load(deviceId) {
      calls.load++;
      const item = items.get(deviceId);
      if (!item) return { state: undefined, pending: [], version: 0 };
      return structuredClone(item);
    },
    async save(deviceId, next, expectedVersion) {
      calls.save++;
      const current = items.get(deviceId)?.version ?? 0;
      if (failNextSaves > 0 || current !== expectedVersion) {
        failNextSaves = Math.max(0, failNextSaves - 1);
        throw new VisitStateConflict();
      }
      items.set(deviceId, structuredClone({ ...next, version: expectedVersion + 1 }));
      return expectedVersion + 1;
    },
  };
  return {
    store,
    items,
    calls,
    failNextSaves(n: number) {
      failNextSaves = n;
    },
  };
}

export { edgeDistanceM, M_PER_DEG, mulberry32, offsetM, wrapLon };
