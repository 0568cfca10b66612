/**
 * Conservative H3 cell covers of zones, and the cells a ping looks up.
 *
 * Index semantics (the contract between `coverZone` and `cellsForPoint`): a ping's cell at
 * resolution r is the r-ancestor of its cell at the finest index resolution (`cellToParent`),
 * not `latLngToCell(p, r)`. H3 children stick out of their parent (about 6 % of points fall
 * in a different res-7 cell than the parent of their res-11 cell), so only this logical
 * hierarchy makes "a parent stands for its seven children" exact, which is what lets the cover
 * be compacted without losing points.
 *
 * Guarantee: for every point the exact test (`compileZone(decoded).contains`) puts inside the
 * zone, one of `cellsForPoint(point)` is in `coverZone(zone)`. The cover is built at one base
 * resolution by a breadth-first walk over cells whose centre lies within DESCENDANT_REACH
 * circumradii of the zone (every point whose finest cell descends from a cell lies within
 * 1.053 circumradii of that cell's centre), then compacted. This is
 * an "overlapping containment" cover computed with our own exact geometry, so it is right at
 * the poles, across the antimeridian and around holes, where h3's polygon fill is not (it
 * misses the pole cell of a polar cap).
 */
import {
  cellToBoundary,
  cellToChildren,
  cellToLatLng,
  cellToParent,
  compactCells,
  getHexagonAreaAvg,
  getHexagonEdgeLengthAvg,
  getResolution,
  gridDisk,
  latLngToCell,
} from "h3-js";
import { UnprocessableError } from "../../errors.ts";
import { decodeZone, encodeZone } from "./codec.ts";
import { compileZone } from "./exact.ts";
import { haversineM } from "./sphere.ts";
import type { CompiledZone, ZoneGeometry } from "./types.ts";

/**
 * H3 resolutions of the index, ascending. Each ping looks up one key per resolution. Res 5
 * (≈250 km² cells) carries the interior of the largest zones (20,000 km²); res 7 (≈5 km²) city
 * districts; res 9 (≈0.1 km²) and res 10 (≈15,000 m²) the common 100 m – 2 km trigger zones
 * (without res 10 a 200 m circle would need ~80 res-11 cells or a res-9 cover 6× its area);
 * res 11 (≈2,000 m², 29 m edge) store footprints, about the size of a GPS fix's uncertainty.
 */
export const INDEX_RESOLUTIONS: readonly number[] = [5, 7, 9, 10, 11];

/** The resolution pings are located at; coarser keys are its ancestors. */
export const FINEST_INDEX_RESOLUTION = 11;

/**
 * Upper bound of (farthest point of a cell's descendants, at any depth) / (cell circumradius).
 * In the plane, descendant centres drift at most Σ √3·e/√7^i = √3·e/(√7 − 1) ≈ 1.0524·e from
 * the centre of a cell of edge e (its circumradius); measured on the sphere: 1.052.
 */
export const DESCENDANT_REACH = 1.15;
/** Any cell's circumradius ≤ this × the average edge length of its resolution (measured 1.103). */
const CIRCUMRADIUS_FACTOR = 1.25;
/** A zone never gets more cells than this; a zone needing more at res 5 is refused. */
export const MAX_COVER_CELLS = 5_000;

/**
 * The point's index keys, one per INDEX_RESOLUTIONS entry (ascending). A zone may cover the
 * point only if one of them is in its cover.
 */
export function cellsForPoint(lat: number, lon: number): string[] {
  const finest = latLngToCell(lat, lon, FINEST_INDEX_RESOLUTION);
  return INDEX_RESOLUTIONS.map((r) =>
    r === FINEST_INDEX_RESOLUTION ? finest : cellToParent(finest, r),
  );
}

/** Whether any of the point's index keys is in the cover (what an index lookup would find). */
export function pointInCover(lat: number, lon: number, cover: ReadonlySet<string>): boolean {
  return cellsForPoint(lat, lon).some((c) => cover.has(c));
}

/**
 * Most cells a zone of this characteristic radius may use before a coarser base resolution is
 * tried: 48 up to 200 m, growing like r^0.62 to about 1,500 at 50 km. Small zones are many
 * (every store) and their items are written per cell; large ones are few and worth precision.
 */
export function cellBudget(characteristicRadiusM: number): number {
  const scaled = 48 * (Math.max(characteristicRadiusM, 200) / 200) ** 0.62;
  return Math.min(2_000, Math.round(scaled));
}

function circumradiusM(cell: string): number {
  const [lat, lon] = cellToLatLng(cell);
  let max = 0;
  for (const [vLat, vLon] of cellToBoundary(cell))
    max = Math.max(max, haversineM(lat, lon, vLat, vLon));
  return max;
}

