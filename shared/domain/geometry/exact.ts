/**
 * Exact zone tests for the hot path: compile a zone once, then answer "is this ping inside?"
 * and "how far is it from the boundary?" many times.
 *
 * Containment follows RFC 7946 literally (polygon edges are straight in longitude/latitude)
 * and is computed in unwrapped longitudes, so the antimeridian and holes need no special
 * case. Distances are great-circle metres to the boundary, measured in 3-D on the unit sphere
 * against the edges cut into short great-circle arcs (within 20 cm of the lon/lat-straight
 * edge), which stays accurate next to the poles where planar approximations fall apart.
 */
import { area as turfArea } from "@turf/area";
import { preparePolygons } from "./normalize.ts";
import type { Ring, Rings, XY } from "./rings.ts";
import { chordToMetres, EARTH_RADIUS_M, haversineM, unitVector, wrapLon } from "./sphere.ts";
import type { BBox, CircleGeometry, CompiledZone, ZoneGeometry } from "./types.ts";

/** Largest gap tolerated between a lon/lat-straight edge and the arcs standing in for it. */
const ARC_TOLERANCE_M = 0.2;
const RAD = Math.PI / 180;

/**
 * Points this close to a zone's boundary (metres) are inside: the boundary belongs to the zone,
 * and the tolerance exceeds every rounding on the way (vertices and centres are stored at 1e-7°,
 * at most 0.8 cm from where the merchant put them; a ping rounded the same way moves as much),
 * so a fix on an edge or a corner enters whichever side the rounding moved it to.
 */
export const BOUNDARY_TOLERANCE_M = 0.05;
/** BOUNDARY_TOLERANCE_M in degrees of latitude (the metre per degree is at least 110,574). */
const TOLERANCE_DEG = BOUNDARY_TOLERANCE_M / 110_574;

/**
 * The smallest longitude interval holding all the given (unwrapped) intervals, as RFC 7946
 * west/east: found by removing the largest uncovered gap around the circle.
 */
