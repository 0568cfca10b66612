/**
 * The matching engines compared on the same zones and pings. Each answers "which zones hold this
 * point?" into a reusable array (no allocation per ping in the timed loops):
 *
 * - Footfall: the shipped `ZoneMatcher` (the ping function's own module), its cache warm.
 * - Flatbush: the hand-rolled alternative, a static R-tree of bounding boxes, then the same test.
 * - Brute force: the exact test on every zone.
 * - Reference: brute force through `compileZone` itself (not the bench's fast circle test),
 *   pre-filtered by the bench's own bounding boxes, used to judge the others.
 */
import { booleanPointInPolygon } from "@turf/boolean-point-in-polygon";
import { distance } from "@turf/distance";
import Flatbush from "flatbush";
import { decodeZone } from "../../shared/domain/geometry/codec.ts";
import { compileZone } from "../../shared/domain/geometry/exact.ts";
import { EARTH_RADIUS_M } from "../../shared/domain/geometry/sphere.ts";
import type { CompiledZone } from "../../shared/domain/geometry/types.ts";
import type { ZoneMatcher } from "../../shared/use-cases/pings/zone-matcher.ts";
import { type BenchZone, M_PER_DEG } from "../geofences.ts";
import type { ZoneStore } from "./zone-store.ts";

const RAD = Math.PI / 180;
/** Padding of bounding boxes in degrees (about 1 cm): boxes may only be too big, never too small. */
const BOX_PAD_DEG = 1e-7;

/** A matcher under test. */
export interface Engine {
  readonly name: string;
  /** Writes the zones holding the point into `out` (cleared first); returns their number. */
  query(lat: number, lon: number, out: number[]): number;
  /** Zones given the exact test so far (candidates), for reports. */
  readonly candidatesTested: number;
}

/**
 * Footfall as shipped: the `ZoneMatcher` that `ping-ingest` runs (shared/use-cases/pings), its
 * cell cache filled through its own `getCells` port from a stand-in of the DynamoDB geo table
 * (the compact index of the real covers, not timed), then timed on `zonesHolding`: the per-ping
 * work of `candidates` (one `latLngToCellKey`, parent keys by bit operations, the point's memo or five cache lookups,
 * de-duplication) plus the exact test from the matcher's own flat zone table.
 */
export class FootfallEngine implements Engine {
  readonly name = "footfall";
  candidatesTested = 0;
  /** Matcher zone number → bench zone number. */
  private benchOf = new Int32Array(1024).fill(-1);

  constructor(readonly matcher: ZoneMatcher) {}

  /** The matcher's flush count when `benchOf` was last valid. */
  private flushes = 0;

  /**
   * Loads the cells of these pings into the matcher's cache, batch by batch, as ingest does.
   * A flush (zone table over its budget) renumbers the matcher's zones, so the zone number →
   * bench zone map starts again.
   */
  async prime(lats: Float64Array, lons: Float64Array, n: number, batch = 50): Promise<void> {
    for (let i = 0; i < n; i += batch) {
      const points: { lat: number; lon: number }[] = [];
      for (let j = i; j < Math.min(n, i + batch); j++) {
        points.push({ lat: lats[j] as number, lon: lons[j] as number });
      }
      await this.matcher.prime(points);
    }
    const flushes = this.matcher.stats.flushes;
    if (flushes !== this.flushes) {
      this.benchOf.fill(-1);
      this.flushes = flushes;
    }
  }

  private benchZone(n: number): number {
    if (n >= this.benchOf.length) {
      const grown = new Int32Array(2 ** Math.ceil(Math.log2(n + 1))).fill(-1);
      grown.set(this.benchOf);
      this.benchOf = grown;
    }
    let z = this.benchOf[n] as number;
    if (z < 0) {
      z = Number(this.matcher.zoneAt(n).zone.zoneId);
      this.benchOf[n] = z;
    }
    return z;
  }

