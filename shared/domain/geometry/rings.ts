/**
 * Ring plumbing for polygons in longitude/latitude: unwrapping across the antimeridian,
 * point-in-ring tests and splitting at a meridian. Internal to the geometry module.
 *
 * Rings here are OPEN (the closing position is not repeated) and use [x = lon, y = lat].
 */
import type { Position } from "./types.ts";

/** [x = longitude (possibly unwrapped beyond ±180), y = latitude]. */
export type XY = [x: number, y: number];
/** An open ring. */
export type Ring = XY[];
/** Shell first, then holes. */
export type Rings = Ring[];

/**
 * The ring's positions without altitude and without the closing position, index for index,
 * so validation can still name the offending position.
 */
export function openRing(ring: readonly Position[]): Ring {
  const out: Ring = ring.map((p) => [p[0] ?? Number.NaN, p[1] ?? Number.NaN]);
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  return out;
}

/** The copy of longitude `lon` (lon + 360k) nearest to `near`: exact when k = 0. */
function nearestCopy(lon: number, near: number): number {
  return lon + 360 * Math.round((near - lon) / 360);
}

/**
 * Rewrites longitudes so consecutive vertices never jump by more than 180° (a ring sent as
 * 179.5 → -179.5 becomes 179.5 → 180.5): each vertex takes the copy of its longitude nearest
 * the previous one, the short way round as RFC 7946 clients mean it. `refLon` picks the copy
 * of the first vertex. `windingDeg` is the net longitude travelled around the closed ring:
 * 0 for an ordinary ring, ±360 for a ring that encircles a pole.
 */
function unwrapRing(ring: Ring, refLon: number): { ring: Ring; windingDeg: number } {
  const first = ring[0];
  if (!first) return { ring: [], windingDeg: 0 };
  let x = nearestCopy(first[0], refLon);
  const x0 = x;
  const out: Ring = [[x, first[1]]];
  for (let i = 1; i < ring.length; i++) {
    const cur = ring[i] as XY;
    x = nearestCopy(cur[0], x);
    out.push([x, cur[1]]);
  }
  return { ring: out, windingDeg: Math.round(nearestCopy(x0, x) - x0) };
}

/** Smallest and largest x of a ring. */
export function xRange(ring: Ring): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [x] of ring) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return [min, max];
}

/**
 * Unwraps a polygon: the shell from its first vertex, each hole onto the copy nearest the
 * shell's middle (a hole lies inside its shell, so that is the right copy). Index for index.
 */
export function unwrapPolygon(rings: readonly Position[][]): { rings: Rings; windings: number[] } {
  const shellOpen = openRing(rings[0] ?? []);
  const shell = unwrapRing(shellOpen, shellOpen[0]?.[0] ?? 0);
  const [minX, maxX] = xRange(shell.ring);
  const mid = (minX + maxX) / 2;
  const out: Rings = [shell.ring];
  const windings = [shell.windingDeg];
  for (const hole of rings.slice(1)) {
    const u = unwrapRing(openRing(hole), mid);
    out.push(u.ring);
    windings.push(u.windingDeg);
  }
  return { rings: out, windings };
}

/** Drops consecutive duplicate vertices (and a last vertex equal to the first). */
export function dedupeRing(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const prev = out[out.length - 1];
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && first[0] === last[0] && first[1] === last[1]) out.pop();
  return out;
}

/** Even-odd point-in-ring test in the plane (boundary points go either way). */
function ringContains(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as XY;
    const [xj, yj] = ring[j] as XY;
    if (yi > y !== yj > y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
  }
  return inside;
}

/** Shifts every vertex by `dx` degrees of longitude. */
export function shiftRings(rings: Rings, dx: number): Rings {
  return rings.map((r) => r.map(([x, y]): XY => [x + dx, y]));
}

interface Chain {
  points: XY[];
  entryY: number;
  exitY: number;
}

function crossing(a: XY, b: XY, line: number): XY {
  if (a[0] === line) return [line, a[1]];
  if (b[0] === line) return [line, b[1]];
  const t = (line - a[0]) / (b[0] - a[0]);
  return [line, a[1] + t * (b[1] - a[1])];
}