function lonExtent(intervals: readonly [number, number][]): [west: number, east: number] {
  const spans: [number, number][] = [];
  for (const [a, b] of intervals) {
    if (b - a >= 360) return [-180, 180];
    const w = wrapLon(a);
    const e = w + (b - a);
    if (e > 180) {
      spans.push([w, 180], [-180, e - 360]);
    } else spans.push([w, e]);
  }
  if (spans.length === 0) return [-180, 180];
  spans.sort((p, q) => p[0] - q[0]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  // The gap after each merged span, the last one wrapping around to the first.
  let bestGap = -1;
  let west = -180;
  let east = 180;
  for (let i = 0; i < merged.length; i++) {
    const cur = merged[i] as [number, number];
    const nxt = merged[(i + 1) % merged.length] as [number, number];
    const gap = i + 1 < merged.length ? nxt[0] - cur[1] : nxt[0] + 360 - cur[1];
    if (gap > bestGap) {
      bestGap = gap;
      west = nxt[0];
      east = cur[1];
    }
  }
  if (bestGap <= 0) return [-180, 180];
  return [west, east];
}

function compileCircle(g: CircleGeometry): CompiledZone {
  const lat = g.center.lat;
  const lon = wrapLon(g.center.lon);
  const r = g.radiusM;
  const angular = r / EARTH_RADIUS_M;
  const dLat = angular / RAD;
  let bbox: BBox;
  if (lat + dLat >= 90 || lat - dLat <= -90) {
    // The cap holds a pole: every longitude is in it.
    bbox = [-180, Math.max(-90, lat - dLat), 180, Math.min(90, lat + dLat)];
  } else {
    const dLon = Math.asin(Math.min(1, Math.sin(angular) / Math.cos(lat * RAD))) / RAD;
    const [west, east] = lonExtent([[lon - dLon, lon + dLon]]);
    bbox = [west, lat - dLat, east, lat + dLat];
  }
  const geometry: CircleGeometry = { type: "Circle", center: { lat, lon }, radiusM: r };
  return {
    geometry,
    characteristicRadiusM: r,
    bbox,
    contains: (pLat, pLon) => haversineM(lat, lon, pLat, pLon) <= r + BOUNDARY_TOLERANCE_M,
    // Within the tolerance outside, as for polygons: minus the distance to the boundary.
    signedDistanceM: (pLat, pLon) => {
      const d = haversineM(lat, lon, pLat, pLon) - r;
      return d <= BOUNDARY_TOLERANCE_M ? -Math.abs(d) : d;
    },
    distanceM: (pLat, pLon) => {
      const d = haversineM(lat, lon, pLat, pLon) - r;
      return d <= BOUNDARY_TOLERANCE_M ? 0 : d;
    },
  };
}

/** One polygon's edges for ray casting, bucketed by latitude band. */
interface CompiledPolygon {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  /** x1, y1, x2, y2 per edge. */
  edges: Float64Array;
  bandMinY: number;
  bandHeight: number;
  bandCount: number;
  /** CSR: edges of band b are bandEdges[bandStart[b] .. bandStart[b + 1]). */
  bandStart: Int32Array;
  bandEdges: Int32Array;
}

function compilePolygon(rings: Rings): CompiledPolygon {
  const list: number[] = [];
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const [x1, y1] = ring[i] as XY;
      const [x2, y2] = ring[(i + 1) % ring.length] as XY;
      list.push(x1, y1, x2, y2);
      minX = Math.min(minX, x1);
      maxX = Math.max(maxX, x1);
      minY = Math.min(minY, y1);
      maxY = Math.max(maxY, y1);
    }
  }
  const edges = Float64Array.from(list);
  const n = edges.length / 4;
  const bandCount = Math.max(1, Math.min(1024, Math.ceil(n / 2)));
  const bandHeight = maxY > minY ? (maxY - minY) / bandCount : 1;
  const band = (y: number) =>
    Math.min(bandCount - 1, Math.max(0, Math.floor((y - minY) / bandHeight)));
  // Each edge goes to every band within the boundary tolerance of it, for the edge test.
  const low = (y1: number, y2: number) => band(Math.min(y1, y2) - TOLERANCE_DEG);
  const high = (y1: number, y2: number) => band(Math.max(y1, y2) + TOLERANCE_DEG);
  const counts = new Int32Array(bandCount + 1);
  for (let e = 0; e < n; e++) {
    const y1 = edges[4 * e + 1] as number;
    const y2 = edges[4 * e + 3] as number;
    for (let b = low(y1, y2); b <= high(y1, y2); b++) {
      counts[b + 1] = (counts[b + 1] as number) + 1;
    }
  }
  for (let b = 0; b < bandCount; b++)
    counts[b + 1] = (counts[b + 1] as number) + (counts[b] as number);
  const fill = counts.slice(0, bandCount);
  const bandEdges = new Int32Array(counts[bandCount] as number);
  for (let e = 0; e < n; e++) {
    const y1 = edges[4 * e + 1] as number;
    const y2 = edges[4 * e + 3] as number;
    for (let b = low(y1, y2); b <= high(y1, y2); b++) {
      bandEdges[fill[b] as number] = e;
      fill[b] = (fill[b] as number) + 1;
    }
  }
  return {
    minX,
    maxX,
    minY,
    maxY,
    edges,
    bandMinY: minY,
    bandHeight,
    bandCount,
    bandStart: counts,
    bandEdges,
  };
}

/**
 * Whether the point is inside the polygon or within BOUNDARY_TOLERANCE_M of its boundary:
 * even-odd ray cast (towards +x) over the edges of the point's latitude band, then, for a point
 * the ray cast leaves out, its distance to those edges (longitude scaled by cos latitude).
 */
