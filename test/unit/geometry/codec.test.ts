import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeZone,
  encodeZone,
  type Position,
  type ZoneGeometry,
} from "../../../shared/domain/geometry/index.ts";
import { zoneArbitrary } from "./generators.ts";

/** Rounded to 1e-7° (and -0 read as 0, which is the same position). */
const r7 = (n: number) => Math.round(n * 1e7) / 1e7 + 0;

/** What decoding must give back: coordinates on the 1e-7° grid, radius in whole millimetres. */
function rounded(g: ZoneGeometry): ZoneGeometry {
  const ring = (r: Position[]) => r.map((p) => [r7(p[0] as number), r7(p[1] as number)]);
  switch (g.type) {
    case "Circle":
      return {
        type: "Circle",
        center: { lat: r7(g.center.lat), lon: r7(g.center.lon) },
        radiusM: Math.round(g.radiusM * 1000) / 1000,
      };
    case "Polygon":
      return { type: "Polygon", coordinates: g.coordinates.map(ring) };
    default:
      return { type: "MultiPolygon", coordinates: g.coordinates.map((p) => p.map(ring)) };
  }
}

describe("zone codec", () => {
  it("property: decodes to the input rounded to 1e-7°, and re-encodes to the same string", () => {
    fc.assert(
      fc.property(zoneArbitrary, (zone) => {
        const s = encodeZone(zone.geometry);
        const back = decodeZone(s);
        expect(back).toEqual(rounded(zone.geometry));
        expect(encodeZone(back)).toBe(s);
        expect(s).toMatch(/^[CPM][A-Za-z0-9_-]+$/);
      }),
      { numRuns: 300 },
    );
  });

  it("property: any coordinates, including ±180 and ±90 exactly, survive the round trip", () => {
    const lon = fc.double({ min: -180, max: 180, noNaN: true });
    const lat = fc.double({ min: -90, max: 90, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(lon, lat), { minLength: 3, maxLength: 20 }), (pts) => {
        const ring = [...pts.map(([x, y]) => [x, y]), [pts[0]![0], pts[0]![1]]];
        const g: ZoneGeometry = { type: "Polygon", coordinates: [ring] };
        expect(decodeZone(encodeZone(g))).toEqual(rounded(g));
      }),
    );
    const edge: ZoneGeometry = {
      type: "Polygon",
      coordinates: [
        [
          [180, 90],
          [-180, -90],
          [179.9999999, -89.9999999],
          [180, 90],
        ],
      ],
    };
    expect(decodeZone(encodeZone(edge))).toEqual(edge);
  });

  it("is short: a circle in under 20 characters, a polygon in about 5 per vertex", () => {
    const c = encodeZone({
      type: "Circle",
      center: { lat: 48.8583701, lon: 2.2944813 },
      radiusM: 150,
    });
    expect(c.length).toBeLessThan(20);
    const ring: number[][] = [];
    for (let i = 0; i < 1000; i++) {
      const a = (2 * Math.PI * i) / 1000;
      ring.push([r7(2.35 + 0.004 * Math.cos(a)), r7(48.85 + 0.003 * Math.sin(a))]);
    }
    ring.push([...(ring[0] as number[])]);
    const p = encodeZone({ type: "Polygon", coordinates: [ring] });
    expect(p.length).toBeLessThan(1000 * 6);
    expect(p.length).toBeLessThan(JSON.stringify(ring).length / 4);
  });

  it("drops altitudes", () => {
    const g: ZoneGeometry = {
      type: "Polygon",
      coordinates: [
        [
          [1, 1, 100],
          [2, 1, 100],
          [2, 2, 100],
          [1, 1, 100],
        ],
      ],
    };
    expect(decodeZone(encodeZone(g))).toEqual({
      type: "Polygon",
      coordinates: [
        [
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 1],
        ],
      ],
    });
  });

  it("refuses corrupt strings with a TypeError", () => {
    const good = encodeZone({ type: "Circle", center: { lat: 1, lon: 2 }, radiusM: 3 });
    for (const bad of ["", "X", "C", "P", "Pzz", `${good}A`, good.slice(0, -1), "C!!!", "P/"]) {
      expect(() => decodeZone(bad), JSON.stringify(bad)).toThrow(TypeError);
    }
  });
});