  query(lat: number, lon: number, out: number[]): number {
    const k = this.matcher.zonesHolding(lat, lon, out);
    if (k < 0) throw new Error("footfall: a ping's cell is not cached (prime first)");
    for (let i = 0; i < k; i++) out[i] = this.benchZone(out[i] as number);
    return k;
  }
}

/** Bounding boxes [west, south, east, north] in unwrapped longitudes, one per zone. */
export type ZoneBoxes = Float64Array;

/**
 * The zone's box computed by the bench itself (not by the geometry module): a circle's exact
 * spherical-cap extent, a polygon's vertex extent, padded by 1 cm. West may be < -180 or east
 * > 180 for zones across the antimeridian; a cap holding a pole spans every longitude.
 */
export function zoneBox(zone: BenchZone, out: ZoneBoxes, z: number): void {
  let west: number;
  let east: number;
  let south: number;
  let north: number;
  const g = zone.geometry;
  if (g.type === "Circle") {
    const angular = g.radiusM / EARTH_RADIUS_M;
    const dLat = angular / RAD;
    south = g.center.lat - dLat;
    north = g.center.lat + dLat;
    if (north >= 90 || south <= -90) {
      west = -180;
      east = 180;
    } else {
      const s = Math.sin(angular) / Math.cos(g.center.lat * RAD);
      const dLon = s >= 1 ? 180 : Math.asin(s) / RAD;
      west = g.center.lon - dLon;
      east = g.center.lon + dLon;
    }
  } else {
    west = Number.POSITIVE_INFINITY;
    east = Number.NEGATIVE_INFINITY;
    south = 90;
    north = -90;
    for (const [x, y] of zone.ring ?? []) {
      west = Math.min(west, x as number);
      east = Math.max(east, x as number);
      south = Math.min(south, y as number);
      north = Math.max(north, y as number);
    }
  }
  out[4 * z] = west - BOX_PAD_DEG;
  out[4 * z + 1] = Math.max(-90, south - BOX_PAD_DEG);
  out[4 * z + 2] = east + BOX_PAD_DEG;
  out[4 * z + 3] = Math.min(90, north + BOX_PAD_DEG);
}

/** Whether zone `z`'s box holds the point (at any copy of its longitude). */
export function boxHolds(boxes: ZoneBoxes, z: number, lat: number, lon: number): boolean {
  if (lat < (boxes[4 * z + 1] as number) || lat > (boxes[4 * z + 3] as number)) return false;
  const west = boxes[4 * z] as number;
  const east = boxes[4 * z + 2] as number;
  return (
    (lon >= west && lon <= east) ||
    (lon + 360 >= west && lon + 360 <= east) ||
    (lon - 360 >= west && lon - 360 <= east)
  );
}

/** The hand-rolled alternative: a flatbush R-tree of zone boxes, then the exact test. */
export class FlatbushEngine implements Engine {
  readonly name = "flatbush";
  candidatesTested = 0;
  readonly tree: Flatbush;
  /** Zone of each box (zones across the antimeridian have two boxes). */
  readonly boxZone: Uint32Array;

  constructor(
    boxes: ZoneBoxes,
    private readonly store: ZoneStore,
  ) {
    const n = store.count;
    let count = 0;
    for (let z = 0; z < n; z++) count += this.split(boxes, z).length;
    this.tree = new Flatbush(count);
    this.boxZone = new Uint32Array(count);
    for (let z = 0; z < n; z++) {
      for (const [w, s, e, north] of this.split(boxes, z)) {
        this.boxZone[this.tree.add(w, s, e, north)] = z;
      }
    }
    this.tree.finish();
  }

  private split(boxes: ZoneBoxes, z: number): [number, number, number, number][] {
    const w = boxes[4 * z] as number;
    const s = boxes[4 * z + 1] as number;
    const e = boxes[4 * z + 2] as number;
    const n = boxes[4 * z + 3] as number;
    if (e - w >= 360) return [[-180, s, 180, n]];
    if (w < -180)
      return [
        [w + 360, s, 180, n],
        [-180, s, e, n],
      ];
    if (e > 180)
      return [
        [w, s, 180, n],
        [-180, s, e - 360, n],
      ];
    return [[w, s, e, n]];
  }