function polygonContains(p: CompiledPolygon, y: number, lon: number): boolean {
  if (y < p.minY - TOLERANCE_DEG || y > p.maxY + TOLERANCE_DEG) return false;
  const b = Math.min(p.bandCount - 1, Math.max(0, Math.floor((y - p.bandMinY) / p.bandHeight)));
  const from = p.bandStart[b] as number;
  const to = p.bandStart[b + 1] as number;
  const e = p.edges;
  const scale = Math.max(Math.cos(y * RAD), 1e-9);
  const tolX = TOLERANCE_DEG / scale;
  // Try every copy of the longitude that falls within the unwrapped polygon.
  for (let k = Math.ceil((p.minX - tolX - lon) / 360); lon + 360 * k <= p.maxX + tolX; k++) {
    const x = lon + 360 * k;
    let inside = false;
    for (let i = from; i < to; i++) {
      const o = 4 * (p.bandEdges[i] as number);
      const x1 = e[o] as number;
      const y1 = e[o + 1] as number;
      const x2 = e[o + 2] as number;
      const y2 = e[o + 3] as number;
      if (y1 > y !== y2 > y && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) inside = !inside;
    }
    if (inside) return true;
    for (let i = from; i < to; i++) {
      const o = 4 * (p.bandEdges[i] as number);
      if (nearSegment(e, o, x, y, scale)) return true;
    }
  }
  return false;
}

/** Whether (x, y) is within TOLERANCE_DEG of the edge at offset `o`, x scaled by `scale`. */
function nearSegment(e: Float64Array, o: number, x: number, y: number, scale: number): boolean {
  const ax = (e[o] as number) * scale;
  const ay = e[o + 1] as number;
  const dx = (e[o + 2] as number) * scale - ax;
  const dy = (e[o + 3] as number) - ay;
  const px = x * scale - ax;
  const py = y - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
  const qx = px - t * dx;
  const qy = py - t * dy;
  return qx * qx + qy * qy <= TOLERANCE_DEG * TOLERANCE_DEG;
}

/**
 * The boundary as short great-circle arcs, in blocks of consecutive arcs for pruning. Per arc
 * (SEG floats): start A, plane normal N, and side normals U = N×A, V = B×N bounding the wedge
 * where the closest point of the great circle lies on the arc (U = V = 0 for a zero-length
 * arc, whose start then stands for it). The end B of an arc is the start of the next one.
 * Per block (4 floats): centre (unit vector) and a radius that holds all its arcs, in 3-D.
 */
interface ArcSet {
  segments: Float64Array;
  count: number;
  blocks: Float64Array;
}

const SEG = 12;
const BLOCK = 16;

function pushArcs(x1: number, y1: number, x2: number, y2: number, out: number[], depth: number) {
  const a = unitVector(y1, x1);
  const b = unitVector(y2, x2);
  const m = unitVector((y1 + y2) / 2, (x1 + x2) / 2);
  const sx = a[0] + b[0];
  const sy = a[1] + b[1];
  const sz = a[2] + b[2];
  const sn = Math.hypot(sx, sy, sz);
  const dev =
    sn < 1e-9
      ? Number.POSITIVE_INFINITY
      : Math.hypot(m[0] - sx / sn, m[1] - sy / sn, m[2] - sz / sn);
  if (dev * EARTH_RADIUS_M > ARC_TOLERANCE_M && depth < 30) {
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    pushArcs(x1, y1, mx, my, out, depth + 1);
    pushArcs(mx, my, x2, y2, out, depth + 1);
    return;
  }
  out.push(y2, x2);
}

