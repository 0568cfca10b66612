/**
 * The zones behind the in-process index, stored compactly: circles as three doubles (the exact
 * test is one haversine, identical to `compileZone`'s), polygons as their encoded string,
 * compiled on first use and kept. A million circles cost 29 MB here; a million compiled zones
 * (closures and objects) would cost hundreds.
 */
import { decodeZone } from "../../shared/domain/geometry/codec.ts";
import { BOUNDARY_TOLERANCE_M, compileZone } from "../../shared/domain/geometry/exact.ts";
import { haversineM, wrapLon } from "../../shared/domain/geometry/sphere.ts";
import type { CompiledZone } from "../../shared/domain/geometry/types.ts";
import type { BenchZone } from "../geofences.ts";

/** Zone number → exact containment test, with bounding data for the other engines. */
export class ZoneStore {
  readonly count: number;
  /** Per circle: centre lat, centre lon (wrapped like `compileZone`), radius + its tolerance, m. */
  private readonly circles: Float64Array;
  /** Polygon number per zone, -1 for circles. */
  private readonly polygonOf: Int32Array;
  private readonly polygonEncoded: string[] = [];
  private readonly polygonCompiled: (CompiledZone | undefined)[] = [];

  constructor(count: number) {
    this.count = count;
    this.circles = new Float64Array(3 * count);
    this.polygonOf = new Int32Array(count).fill(-1);
  }

  /** Records zone `z` (its stored, decoded geometry). */
  set(z: number, zone: BenchZone): void {
    const g = zone.geometry;
    if (g.type === "Circle") {
      this.circles[3 * z] = g.center.lat;
      this.circles[3 * z + 1] = wrapLon(g.center.lon);
      this.circles[3 * z + 2] = g.radiusM + BOUNDARY_TOLERANCE_M;
    } else {
      this.polygonOf[z] = this.polygonEncoded.length;
      this.polygonEncoded.push(zone.encoded);
      this.polygonCompiled.push(undefined);
    }
  }

  /** The compiled polygon of zone `z` (compiled once, on first use). */
  polygon(z: number): CompiledZone {
    const p = this.polygonOf[z] as number;
    let compiled = this.polygonCompiled[p];
    if (!compiled) {
      compiled = compileZone(decodeZone(this.polygonEncoded[p] as string));
      this.polygonCompiled[p] = compiled;
    }
    return compiled;
  }

  /** The exact test: the same predicate as `compileZone(decodeZone(stored)).contains`. */
  contains(z: number, lat: number, lon: number): boolean {
    const p = this.polygonOf[z] as number;
    if (p < 0) {
      const o = 3 * z;
      return (
        haversineM(this.circles[o] as number, this.circles[o + 1] as number, lat, lon) <=
        (this.circles[o + 2] as number)
      );
    }
    return this.polygon(z).contains(lat, lon);
  }

  /** Polygons compiled so far (lazily, by the queries). */
  get compiledPolygons(): number {
    return this.polygonCompiled.reduce((n, c) => n + (c ? 1 : 0), 0);
  }

  /** Number of polygon zones. */
  get polygons(): number {
    return this.polygonEncoded.length;
  }
}
