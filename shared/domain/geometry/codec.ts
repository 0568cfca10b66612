/**
 * Compact text form of a zone for the geofence index (one copy per covering cell, so size
 * matters). Coordinates are integers of 1e-7° (about 1 cm), radii integers of millimetres,
 * written as zig-zag variable-length integers in the URL-safe base64 alphabet (5 payload bits
 * per character, the 6th marks "more follows"), polygon vertices as deltas from the previous
 * vertex. A tag letter gives the shape:
 *
 *   C lat lon radiusMm
 *   P rings { vertices { dLon dLat } }            (rings open: the closing vertex is implied)
 *   M polygons { rings { vertices { dLon dLat } } }
 *
 * Decoding then encoding gives back the same string, and decoded coordinates are exactly the
 * input rounded to 1e-7°: the exact tests and the cover must both use the decoded geometry.
 */
import { openRing } from "./rings.ts";
import type { Position, ZoneGeometry } from "./types.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));
const E7 = 1e7;

/** Degrees to integer 1e-7° units (the grid the index stores). */
function toE7(deg: number): number {
  return Math.round(deg * E7);
}

function writeInt(n: number, out: string[]): void {
  // Zig-zag with arithmetic, not bit operators: deltas can exceed 32 bits (±360°).
  let z = n < 0 ? -2 * n - 1 : 2 * n;
  do {
    const chunk = z % 32;
    z = Math.floor(z / 32);
    out.push(ALPHABET[z > 0 ? chunk + 32 : chunk] as string);
  } while (z > 0);
}

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}
  int(): number {
    let z = 0;
    let scale = 1;
    for (;;) {
      const v = VALUE.get(this.s[this.i] ?? "");
      if (v === undefined) throw new TypeError(`corrupt zone encoding at ${this.i}`);
      this.i++;
      z += (v % 32) * scale;
      scale *= 32;
      if (v < 32) break;
      if (scale > 2 ** 53) throw new TypeError("corrupt zone encoding: integer too long");
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  count(): number {
    const n = this.int();
    if (n < 0 || n > 100_000) throw new TypeError("corrupt zone encoding: bad count");
    return n;
  }
  done(): boolean {
    return this.i === this.s.length;
  }
}

function writeRings(rings: readonly Position[][], out: string[]): void {
  writeInt(rings.length, out);
  for (const ring of rings) {
    const open = openRing(ring);
    writeInt(open.length, out);
    let lon = 0;
    let lat = 0;
    for (const [x, y] of open) {
      const ex = toE7(x);
      const ey = toE7(y);
      writeInt(ex - lon, out);
      writeInt(ey - lat, out);
      lon = ex;
      lat = ey;
    }
  }
}

function readRings(r: Reader): Position[][] {
  const rings: Position[][] = [];
  const nRings = r.count();
  for (let i = 0; i < nRings; i++) {
    const n = r.count();
    const ring: Position[] = [];
    let lon = 0;
    let lat = 0;
    for (let k = 0; k < n; k++) {
      lon += r.int();
      lat += r.int();
      ring.push([lon / E7, lat / E7]);
    }
    const first = ring[0];
    if (first) ring.push([first[0] as number, first[1] as number]);
    rings.push(ring);
  }
  return rings;
}

/**
 * Encodes a zone for the index: about 5–6 characters per polygon vertex, 13 for a circle.
 * Altitudes are dropped; the geometry should already be validated.
 */
export function encodeZone(g: ZoneGeometry): string {
  const out: string[] = [];
  if (g.type === "Circle") {
    out.push("C");
    writeInt(toE7(g.center.lat), out);
    writeInt(toE7(g.center.lon), out);
    writeInt(Math.round(g.radiusM * 1000), out);
  } else if (g.type === "Polygon") {
    out.push("P");
    writeRings(g.coordinates, out);
  } else {
    out.push("M");
    writeInt(g.coordinates.length, out);
    for (const polygon of g.coordinates) writeRings(polygon, out);
  }
  return out.join("");
}

/**
 * Decodes `encodeZone` output. Throws a TypeError on a corrupt string: that is stored data
 * gone bad, an internal fault rather than a caller's mistake.
 */
export function decodeZone(s: string): ZoneGeometry {
  const r = new Reader(s.slice(1));
  let g: ZoneGeometry;
  switch (s[0]) {
    case "C": {
      const lat = r.int() / E7;
      const lon = r.int() / E7;
      g = { type: "Circle", center: { lat, lon }, radiusM: r.int() / 1000 };
      break;
    }
    case "P":
      g = { type: "Polygon", coordinates: readRings(r) };
      break;
    case "M": {
      const n = r.count();
      const coordinates: Position[][][] = [];
      for (let i = 0; i < n; i++) coordinates.push(readRings(r));
      g = { type: "MultiPolygon", coordinates };
      break;
    }
    default:
      throw new TypeError("corrupt zone encoding: unknown shape tag");
  }
  if (!r.done()) throw new TypeError("corrupt zone encoding: trailing characters");
  return g;
}