function buildArcs(polygons: Rings[]): ArcSet {
  const seg: number[] = [];
  const ends: number[] = []; // B of each arc, for the block bounds
  for (const rings of polygons) {
    for (const ring of rings as Ring[]) {
      for (let i = 0; i < ring.length; i++) {
        const [x1, y1] = ring[i] as XY;
        const [x2, y2] = ring[(i + 1) % ring.length] as XY;
        // Pre-cut long edges to 1° so the midpoint test cannot be fooled by symmetry.
        const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x2 - x1), Math.abs(y2 - y1))));
        const latLons: number[] = [y1, x1];
        for (let s = 0; s < steps; s++) {
          const t0 = s / steps;
          const t1 = (s + 1) / steps;
          pushArcs(
            x1 + (x2 - x1) * t0,
            y1 + (y2 - y1) * t0,
            x1 + (x2 - x1) * t1,
            y1 + (y2 - y1) * t1,
            latLons,
            0,
          );
        }
        for (let k = 0; k + 3 < latLons.length; k += 2) {
          const a = unitVector(latLons[k] as number, latLons[k + 1] as number);
          const b = unitVector(latLons[k + 2] as number, latLons[k + 3] as number);
          let nx = a[1] * b[2] - a[2] * b[1];
          let ny = a[2] * b[0] - a[0] * b[2];
          let nz = a[0] * b[1] - a[1] * b[0];
          const nn = Math.hypot(nx, ny, nz);
          ends.push(b[0], b[1], b[2]);
          if (nn < 1e-15) {
            seg.push(a[0], a[1], a[2], 0, 0, 0, 0, 0, 0, 0, 0, 0);
            continue;
          }
          nx /= nn;
          ny /= nn;
          nz /= nn;
          seg.push(
            a[0],
            a[1],
            a[2],
            nx,
            ny,
            nz,
            ny * a[2] - nz * a[1],
            nz * a[0] - nx * a[2],
            nx * a[1] - ny * a[0],
            b[1] * nz - b[2] * ny,
            b[2] * nx - b[0] * nz,
            b[0] * ny - b[1] * nx,
          );
        }
      }
    }
  }
  const count = seg.length / SEG;
  const blocks: number[] = [];
  for (let first = 0; first < count; first += BLOCK) {
    const last = Math.min(count, first + BLOCK);
    let cx = 0;
    let cy = 0;
    let cz = 0;
    for (let i = first; i < last; i++) {
      cx += (seg[i * SEG] as number) + (ends[3 * i] as number);
      cy += (seg[i * SEG + 1] as number) + (ends[3 * i + 1] as number);
      cz += (seg[i * SEG + 2] as number) + (ends[3 * i + 2] as number);
    }
    const cn = Math.hypot(cx, cy, cz) || 1;
    cx /= cn;
    cy /= cn;
    cz /= cn;
    // Any point of arc AB is within |AB| of A: |c - X| <= |c - A| + |A - B|.
    let radius = 0;
    for (let i = first; i < last; i++) {
      const ax = seg[i * SEG] as number;
      const ay = seg[i * SEG + 1] as number;
      const az = seg[i * SEG + 2] as number;
      const ab = Math.hypot(
        (ends[3 * i] as number) - ax,
        (ends[3 * i + 1] as number) - ay,
        (ends[3 * i + 2] as number) - az,
      );
      radius = Math.max(radius, Math.hypot(cx - ax, cy - ay, cz - az) + ab);
    }
    blocks.push(cx, cy, cz, radius * (1 + 1e-9) + 1e-12);
  }
  return { segments: Float64Array.from(seg), count, blocks: Float64Array.from(blocks) };
}

/** Smallest squared chord from P to the arcs of one block (or `best` if none is closer). */
function scanBlock(set: ArcSet, block: number, px: number, py: number, pz: number, best: number) {
  const g = set.segments;
  const last = Math.min(set.count, (block + 1) * BLOCK);
  for (let i = block * BLOCK; i < last; i++) {
    const o = i * SEG;
    const dx = px - (g[o] as number);
    const dy = py - (g[o + 1] as number);
    const dz = pz - (g[o + 2] as number);
    const e2 = dx * dx + dy * dy + dz * dz;
    if (e2 < best) best = e2;
    const u = px * (g[o + 6] as number) + py * (g[o + 7] as number) + pz * (g[o + 8] as number);
    if (u <= 0) continue;
    const v = px * (g[o + 9] as number) + py * (g[o + 10] as number) + pz * (g[o + 11] as number);
    if (v <= 0) continue;
    const s = px * (g[o + 3] as number) + py * (g[o + 4] as number) + pz * (g[o + 5] as number);
    // Chord² to the foot of the perpendicular (angle asin|s|), written to avoid cancellation.
    const d2 = (2 * s * s) / (1 + Math.sqrt(Math.max(0, 1 - s * s)));
    if (d2 < best) best = d2;
  }
  return best;
}

