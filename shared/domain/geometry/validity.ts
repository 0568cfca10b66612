/**
 * Validity of a polygon's rings as OGC Simple Features (ISO 19125-1 §6.1.11.1) defines it, in
 * the plane of (unwrapped) longitude/latitude where RFC 7946 edges are straight:
 *
 * - each ring is simple: no edge crosses, overlaps or touches a non-adjacent edge of its ring;
 * - two rings may touch at single points (a hole touching its shell at a vertex, two holes
 *   meeting at a point, as parcel and OpenStreetMap footprints do), but never cross there nor
 *   share a segment;
 * - the interior stays connected: rings touching one another in a closed chain (a hole touching
 *   its shell twice, two holes touching at two points) cut a piece off, which is invalid.
 *
 * Edge pairs are found with a static R-tree over the edges' boxes (`flatbush`, Hilbert-packed),
 * so n edges cost about n log n box queries instead of n² pair tests, and each pair is judged
 * with Shewchuk's exact orientation predicate (`robust-predicates`), so "touches" and
 * "crosses" are decided exactly on the given coordinates.
 */
import Flatbush from "flatbush";
import { orient2d } from "robust-predicates";
import type { Ring, XY } from "./rings.ts";

/** What two edges have in common. */
type Contact =
  | { kind: "none" }
  /** The edges cross at a point inside both. */
  | { kind: "cross"; at: XY }
  /** Collinear and overlapping over a positive length (`at` is a point of the overlap). */
  | { kind: "overlap"; at: XY }
  /** They meet at exactly one point, an end of at least one of them. */
  | { kind: "touch"; at: XY };

/** A fault of one ring: the first edge (lowest index) involved and where. */
export interface RingFault {
  ring: number;
  edge: number;
  at: XY;
}

/** A fault between two rings (`ring` > `other`). */
export interface RingPairFault {
  ring: number;
  other: number;
  kind: "cross" | "overlap";
  at: XY;
}

/** The outcome of the edge checks: every ring's own fault, and the first fault between rings. */
export interface RingCheck {
  selfFaults: RingFault[];
  pairFault: RingPairFault | undefined;
  /** A ring closing a chain of touches that cuts the interior, if any. */
  splitAt: { ring: number; at: XY } | undefined;
}

const sign = (v: number) => (v > 0 ? 1 : v < 0 ? -1 : 0);

function orient(a: XY, b: XY, c: XY): number {
  return sign(orient2d(a[0], a[1], b[0], b[1], c[0], c[1]));
}

