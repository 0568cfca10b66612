import fc from "fast-check";
import { cellToBoundary, cellToLatLng, getPentagons, getRes0Cells, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { latLngToCellKey } from "../../../shared/domain/geometry/h3-cell.ts";
import { mulberry32 } from "../../support/geo.ts";

const out = new Uint32Array(2);
/** The port's cell as h3-js writes it (lower-case hex, no leading zeros). */
function port(lat: number, lon: number, res: number): string {
  latLngToCellKey(lat, lon, res, out);
  return (out[0] as number).toString(16) + (out[1] as number).toString(16).padStart(8, "0");
}

/** Points that differ from h3-js, at most a few reported. */
function mismatches(points: Iterable<[number, number, number]>): string[] {
  const bad: string[] = [];
  for (const [lat, lon, res] of points) {
    const want = latLngToCell(lat, lon, res);
    const got = port(lat, lon, res);
    if (got !== want && bad.length < 5) bad.push(`${lat},${lon} res ${res}: ${got} ≠ ${want}`);
  }
  return bad;
}

function* jittered(
  centres: [number, number][],
  perCentre: number,
  seed: number,
): Generator<[number, number, number]> {
  const rnd = mulberry32(seed);
  for (const [lat, lon] of centres) {
    for (let k = 0; k < perCentre; k++) {
      // Offsets from 1e-9° to 1° on a log scale: every resolution's cells around the centre.
      const scale = 10 ** -(rnd() * 9);
      yield [lat + (rnd() - 0.5) * scale, lon + (rnd() - 0.5) * scale, k % 16];
    }
  }
}

describe("latLngToCellKey (numeric port of h3 latLngToCell)", () => {
  it("equals h3-js on 600,000 points spread uniformly over the sphere, every resolution", () => {
    const rnd = mulberry32(20_261_130);
    function* uniform(): Generator<[number, number, number]> {
      for (let i = 0; i < 600_000; i++) {
        const lat = (Math.asin(2 * rnd() - 1) * 180) / Math.PI;
        yield [lat, rnd() * 360 - 180, i % 3 === 0 ? 11 : i % 16];
      }
    }
    expect(mismatches(uniform())).toEqual([]);
  });

  it("equals h3-js around the 12 pentagons, at every resolution", () => {
    const centres: [number, number][] = [];
    for (const res of [0, 5, 11, 15])
      for (const p of getPentagons(res)) centres.push(cellToLatLng(p));
    expect(mismatches(jittered(centres, 2_000, 7))).toEqual([]);
  });

  it("equals h3-js near icosahedron edges and base-cell corners (face and rotation changes)", () => {
    const corners: [number, number][] = [];
    for (const cell of getRes0Cells()) for (const v of cellToBoundary(cell)) corners.push(v);
    expect(mismatches(jittered(corners, 300, 11))).toEqual([]);
  });

  it("equals h3-js at the poles and along the antimeridian and the prime meridian", () => {
    const rnd = mulberry32(3);
    function* edges(): Generator<[number, number, number]> {
      for (let i = 0; i < 60_000; i++) {
        const res = i % 16;
        const near = 10 ** -(rnd() * 9);
        yield [90 - rnd() * near, rnd() * 360 - 180, res];
        yield [-90 + rnd() * near, rnd() * 360 - 180, res];
        yield [rnd() * 180 - 90, 180 - rnd() * near, res];
        yield [rnd() * 180 - 90, -180 + rnd() * near, res];
        yield [rnd() * 180 - 90, (rnd() - 0.5) * near, res];
      }
      for (const lat of [90, -90, 0, 89.9999999, -89.9999999])
        for (const lon of [180, -180, 0, 179.9999999, -179.9999999])
          for (let res = 0; res <= 15; res++) yield [lat, lon, res];
    }
    expect(mismatches(edges())).toEqual([]);
  });

  it("equals h3-js for any finite double, out-of-range angles included (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.double({ noNaN: true })),
        fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ noNaN: true })),
        fc.integer({ min: 0, max: 15 }),
        (lat, lon, res) => {
          fc.pre(Number.isFinite(lat) && Number.isFinite(lon));
          let want: string | Error;
          try {
            want = latLngToCell(lat, lon, res);
          } catch (e) {
            want = e as Error;
          }
          if (typeof want === "string") expect(port(lat, lon, res)).toBe(want);
          else expect(() => port(lat, lon, res)).toThrow(RangeError);
        },
      ),
      { numRuns: 20_000 },
    );
  });

  it("refuses what h3-js refuses: non-finite coordinates and resolutions outside 0–15", () => {
    for (const [lat, lon, res] of [
      [Number.NaN, 0, 5],
      [0, Number.POSITIVE_INFINITY, 5],
      [10, 10, 16],
      [10, 10, -1],
      [1e308, 10, 5],
    ] as const) {
      expect(() => latLngToCell(lat, lon, res)).toThrow();
      expect(() => port(lat, lon, res)).toThrow(RangeError);
    }
  });
});