/**
 * Great-circle metres from a point to the nearest boundary arc. Blocks are visited nearest
 * centre first; a block whose bounding ball is farther than the best arc so far is skipped
 * (triangle inequality on 3-D chords), so a query touches a few blocks, not every arc.
 */
function boundaryDistanceM(set: ArcSet, lat: number, lon: number): number {
  const [px, py, pz] = unitVector(lat, lon);
  const b = set.blocks;
  const nBlocks = b.length / 4;
  let nearest = 0;
  let nearestD = Number.POSITIVE_INFINITY;
  for (let k = 0; k < nBlocks; k++) {
    const d = Math.hypot(
      px - (b[4 * k] as number),
      py - (b[4 * k + 1] as number),
      pz - (b[4 * k + 2] as number),
    );
    if (d < nearestD) {
      nearestD = d;
      nearest = k;
    }
  }
  let best = scanBlock(set, nearest, px, py, pz, Number.POSITIVE_INFINITY);
  let bestChord = Math.sqrt(best);
  for (let k = 0; k < nBlocks; k++) {
    if (k === nearest) continue;
    const d = Math.hypot(
      px - (b[4 * k] as number),
      py - (b[4 * k + 1] as number),
      pz - (b[4 * k + 2] as number),
    );
    if (d - (b[4 * k + 3] as number) >= bestChord) continue;
    const next = scanBlock(set, k, px, py, pz, best);
    if (next < best) {
      best = next;
      bestChord = Math.sqrt(best);
    }
  }
  return chordToMetres(bestChord);
}

function compilePolygons(g: Exclude<ZoneGeometry, { type: "Circle" }>): CompiledZone {
  const prepared = preparePolygons(g);
  const polygons = prepared.unwrapped.map(compilePolygon);
  const arcSet = buildArcs(prepared.unwrapped);
  const geometry: ZoneGeometry =
    g.type === "Polygon" && prepared.split.length === 1
      ? { type: "Polygon", coordinates: prepared.split[0] ?? [] }
      : { type: "MultiPolygon", coordinates: prepared.split };
  const areaM2 = turfArea(geometry);
  let south = 90;
  let north = -90;
  for (const p of polygons) {
    south = Math.min(south, p.minY);
    north = Math.max(north, p.maxY);
  }
  const [west, east] = lonExtent(polygons.map((p) => [p.minX, p.maxX]));
  const contains = (lat: number, lon: number): boolean => {
    const x = wrapLon(lon);
    // polygonContains tries every copy x + 360k, so ±180 (one meridian, two names) is covered.
    for (const p of polygons) if (polygonContains(p, lat, x)) return true;
    return false;
  };
  return {
    geometry,
    characteristicRadiusM: Math.sqrt(areaM2 / Math.PI),
    bbox: [west, south, east, north],
    contains,
    signedDistanceM: (lat, lon) => {
      const d = boundaryDistanceM(arcSet, lat, lon);
      return contains(lat, lon) ? -d : d;
    },
    distanceM: (lat, lon) => (contains(lat, lon) ? 0 : boundaryDistanceM(arcSet, lat, lon)),
  };
}

/**
 * Prepares a zone (validated, raw or normalised) for repeated exact tests. For circles the
 * distance is the haversine distance to the centre minus the radius, exact at the poles; for
 * polygons containment is exact for RFC 7946 edges (holes, antimeridian, MultiPolygon as a
 * union) and the distance to the boundary is within 20 cm. Inside a MultiPolygon
 * whose parts overlap or touch (as the halves of a split polygon do), the negative distance
 * is measured to the nearest part boundary, so it can be smaller in magnitude than the true one;
 * its sign is always exact.
 */
export function compileZone(g: ZoneGeometry): CompiledZone {
  return g.type === "Circle" ? compileCircle(g) : compilePolygons(g);
}