/** Whether c, collinear with a–b, lies within the closed segment a–b. */
function within(a: XY, b: XY, c: XY): boolean {
  return (
    Math.min(a[0], b[0]) <= c[0] &&
    c[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= c[1] &&
    c[1] <= Math.max(a[1], b[1])
  );
}

function same(a: XY, b: XY): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/** How segments p1–p2 and q1–q2 meet (both of positive length). */
function contact(p1: XY, p2: XY, q1: XY, q2: XY): Contact {
  const d1 = orient(q1, q2, p1);
  const d2 = orient(q1, q2, p2);
  const d3 = orient(p1, p2, q1);
  const d4 = orient(p1, p2, q2);
  if (d1 * d2 < 0 && d3 * d4 < 0) {
    // Proper crossing: the point is only for the message, floating point is fine.
    const t =
      ((q1[0] - p1[0]) * (q2[1] - q1[1]) - (q1[1] - p1[1]) * (q2[0] - q1[0])) /
      ((p2[0] - p1[0]) * (q2[1] - q1[1]) - (p2[1] - p1[1]) * (q2[0] - q1[0]));
    return { kind: "cross", at: [p1[0] + t * (p2[0] - p1[0]), p1[1] + t * (p2[1] - p1[1])] };
  }
  if (d1 === 0 && d2 === 0) {
    // Collinear: the shared part is the overlap of the two projections.
    const points = [p1, p2, q1, q2].filter(
      (c, i) => (i < 2 ? within(q1, q2, c) : within(p1, p2, c)) === true,
    );
    const distinct = points.filter((c, i) => points.findIndex((o) => same(o, c)) === i);
    if (distinct.length >= 2) return { kind: "overlap", at: distinct[0] as XY };
    if (distinct.length === 1) return { kind: "touch", at: distinct[0] as XY };
    return { kind: "none" };
  }
  if (d1 === 0 && within(q1, q2, p1)) return { kind: "touch", at: p1 };
  if (d2 === 0 && within(q1, q2, p2)) return { kind: "touch", at: p2 };
  if (d3 === 0 && within(p1, p2, q1)) return { kind: "touch", at: q1 };
  if (d4 === 0 && within(p1, p2, q2)) return { kind: "touch", at: q2 };
  return { kind: "none" };
}

/** Directions (angles) leaving point `at` along the ring edge(s) through it. */
function raysAt(ring: Ring, edge: number, at: XY): number[] {
  const n = ring.length;
  const a = ring[edge] as XY;
  const b = ring[(edge + 1) % n] as XY;
  const angle = (to: XY) => Math.atan2(to[1] - at[1], to[0] - at[0]);
  if (same(at, a)) return [angle(ring[(edge - 1 + n) % n] as XY), angle(b)];
  if (same(at, b)) return [angle(a), angle(ring[(edge + 2) % n] as XY)];
  return [angle(a), angle(b)];
}

/** Whether two rings meeting at one point cross there: their rays interleave around it. */
function crossesAt(raysA: number[], raysB: number[]): boolean {
  const [a1, a2] = raysA as [number, number];
  const lo = Math.min(a1, a2);
  const hi = Math.max(a1, a2);
  const inside = (t: number) => t > lo && t < hi;
  return inside(raysB[0] as number) !== inside(raysB[1] as number);
}

/** Union-find over rings and touch points, to find a chain of touches that closes a loop. */
class Forest {
  private readonly parent: number[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(x: number): number {
    let r = x;
    while (this.parent[r] !== r) r = this.parent[r] as number;
    while (this.parent[x] !== r) {
      const next = this.parent[x] as number;
      this.parent[x] = r;
      x = next;
    }
    return r;
  }
  /** Joins the two sets; false when they were joined already (the new link closes a loop). */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.parent[ra] = rb;
    return true;
  }
}

/**
 * Checks the rings of one polygon (open rings without consecutive duplicates, shell first) for
 * self-intersections, crossings or shared segments between rings, and touches that split the
 * interior. Rings with fewer than 3 vertices are skipped (the area check reports them).
 */
export function checkRings(rings: readonly Ring[]): RingCheck {
  const ringOf: number[] = [];
  const edgeOf: number[] = [];
  rings.forEach((ring, r) => {
    if (ring.length < 3) return;
    for (let e = 0; e < ring.length; e++) {
      ringOf.push(r);
      edgeOf.push(e);
    }
  });
  const selfByRing = new Map<number, RingFault>();
  let pairFault: RingPairFault | undefined;
  const touches: { a: number; b: number; at: XY; edgeA: number; edgeB: number }[] = [];
  if (ringOf.length === 0) return { selfFaults: [], pairFault, splitAt: undefined };

  const start = (s: number) => (rings[ringOf[s] as number] as Ring)[edgeOf[s] as number] as XY;
  const end = (s: number) => {
    const ring = rings[ringOf[s] as number] as Ring;
    return ring[((edgeOf[s] as number) + 1) % ring.length] as XY;
  };
  const index = new Flatbush(ringOf.length);
  for (let s = 0; s < ringOf.length; s++) {
    const a = start(s);
    const b = end(s);
    index.add(
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[0], b[0]),
      Math.max(a[1], b[1]),
    );
  }
  index.finish();

  const noteSelf = (r: number, edge: number, at: XY) => {
    const known = selfByRing.get(r);
    if (!known || edge < known.edge) selfByRing.set(r, { ring: r, edge, at });
  };

  for (let s = 0; s < ringOf.length; s++) {
    const p1 = start(s);
    const p2 = end(s);
    const rs = ringOf[s] as number;
    const es = edgeOf[s] as number;
    const candidates = index.search(
      Math.min(p1[0], p2[0]),
      Math.min(p1[1], p2[1]),
      Math.max(p1[0], p2[0]),
      Math.max(p1[1], p2[1]),
    );
    for (const t of candidates) {
      if (t <= s) continue;
      const q1 = start(t);
      const q2 = end(t);
      const c = contact(p1, p2, q1, q2);
      if (c.kind === "none") continue;
      const rt = ringOf[t] as number;
      const et = edgeOf[t] as number;
      if (rs === rt) {
        const n = (rings[rs] as Ring).length;
        const adjacent = (es + 1) % n === et || (et + 1) % n === es;
        // Neighbouring edges share their vertex; only folding back over each other is a fault.
        if (adjacent && c.kind === "touch") continue;
        noteSelf(rs, Math.min(es, et), c.at);
        continue;
      }
      if (c.kind === "cross" || c.kind === "overlap") {
        const fault: RingPairFault = {
          ring: Math.max(rs, rt),
          other: Math.min(rs, rt),
          kind: c.kind,
          at: c.at,
        };
        if (
          !pairFault ||
          fault.ring < pairFault.ring ||
          (fault.ring === pairFault.ring && fault.other < pairFault.other)
        ) {
          pairFault = fault;
        }
        continue;
      }
      touches.push({ a: rs, b: rt, at: c.at, edgeA: es, edgeB: et });
    }
  }

  const selfFaults = [...selfByRing.values()].sort((x, y) => x.ring - y.ring);
  if (selfFaults.length > 0 || pairFault) return { selfFaults, pairFault, splitAt: undefined };

  // Rings touching at a point must not cross there (a hole poking out through a shell vertex).
  const seen = new Set<string>();
  const forest = new Forest();
  const ringNode = rings.map(() => forest.add());
  const pointNode = new Map<string, number>();
  let splitAt: { ring: number; at: XY } | undefined;
  for (const touch of touches) {
    const key = `${touch.a}|${touch.b}|${touch.at[0]},${touch.at[1]}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const raysA = raysAt(rings[touch.a] as Ring, touch.edgeA, touch.at);
    const raysB = raysAt(rings[touch.b] as Ring, touch.edgeB, touch.at);
    if (crossesAt(raysA, raysB)) {
      const fault: RingPairFault = {
        ring: Math.max(touch.a, touch.b),
        other: Math.min(touch.a, touch.b),
        kind: "cross",
        at: touch.at,
      };
      if (!pairFault || fault.ring < pairFault.ring) pairFault = fault;
    }
  }
  if (pairFault) return { selfFaults, pairFault, splitAt: undefined };

  // Rings and touch points as a graph: a loop means a piece of the interior is cut off.
  const linked = new Set<string>();
  const ordered = [...touches].sort((x, y) => Math.max(x.a, x.b) - Math.max(y.a, y.b));
  for (const touch of ordered) {
    const pointKey = `${touch.at[0]},${touch.at[1]}`;
    let p = pointNode.get(pointKey);
    if (p === undefined) {
      p = forest.add();
      pointNode.set(pointKey, p);
    }
    for (const r of [touch.a, touch.b]) {
      const linkKey = `${r}|${pointKey}`;
      if (linked.has(linkKey)) continue;
      linked.add(linkKey);
      if (!forest.union(ringNode[r] as number, p) && !splitAt) {
        splitAt = { ring: Math.max(touch.a, touch.b), at: touch.at };
      }
    }
  }
  return { selfFaults, pairFault, splitAt };
}

/**
 * Where point (x, y) lies relative to a ring (open, any orientation): exact on the boundary,
 * even-odd ray casting otherwise.
 */
export function locateInRing(ring: Ring, x: number, y: number): "inside" | "outside" | "boundary" {
  let inside = false;
  const p: XY = [x, y];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as XY;
    const b = ring[i] as XY;
    if (orient(a, b, p) === 0 && within(a, b, p)) return "boundary";
    if (a[1] > y !== b[1] > y) {
      // Crossing of the ray towards +x: exact side test instead of a division.
      const o = orient(a, b, p);
      if ((b[1] > a[1] && o > 0) || (b[1] < a[1] && o < 0)) inside = !inside;
    }
  }
  return inside ? "inside" : "outside";
}

/**
 * Where `ring` lies relative to `other`, given that they neither cross nor share a segment: the
 * answer for its first vertex that is not on `other` (or for the middle of its first edge).
 */
export function ringInside(ring: Ring, other: Ring): boolean {
  for (const [x, y] of ring) {
    const where = locateInRing(other, x, y);
    if (where !== "boundary") return where === "inside";
  }
  const a = ring[0] as XY;
  const b = ring[1] as XY;
  return locateInRing(other, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2) !== "outside";
}