  /** Bytes of the tree's buffer and the box → zone map. */
  get bytes(): number {
    return this.tree.data.byteLength + this.boxZone.byteLength;
  }

  query(lat: number, lon: number, out: number[]): number {
    out.length = 0;
    const hits = this.tree.search(lon, lat, lon, lat);
    for (const box of hits) {
      const z = this.boxZone[box] as number;
      this.candidatesTested++;
      // A point on ±180 could hit both halves of a split zone: keep one answer.
      if (this.store.contains(z, lat, lon) && !out.includes(z)) out.push(z);
    }
    return out.length;
  }
}

/** The exact test on every zone. */
export class BruteForceEngine implements Engine {
  readonly name = "bruteForce";
  candidatesTested = 0;

  constructor(private readonly store: ZoneStore) {}

  query(lat: number, lon: number, out: number[]): number {
    out.length = 0;
    const n = this.store.count;
    for (let z = 0; z < n; z++) if (this.store.contains(z, lat, lon)) out.push(z);
    this.candidatesTested += n;
    return out.length;
  }
}

/**
 * The judge: every zone whose box holds the point, tested with `compileZone` on the
 * decoded stored geometry (zones are regenerated from the seed, compiled once, and kept).
 */
export class ReferenceOracle implements Engine {
  readonly name = "reference";
  candidatesTested = 0;
  private readonly compiled = new Map<number, CompiledZone>();

  constructor(
    private readonly boxes: ZoneBoxes,
    private readonly count: number,
    private readonly zoneAt: (z: number) => BenchZone,
  ) {}

  query(lat: number, lon: number, out: number[]): number {
    out.length = 0;
    for (let z = 0; z < this.count; z++) {
      if (!boxHolds(this.boxes, z, lat, lon)) continue;
      let c = this.compiled.get(z);
      if (!c) {
        c = compileZone(decodeZone(this.zoneAt(z).encoded));
        this.compiled.set(z, c);
      }
      this.candidatesTested++;
      if (c.contains(lat, lon)) out.push(z);
    }
    return out.length;
  }
}

/** Metres from a point to the nearest edge of an unwrapped ring (local flat frame). */
function edgeDistanceM(ring: number[][], lat: number, lon: number): number {
  const k = Math.cos(lat * RAD);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i] as [number, number];
    const [x2, y2] = ring[i + 1] as [number, number];
    const ax = (x1 - lon) * k;
    const ay = y1 - lat;
    const dx = (x2 - lon) * k - ax;
    const dy = y2 - lat - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy) * M_PER_DEG);
  }
  return best;
}

/** Points closer than this to a zone boundary are not judged by the independent oracle. */
export const ORACLE_TOLERANCE_M = 0.05;

/**
 * An independent verdict from turf (haversine distance for circles, point-in-polygon on the
 * generator's own unwrapped ring at every copy of the longitude): true, false, or undefined
 * within ORACLE_TOLERANCE_M of the boundary.
 */
export function turfVerdict(zone: BenchZone, lat: number, lon: number): boolean | undefined {
  const g = zone.geometry;
  if (g.type === "Circle") {
    const d = distance([g.center.lon, g.center.lat], [lon, lat], { units: "meters" });
    if (Math.abs(d - g.radiusM) < ORACLE_TOLERANCE_M) return undefined;
    return d <= g.radiusM;
  }
  const ring = zone.ring ?? [];
  let inside = false;
  for (const k of [-1, 0, 1]) {
    const x = lon + 360 * k;
    if (edgeDistanceM(ring, lat, x) < ORACLE_TOLERANCE_M) return undefined;
    if (booleanPointInPolygon([x, lat], { type: "Polygon", coordinates: [ring] })) inside = true;
  }
  return inside;
}
