/**
 * Normalisation to RFC 7946: exterior rings counter-clockwise, holes clockwise, and nothing
 * crossing the antimeridian (such polygons are split into a MultiPolygon at ±180°).
 */
import { rewind } from "@turf/rewind";
import type { Polygon } from "geojson";
import { ValidationError } from "../../errors.ts";
import {
  dedupeRing,
  type Ring,
  type Rings,
  shiftRings,
  splitAtAntimeridian,
  unwrapPolygon,
  xRange,
} from "./rings.ts";
import { wrapLon } from "./sphere.ts";
import type { Position, ZoneGeometry } from "./types.ts";

/** A zone's polygons unwrapped (continuous longitudes) and oriented, plus the RFC form. */
export interface PreparedPolygons {
  /** Open rings, shell first; longitudes continuous, the shell's west end in [-180, 180). */
  unwrapped: Rings[];
  /** The same area split at ±180°, as GeoJSON rings (closed, [lon, lat]). */
  split: Position[][][];
}

function close(ring: Ring): Position[] {
  const out: Position[] = ring.map(([x, y]) => [x, y]);
  const first = ring[0];
  if (first) out.push([first[0], first[1]]);
  return out;
}

/**
 * Uses @turf/rewind for the winding so the orientation rule is the library's, not ours
 * (it measures the planar area in longitude/latitude, matching how edges are read).
 */
function orient(rings: Rings): Rings {
  const closed = rings.map(close);
  if (closed.some((r) => r.length < 4)) return rings;
  const input: Polygon = { type: "Polygon", coordinates: closed };
  const wound = rewind(input, { mutate: true }) as Polygon;
  return wound.coordinates.map((r) =>
    dedupeRing(r.map((p): [number, number] => [p[0] ?? 0, p[1] ?? 0])),
  );
}

function polygonsOf(g: Exclude<ZoneGeometry, { type: "Circle" }>): Position[][][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

/**
 * Unwraps, orients and splits every polygon of the zone. Throws a ValidationError for a ring
 * that encircles a pole: such a ring has no unambiguous inside in longitude/latitude, and a
 * polar zone is better described as a Circle.
 */
export function preparePolygons(g: Exclude<ZoneGeometry, { type: "Circle" }>): PreparedPolygons {
  const unwrapped: Rings[] = [];
  const split: Position[][][] = [];
  polygonsOf(g).forEach((rings, p) => {
    const u = unwrapPolygon(rings);
    u.windings.forEach((w, r) => {
      if (w !== 0) {
        const path = g.type === "Polygon" ? `coordinates/${r}` : `coordinates/${p}/${r}`;
        throw ValidationError.field(
          path,
          "ring encircles a pole; describe a polar zone as a Circle",
        );
      }
    });
    const clean = u.rings.map(dedupeRing);
    const [minX] = xRange(clean[0] ?? []);
    const shifted = Number.isFinite(minX)
      ? shiftRings(clean, -360 * Math.floor((minX + 180) / 360))
      : clean;
    const oriented = orient(shifted);
    unwrapped.push(oriented);
    for (const piece of splitAtAntimeridian(oriented)) split.push(piece.map(close));
  });
  return { unwrapped, split };
}

/**
 * The RFC 7946 form of a zone: circles get their longitude folded into [-180, 180), polygons
 * get counter-clockwise shells and clockwise holes, lose altitudes and duplicate vertices, and
 * are split into a MultiPolygon when they cross the antimeridian (a ring sent with longitudes
 * jumping from 179 to -179 is read as crossing it, never as going the long way round).
 */
export function normalizeZoneGeometry(g: ZoneGeometry): ZoneGeometry {
  if (g.type === "Circle") {
    return {
      type: "Circle",
      center: { lat: g.center.lat, lon: wrapLon(g.center.lon) },
      radiusM: g.radiusM,
    };
  }
  const { split } = preparePolygons(g);
  if (g.type === "Polygon" && split.length === 1) {
    return { type: "Polygon", coordinates: split[0] as Position[][] };
  }
  return { type: "MultiPolygon", coordinates: split };
}
