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
 * 1.053 circumradii of that cell's centre), then compacted. This is an "overlapping
 * containment" cover buffered by the children's overhang, computed with our own exact geometry
 * (circles stay exact circles, no circumscribed polygon needed), so it is right at the poles,
 * across the antimeridian and around holes. h3's own polygon fill is not: given a polar cap it
 * leaves out the pole's cell.
 */
import {
  cellToBoundary,
  cellToChildren,
  cellToLatLng,
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
import {
  cellsForPoint,
  FINEST_INDEX_RESOLUTION,
  INDEX_RESOLUTIONS,
  pointInCover,
} from "./point-cells.ts";
import { haversineM } from "./sphere.ts";
import type { CompiledZone, ZoneGeometry } from "./types.ts";

/**
 * Upper bound of (farthest point of a cell's descendants, at any depth) / (cell circumradius).
 * In the plane, descendant centres drift at most Σ √3·e/√7^i = √3·e/(√7 − 1) ≈ 1.0524·e from
 * the centre of a cell of edge e (its circumradius); measured on the sphere: 1.052.
 */
export const DESCENDANT_REACH = 1.15;
/** Any cell's circumradius ≤ this × the average edge length of its resolution (measured 1.103). */
const CIRCUMRADIUS_FACTOR = 1.25;

// Point keys live in point-cells.ts (no h3-js); re-exported for the cover functions and tests.
export { cellsForPoint, FINEST_INDEX_RESOLUTION, INDEX_RESOLUTIONS, pointInCover };

/** A zone never gets more cells than this; a zone needing more at res 5 is refused (422). */
export const MAX_COVER_CELLS = 5_000;

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
function baseCells(zone: CompiledZone, res: number, limit: number): string[] | undefined {
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
    // 2 % and 1 m absorb the boundary distance approximation (≤ 20 cm).
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
function compactToIndex(
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

/** Boundary length in metres (great-circle edges: a slight underestimate, fine for sizing). */
function perimeterM(zone: CompiledZone): number {
  const g = zone.geometry;
  if (g.type === "Circle") return 2 * Math.PI * g.radiusM;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  let sum = 0;
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1] as number[];
        const b = ring[i] as number[];
        sum += haversineM(a[1] ?? 0, a[0] ?? 0, b[1] ?? 0, b[0] ?? 0);
      }
    }
  }
  return sum;
}

/**
 * Expected base cells at `res` before compaction: the area of the zone grown by the walk's
 * reach (Steiner's formula: area + perimeter × reach + π reach²) over the average cell area.
 */
function estimateCells(areaM2: number, perimeter: number, res: number): number {
  const reach = DESCENDANT_REACH * getHexagonEdgeLengthAvg(res, "m");
  return (areaM2 + perimeter * reach + Math.PI * reach * reach) / getHexagonAreaAvg(res, "m2");
}

/**
 * `coverZone` with its base resolution, for reports and tests. Tries index resolutions from
 * the finest down and keeps the first whose compacted cover fits the zone's cell budget;
 * resolutions the size estimate already rules out are skipped without a walk, and a zone whose
 * estimate exceeds twice MAX_COVER_CELLS even at the coarsest resolution (a web of long thin
 * slivers, say) is refused at once instead of after seconds of work.
 */
export function coverZoneDetailed(g: ZoneGeometry): ZoneCover {
  // Containment is judged on the stored (rounded) geometry, so the cover is built from it too.
  const zone = compileZone(decodeZone(encodeZone(g)));
  const budget = cellBudget(zone.characteristicRadiusM);
  const areaM2 = Math.PI * zone.characteristicRadiusM ** 2;
  const perimeter = perimeterM(zone);
  const descending = [...INDEX_RESOLUTIONS].sort((a, b) => b - a);
  const coarsest = descending[descending.length - 1] as number;
  if (estimateCells(areaM2, perimeter, coarsest) > 2 * MAX_COVER_CELLS) {
    throw new UnprocessableError("the zone is too large or too intricate to index");
  }
  for (const res of descending) {
    const last = res === coarsest;
    if (!last && estimateCells(areaM2, perimeter, res) > 8 * budget) continue;
    const cells = baseCells(zone, res, last ? 4 * MAX_COVER_CELLS : 8 * budget + 200);
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