/**
 * The part of an oriented polygon (shell counter-clockwise, holes clockwise) west of the
 * meridian x = `line`, as proper polygons: the pieces of the rings that stay west are joined
 * along the meridian going north (the interior is on their left), holes that never reach the
 * meridian go to the piece that contains them. Vertices exactly on the meridian count as east.
 */
export function clipWest(rings: Rings, line: number): Rings[] {
  const whole: { ring: Ring; hole: boolean }[] = [];
  const chains: Chain[] = [];
  rings.forEach((ring, index) => {
    const west = ring.filter((p) => p[0] < line).length;
    if (west === ring.length) {
      whole.push({ ring, hole: index > 0 });
      return;
    }
    if (west === 0) return;
    const start = ring.findIndex((p) => !(p[0] < line));
    let current: XY[] = [];
    let entryY = 0;
    for (let k = 0; k < ring.length; k++) {
      const a = ring[(start + k) % ring.length] as XY;
      const b = ring[(start + k + 1) % ring.length] as XY;
      const aWest = a[0] < line;
      const bWest = b[0] < line;
      if (!aWest && bWest) {
        const p = crossing(a, b, line);
        entryY = p[1];
        current = [p, b];
      } else if (aWest && bWest) {
        current.push(b);
      } else if (aWest && !bWest) {
        const p = crossing(a, b, line);
        current.push(p);
        chains.push({ points: current, entryY, exitY: p[1] });
        current = [];
      }
    }
  });

  // Going north from each exit, the next point on the meridian is the entry it joins.
  const byExit = chains.map((_, i) => i).sort((i, j) => chains[i]!.exitY - chains[j]!.exitY);
  const byEntry = chains.map((_, i) => i).sort((i, j) => chains[i]!.entryY - chains[j]!.entryY);
  const next = new Array<number>(chains.length);
  byExit.forEach((chainIndex, rank) => {
    next[chainIndex] = byEntry[rank] as number;
  });
  const used = new Array<boolean>(chains.length).fill(false);
  const shells: Ring[] = [];
  for (let i = 0; i < chains.length; i++) {
    if (used[i]) continue;
    const ring: Ring = [];
    let j = i;
    while (!used[j]) {
      used[j] = true;
      ring.push(...(chains[j] as Chain).points);
      j = next[j] as number;
    }
    const clean = dedupeRing(ring);
    if (clean.length >= 3) shells.push(clean);
  }
  for (const w of whole) if (!w.hole) shells.push(w.ring);

  const polygons: Rings[] = shells.map((s) => [s]);
  for (const w of whole) {
    if (!w.hole) continue;
    const [hx, hy] = w.ring[0] as XY;
    const owner = polygons.find((p) => ringContains(p[0] as Ring, hx, hy)) ?? polygons[0];
    owner?.push(w.ring);
  }
  return polygons;
}

/** The part east of the meridian (mirror image of `clipWest`). */
export function clipEast(rings: Rings, line: number): Rings[] {
  const mirror = (rs: Rings): Rings =>
    rs.map((r) => r.map(([x, y]): XY => [2 * line - x, y]).reverse());
  return clipWest(mirror(rings), line).map(mirror);
}

/**
 * Splits an unwrapped polygon whose longitudes leave [-180, 180] into pieces that stay
 * inside it, shifting the eastern pieces by -360°. RFC 7946 §3.1.9 asks for exactly this.
 */
export function splitAtAntimeridian(rings: Rings): Rings[] {
  const out: Rings[] = [];
  const pending: Rings[] = [rings];
  for (let guard = 0; pending.length > 0 && guard < 64; guard++) {
    const p = pending.pop() as Rings;
    const [minX, maxX] = xRange(p[0] ?? []);
    if (maxX <= 180) out.push(p);
    else if (minX >= 180) pending.push(shiftRings(p, -360));
    else {
      out.push(...clipWest(p, 180));
      for (const east of clipEast(p, 180)) pending.push(shiftRings(east, -360));
    }
  }
  return out;
}
