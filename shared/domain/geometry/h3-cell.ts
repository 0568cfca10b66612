/**
 * H3 `latLngToCell` in plain TypeScript, returning the 64-bit cell index as two 32-bit words
 * instead of a hex string.
 *
 * A line-for-line port of the H3 library's C code (https://github.com/uber/h3 v4.5.0, Apache
 * License 2.0: `latLngToCell` → `_vec3ToFaceIjk` → `_faceIjkToH3` in h3Index.c, faceijk.c,
 * coordijk.h, vec3d.h, baseCells.c; tables in h3-tables.ts). h3-js (the library used elsewhere)
 * is that same C code compiled to asm.js, whose sin/cos/tan/acos/atan2 are JavaScript's `Math`
 * functions, so performing the same IEEE double operations in the same order gives the same
 * cell bit for bit — checked against h3-js over millions of random points, near the poles, the
 * antimeridian, the 12 pentagons and icosahedron edges by test/unit/geometry/h3-cell.test.ts.
 *
 * Why: on the ping path h3-js costs 1.4–1.9 µs per point (heap allocation in the asm.js
 * module, a 64-bit index written out as a hex string, which the cache then parses back); this
 * costs a fraction of that and allocates nothing.
 */
import { CW_OFFSET_FACES, FACE_AXIS_AZ, FACE_CENTER, FACE_IJK_BASE_CELLS } from "./h3-tables.ts";

// H3's constants (constants.h, faceijk.c), written as the shortest decimal of the same double.
const M_2PI = 6.283185307179586;
const EPSILON = 0.0000000000000001;
const M_RSIN60 = 1.1547005383792515;
const M_ONESEVENTH = 0.14285714285714285;
const M_AP7_ROT_RADS = 0.3334731722518321;
const INV_RES0_U_GNOMONIC = 2.618033988749896;
const M_SQRT7 = 2.6457513110645907;
const MAX_FACE_COORD = 2;
const K_AXES_DIGIT = 1;
const NUM_FACES = 20;

/** Digit after one 60° counter-clockwise / clockwise rotation (`_rotate60ccw`, `_rotate60cw`). */
const CCW = Int8Array.of(0, 5, 3, 1, 6, 4, 2, 7);
const CW = Int8Array.of(0, 3, 6, 2, 5, 1, 4, 7);
/** Base cells that are pentagons (`baseCellData[].isPentagon`). */
const PENTAGON = new Uint8Array(122);
for (const b of [4, 14, 24, 38, 49, 58, 63, 72, 83, 97, 107, 117]) PENTAGON[b] = 1;

/** Tangent basis (north, east) at each face centre (`_vec3TangentBasis`), computed as H3 does. */
const NORTH = new Float64Array(3 * NUM_FACES);
const EAST = new Float64Array(3 * NUM_FACES);
for (let f = 0; f < NUM_FACES; f++) {
  const px = FACE_CENTER[3 * f] as number;
  const py = FACE_CENTER[3 * f + 1] as number;
  const pz = FACE_CENTER[3 * f + 2] as number;
  // vec3LinComb(1.0, northPole, -vec3Dot(northPole, p), p)
  const b = -(0.0 * px + 0.0 * py + 1.0 * pz);
  let nx = 1.0 * 0.0 + b * px;
  let ny = 1.0 * 0.0 + b * py;
  let nz = 1.0 * 1.0 + b * pz;
  const norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
  const s = norm > 0.0 ? 1.0 / norm : 0.0;
  nx *= s;
  ny *= s;
  nz *= s;
  NORTH[3 * f] = nx;
  NORTH[3 * f + 1] = ny;
  NORTH[3 * f + 2] = nz;
  // vec3Cross(north, p)
  EAST[3 * f] = ny * pz - nz * py;
  EAST[3 * f + 1] = nz * px - nx * pz;
  EAST[3 * f + 2] = nx * py - ny * px;
}

