/**
 * The zones the ping path has read from the geofence index, numbered, with their exact tests in
 * flat arrays. A circle (most zones) is its centre and radius in a Float64Array and is tested by
 * the same haversine as `compileZone` (so answers are identical, not approximately equal);
 * a polygon keeps its compiled form, built on its first test.
 */

import { decodeZone } from "../../domain/geometry/codec.ts";
import { BOUNDARY_TOLERANCE_M, compileZone } from "../../domain/geometry/exact.ts";
import { haversineM, wrapLon } from "../../domain/geometry/sphere.ts";
import type { CompiledZone } from "../../domain/geometry/types.ts";
import type { IndexedZone } from "../ports/geo-index-port.ts";

/** A zone ready for exact tests. */
export interface MatchedZone {
  zone: IndexedZone;
  compiled: CompiledZone;
}

/** Bytes counted per zone besides its encoded geometry (record, strings, map entry). */
const ZONE_OVERHEAD_BYTES = 400;
/** Bytes counted per character of encoded geometry, held once decoded (compiled polygons). */
const BYTES_PER_GEOMETRY_CHAR = 24;

/**
 * Zone number → zone, version and exact test. A zone id at a new version gets a new number (the
 * old one stays until the table is cleared), so a number always means one immutable geometry.
 */
export class ZoneTable {
  private readonly numberOf = new Map<string, number>();
  private readonly zones: IndexedZone[] = [];
  private readonly compiled: (CompiledZone | undefined)[] = [];
  private readonly matched: (MatchedZone | undefined)[] = [];
  /**
   * Per zone, side by side (one cache line): centre lat, centre lon (wrapped), reach m (radius
   * plus BOUNDARY_TOLERANCE_M; NaN for polygons), and the number shared by every version of the
   * same zone id.
   */
  private flat = new Float64Array(4 * 1024);
  private readonly idNumberOf = new Map<string, number>();
  private bytesCounted = 0;

  /** Zones held (all versions). */
  get size(): number {
    return this.zones.length;
  }

  /** Estimated bytes held (flat arrays plus per-zone estimates). */
  get bytes(): number {
    return this.bytesCounted + this.flat.byteLength;
  }

  /** The number of this zone at this version, adding it if new. */
  add(zone: IndexedZone): number {
    const key = `${zone.zoneId}@${zone.version}`;
    const known = this.numberOf.get(key);
    if (known !== undefined) return known;
    const n = this.zones.length;
    if (4 * n + 4 > this.flat.length) {
      const grown = new Float64Array(this.flat.length * 2);
      grown.set(this.flat);
      this.flat = grown;
    }
    let idNumber = this.idNumberOf.get(zone.zoneId);
    if (idNumber === undefined) {
      idNumber = this.idNumberOf.size;
      this.idNumberOf.set(zone.zoneId, idNumber);
    }
    this.flat[4 * n + 3] = idNumber;
    // Only circles are decoded here (cheap); a polygon is decoded when first compiled.
    const circle = zone.geometry.startsWith("C");
    const geometry = circle ? decodeZone(zone.geometry) : undefined;
    if (geometry?.type === "Circle") {
      this.flat[4 * n] = geometry.center.lat;
      this.flat[4 * n + 1] = wrapLon(geometry.center.lon);
      // The reach `compileZone`'s circle test allows (radius plus its boundary tolerance).
      this.flat[4 * n + 2] = geometry.radiusM + BOUNDARY_TOLERANCE_M;
    } else {
      this.flat[4 * n + 2] = Number.NaN;
    }
    this.zones.push(zone);
    this.compiled.push(undefined);
    this.matched.push(undefined);
    this.numberOf.set(key, n);
    this.bytesCounted +=
      ZONE_OVERHEAD_BYTES + zone.geometry.length * (circle ? 2 : BYTES_PER_GEOMETRY_CHAR);
    return n;
  }

  /** Whether zone `n` holds the point: the same predicate as `compiled(n).contains`. */
  contains(n: number, lat: number, lon: number): boolean {
    const o = 4 * n;
    const r = this.flat[o + 2] as number;
    if (!Number.isNaN(r)) {
      return haversineM(this.flat[o] as number, this.flat[o + 1] as number, lat, lon) <= r;
    }
    return this.compiledAt(n).contains(lat, lon);
  }

  /** The number shared by all versions of zone `n`'s id. */
  idNumber(n: number): number {
    return this.flat[4 * n + 3] as number;
  }

  /** Zone `n`'s version. */
  version(n: number): number {
    return (this.zones[n] as IndexedZone).version;
  }

  /** Zone `n` compiled for distances (compiled once, on first use). */
  compiledAt(n: number): CompiledZone {
    let c = this.compiled[n];
    if (!c) {
      c = compileZone(decodeZone((this.zones[n] as IndexedZone).geometry));
      this.compiled[n] = c;
    }
    return c;
  }

  /** Zone `n` with its compiled form, as the visit logic takes it. */
  matchedAt(n: number): MatchedZone {
    let m = this.matched[n];
    if (!m) {
      m = { zone: this.zones[n] as IndexedZone, compiled: this.compiledAt(n) };
      this.matched[n] = m;
    }
    return m;
  }

  /** Drops every zone (numbers restart at 0). */
  clear(): void {
    this.numberOf.clear();
    this.idNumberOf.clear();
    this.zones.length = 0;
    this.compiled.length = 0;
    this.matched.length = 0;
    this.bytesCounted = 0;
  }
}