/** Points on the zone from which the walk starts: the centre, or every vertex. */
function seedPoints(zone: CompiledZone): [number, number][] {
  const g = zone.geometry;
  if (g.type === "Circle") return [[g.center.lat, g.center.lon]];
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const out: [number, number][] = [];
  for (const rings of polygons)
    for (const ring of rings) for (const p of ring) out.push([p[1] ?? 0, p[0] ?? 0]);
  return out;
}

/**
 * Every cell at `res` whose descendants may hold a point of the zone, or undefined once more
 * than `limit` cells qualify. Walks from cells on the zone through every cell whose centre is
 * within (DESCENDANT_REACH + 1) maximal circumradii of it: the segment from a qualifying
 * cell's centre to its nearest zone point only crosses such cells, so the walk reaches them all.
 */
export function baseCells(zone: CompiledZone, res: number, limit: number): string[] | undefined {
  const rMax = getHexagonEdgeLengthAvg(res, "m") * CIRCUMRADIUS_FACTOR;
  const travel = (DESCENDANT_REACH + 1) * rMax * 1.05 + 1;
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const [lat, lon] of seedPoints(zone)) {
    const c = latLngToCell(lat, lon, res);
    if (!seen.has(c)) {
      seen.add(c);
      queue.push(c);
    }
  }
  const distance = new Map<string, number>();
  const out: string[] = [];
  for (let head = 0; head < queue.length; head++) {
    const cell = queue[head] as string;
    let d = distance.get(cell);
    if (d === undefined) {
      const [lat, lon] = cellToLatLng(cell);
      d = zone.distanceM(lat, lon);
    }
    // 2 % and 1 m absorb the few centimetres of the boundary distance approximation.
    if (d <= DESCENDANT_REACH * circumradiusM(cell) * 1.02 + 1) {
      out.push(cell);
      if (out.length > limit) return undefined;
    }
    for (const n of gridDisk(cell, 1)) {
      if (seen.has(n)) continue;
      seen.add(n);
      const [lat, lon] = cellToLatLng(n);
      const dn = zone.distanceM(lat, lon);
      if (dn <= travel) {
        distance.set(n, dn);
        queue.push(n);
      }
    }
  }
  return out;
}

/**
 * Replaces complete sets of children by their parent (h3 `compactCells`), then re-expands
 * every cell whose resolution is not an index resolution to the next finer index resolution.
 */
export function compactToIndex(
  cells: readonly string[],
  resolutions: readonly number[] = INDEX_RESOLUTIONS,
): string[] {
  const out = new Set<string>();
  for (const c of compactCells([...cells])) {
    const r = getResolution(c);
    const target = resolutions.find((x) => x >= r);
    if (target === undefined || target === r) out.add(c);
    else for (const child of cellToChildren(c, target)) out.add(child);
  }
  return [...out].sort();
}

/** Cover and the resolution it was built at. */
export interface ZoneCover {
  cells: string[];
  baseResolution: number;
}

/**
 * `coverZone` with its base resolution, for reports and tests. Tries index resolutions from
 * the finest down and keeps the first whose compacted cover fits the zone's cell budget;
 * resolutions whose cells are obviously too small for the zone are skipped without a walk.
 */
export function coverZoneDetailed(g: ZoneGeometry): ZoneCover {
  // Containment is judged on the stored (rounded) geometry, so the cover is built from it too.
  const zone = compileZone(decodeZone(encodeZone(g)));
  const budget = cellBudget(zone.characteristicRadiusM);
  const descending = [...INDEX_RESOLUTIONS].sort((a, b) => b - a);
  const coarsest = descending[descending.length - 1] as number;
  for (const res of descending) {
    const last = res === coarsest;
    const areaCells = (Math.PI * zone.characteristicRadiusM ** 2) / getHexagonAreaAvg(res, "m2");
    if (!last && areaCells > 8 * budget) continue;
    const cells = baseCells(zone, res, last ? 20 * MAX_COVER_CELLS : 8 * budget + 200);
    if (!cells) continue;
    const compacted = compactToIndex(cells);
    if (compacted.length <= budget || last) {
      if (compacted.length > MAX_COVER_CELLS) break;
      return { cells: compacted, baseResolution: res };
    }
  }
  throw new UnprocessableError("the zone is too large or too intricate to index");
}

/**
 * The zone's cover: H3 cells, only at INDEX_RESOLUTIONS, such that every point inside the
 * zone (as decoded from `encodeZone`) has one of its `cellsForPoint` keys in it. Sorted.
 */
export function coverZone(g: ZoneGeometry): string[] {
  return coverZoneDetailed(g).cells;
}