function posAngleRads(rads: number): number {
  let tmp = rads < 0.0 ? rads + M_2PI : rads;
  if (rads >= M_2PI) tmp -= M_2PI;
  return tmp;
}

/** C's `lround`: nearest integer, halves away from zero. */
function lround(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Scratch: ijk coordinates and the 15 digits (index 1…15) of the cell being built. */
const ijk = new Int32Array(3);
const digits = new Int32Array(16);

function ijkNormalize(c: Int32Array): void {
  let i = c[0] as number;
  let j = c[1] as number;
  let k = c[2] as number;
  if (i < 0) {
    j -= i;
    k -= i;
    i = 0;
  }
  if (j < 0) {
    i -= j;
    k -= j;
    j = 0;
  }
  if (k < 0) {
    i -= k;
    j -= k;
    k = 0;
  }
  let min = i;
  if (j < min) min = j;
  if (k < min) min = k;
  if (min > 0) {
    i -= min;
    j -= min;
    k -= min;
  }
  c[0] = i;
  c[1] = j;
  c[2] = k;
}

/** `_hex2dToCoordIJK` into `ijk`. */
function hex2dToCoordIJK(x: number, y: number): void {
  const a1 = Math.abs(x);
  const a2 = Math.abs(y);
  const x2 = a2 * M_RSIN60;
  const x1 = a1 + x2 / 2.0;
  const m1 = Math.trunc(x1);
  const m2 = Math.trunc(x2);
  const r1 = x1 - m1;
  const r2 = x2 - m2;
  let i: number;
  let j: number;
  if (r1 < 0.5) {
    if (r1 < 1.0 / 3.0) {
      i = m1;
      j = r2 < (1.0 + r1) / 2.0 ? m2 : m2 + 1;
    } else {
      j = r2 < 1.0 - r1 ? m2 : m2 + 1;
      i = 1.0 - r1 <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
    }
  } else if (r1 < 2.0 / 3.0) {
    j = r2 < 1.0 - r1 ? m2 : m2 + 1;
    i = 2.0 * r1 - 1.0 < r2 && r2 < 1.0 - r1 ? m1 : m1 + 1;
  } else {
    i = m1 + 1;
    j = r2 < r1 / 2.0 ? m2 : m2 + 1;
  }
  if (x < 0.0) {
    if (j % 2 === 0) {
      const axisi = Math.trunc(j / 2);
      const diff = i - axisi;
      i = Math.trunc(i - 2.0 * diff);
    } else {
      const axisi = Math.trunc((j + 1) / 2);
      const diff = i - axisi;
      i = Math.trunc(i - (2.0 * diff + 1));
    }
  }
  if (y < 0.0) {
    i = i - Math.trunc((2 * j + 1) / 2);
    j = -1 * j;
  }
  ijk[0] = i;
  ijk[1] = j;
  ijk[2] = 0;
  ijkNormalize(ijk);
}

/** Digit of a unit ijk vector (`_unitIjkToDigit`), the vector already normalized; 7 if none. */
function unitIjkToDigit(i: number, j: number, k: number): number {
  if (i > 1 || j > 1 || k > 1 || i < 0 || j < 0 || k < 0) return 7;
  return (i << 2) | (j << 1) | k;
}

function rotate60ccw(res: number): void {
  for (let r = 1; r <= res; r++) digits[r] = CCW[digits[r] as number] as number;
}

function rotate60cw(res: number): void {
  for (let r = 1; r <= res; r++) digits[r] = CW[digits[r] as number] as number;
}

function leadingNonZeroDigit(res: number): number {
  for (let r = 1; r <= res; r++) if (digits[r] !== 0) return digits[r] as number;
  return 0;
}

/** `_h3RotatePent60ccw`. */
function rotatePent60ccw(res: number): void {
  let found = false;
  for (let r = 1; r <= res; r++) {
    digits[r] = CCW[digits[r] as number] as number;
    if (!found && digits[r] !== 0) {
      found = true;
      if (leadingNonZeroDigit(res) === K_AXES_DIGIT) rotate60ccw(res);
    }
  }
}

/**
 * Writes the H3 cell index at `res` (0–15) of the point (degrees; any finite values, as
 * h3-js accepts them) into `out` as [high 32 bits, low 32 bits] (unsigned), equal to
 * h3-js `latLngToCell(lat, lon, res)` read as a 64-bit number.
 *
 * @throws RangeError when lat or lon is not finite (in radians too) or res is not an integer
 *   from 0 to 15.
 */
export function latLngToCellKey(lat: number, lon: number, res: number, out: Uint32Array): void {
  if (!(res >= 0 && res <= 15 && Number.isInteger(res))) {
    throw new RangeError("resolution must be an integer from 0 to 15");
  }
  // h3-js degsToRads, then latLngToVec3 (radians overflow for |degrees| > ~5.7e307).
  const latR = (lat * Math.PI) / 180;
  const lngR = (lon * Math.PI) / 180;
  if (!Number.isFinite(latR) || !Number.isFinite(lngR)) {
    throw new RangeError("latitude and longitude must be finite (in radians too)");
  }
  const cr = Math.cos(latR);
  const px = Math.cos(lngR) * cr;
  const py = Math.sin(lngR) * cr;
  const pz = Math.sin(latR);

  // _vec3ToClosestFace
  let face = 0;
  let sqd = 5.0;
  for (let f = 0; f < NUM_FACES; f++) {
    const dx = (FACE_CENTER[3 * f] as number) - px;
    const dy = (FACE_CENTER[3 * f + 1] as number) - py;
    const dz = (FACE_CENTER[3 * f + 2] as number) - pz;
    const d = dx * dx + dy * dy + dz * dz;
    if (d < sqd) {
      face = f;
      sqd = d;
    }
  }

  // _vec3ToHex2d
  let r = Math.acos(1 - sqd * 0.5);
  let x = 0.0;
  let y = 0.0;
  if (!(r < EPSILON)) {
    // _vec3AzimuthRads(faceCenterPoint[face], p)
    const cx = FACE_CENTER[3 * face] as number;
    const cy = FACE_CENTER[3 * face + 1] as number;
    const cz = FACE_CENTER[3 * face + 2] as number;
    const b = -(px * cx + py * cy + pz * cz);
    let qx = 1.0 * px + b * cx;
    let qy = 1.0 * py + b * cy;
    let qz = 1.0 * pz + b * cz;
    const norm = Math.sqrt(qx * qx + qy * qy + qz * qz);
    const s = norm > 0.0 ? 1.0 / norm : 0.0;
    qx *= s;
    qy *= s;
    qz *= s;
    const az = Math.atan2(
      qx * (EAST[3 * face] as number) +
        qy * (EAST[3 * face + 1] as number) +
        qz * (EAST[3 * face + 2] as number),
      qx * (NORTH[3 * face] as number) +
        qy * (NORTH[3 * face + 1] as number) +
        qz * (NORTH[3 * face + 2] as number),
    );
    let theta = posAngleRads((FACE_AXIS_AZ[face] as number) - posAngleRads(az));
    if (res % 2 === 1) theta = posAngleRads(theta - M_AP7_ROT_RADS);
    r = Math.tan(r);
    r *= INV_RES0_U_GNOMONIC;
    for (let i = 0; i < res; i++) r *= M_SQRT7;
    x = r * Math.cos(theta);
    y = r * Math.sin(theta);
  }
  hex2dToCoordIJK(x, y);

  // _faceIjkToH3: digits from the finest resolution up.
  for (let d = res + 1; d <= 15; d++) digits[d] = 7;
  for (let rr = res - 1; rr >= 0; rr--) {
    const li = ijk[0] as number;
    const lj = ijk[1] as number;
    const lk = ijk[2] as number;
    const i0 = li - lk;
    const j0 = lj - lk;
    let ci: number;
    let cj: number;
    let ck: number;
    if ((rr + 1) % 2 === 1) {
      // _upAp7, then _downAp7 of the result
      ijk[0] = lround((3 * i0 - j0) * M_ONESEVENTH);
      ijk[1] = lround((i0 + 2 * j0) * M_ONESEVENTH);
      ijk[2] = 0;
      ijkNormalize(ijk);
      const a = ijk[0] as number;
      const bb = ijk[1] as number;
      const c = ijk[2] as number;
      ci = 3 * a + bb;
      cj = 3 * bb + c;
      ck = a + 3 * c;
    } else {
      // _upAp7r, then _downAp7r
      ijk[0] = lround((2 * i0 + j0) * M_ONESEVENTH);
      ijk[1] = lround((3 * j0 - i0) * M_ONESEVENTH);
      ijk[2] = 0;
      ijkNormalize(ijk);
      const a = ijk[0] as number;
      const bb = ijk[1] as number;
      const c = ijk[2] as number;
      ci = 3 * a + c;
      cj = a + 3 * bb;
      ck = bb + 3 * c;
    }
    // _ijkNormalize(lastCenter), diff = last - center, _ijkNormalize(diff), _unitIjkToDigit
    // Inlined rather than `ijkNormalize` on a scratch vector: this step runs once per resolution
    // of every ping, and the call form measured 6–12 % slower per cell key.
    let mn = ci;
    if (cj < mn) mn = cj;
    if (ck < mn) mn = ck;
    // centre components are ≥ 0 here (sums of non-negative terms), so only the min goes
    let di = li - (ci - mn);
    let dj = lj - (cj - mn);
    let dk = lk - (ck - mn);
    if (di < 0) {
      dj -= di;
      dk -= di;
      di = 0;
    }
    if (dj < 0) {
      di -= dj;
      dk -= dj;
      dj = 0;
    }
    if (dk < 0) {
      di -= dk;
      dj -= dk;
      dk = 0;
    }
    let m = di;
    if (dj < m) m = dj;
    if (dk < m) m = dk;
    if (m > 0) {
      di -= m;
      dj -= m;
      dk -= m;
    }
    digits[rr + 1] = unitIjkToDigit(di, dj, dk);
  }
  const fi = ijk[0] as number;
  const fj = ijk[1] as number;
  const fk = ijk[2] as number;
  if (fi > MAX_FACE_COORD || fj > MAX_FACE_COORD || fk > MAX_FACE_COORD) {
    // H3 fails here (H3_NULL); h3-js throws. Not reachable for points on the sphere.
    throw new RangeError("point outside the face's base cells");
  }
  const slot = 2 * (((face * 3 + fi) * 3 + fj) * 3 + fk);
  const baseCell = FACE_IJK_BASE_CELLS[slot] as number;
  const numRots = FACE_IJK_BASE_CELLS[slot + 1] as number;
  if (PENTAGON[baseCell] === 1) {
    if (leadingNonZeroDigit(res) === K_AXES_DIGIT) {
      if (CW_OFFSET_FACES[2 * baseCell] === face || CW_OFFSET_FACES[2 * baseCell + 1] === face) {
        rotate60cw(res);
      } else rotate60ccw(res);
    }
    for (let i = 0; i < numRots; i++) rotatePent60ccw(res);
  } else {
    for (let i = 0; i < numRots; i++) rotate60ccw(res);
  }

  // Assemble: mode 1 (bits 59–62), resolution (52–55), base cell (45–51), digit d at bits
  // 3 × (15 − d) … +2. Digit 5 straddles the words (bits 30–32).
  let high = (1 << 27) | (res << 20) | (baseCell << 13);
  for (let d = 1; d <= 4; d++) high |= (digits[d] as number) << (3 * (15 - d) - 32);
  const d5 = digits[5] as number;
  high |= d5 >>> 2;
  let low = (d5 & 3) << 30;
  for (let d = 6; d <= 15; d++) low |= (digits[d] as number) << (3 * (15 - d));
  out[0] = high >>> 0;
  out[1] = low >>> 0;
}
