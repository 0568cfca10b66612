import { describe, expect, it } from "vitest";
import { storeInputSchema } from "../../../shared/domain/catalog/index.ts";
import { rejectedPaths } from "../../support/validation.ts";
import { CHATELET_SQUARE, PARIS, validStore } from "./fixtures.ts";

/** The JSON paths a store body is rejected with, as the API reports them. */
const paths = (body: unknown) => rejectedPaths(storeInputSchema, body);

const square = (ring: number[][]) => ({ type: "Polygon", coordinates: [ring] });

describe("store input", () => {
  it("accepts a circle store and a polygon store", () => {
    expect(paths(validStore())).toEqual([]);
    expect(paths(validStore({ footprint: CHATELET_SQUARE, location: undefined }))).toEqual([]);
  });

  it("requires a name (the footprint may default), and names unknown fields", () => {
    expect(paths({ footprint: validStore().footprint })).toEqual(["name"]);
    expect(paths({ name: "x", address: "1 Rue de Rivoli, Paris" })).toEqual([]);
    expect(paths(validStore({ merchantId: "m_evil" }))).toEqual(["merchantId"]);
    expect(paths(validStore({ name: "   " }))).toEqual(["name"]);
    expect(paths(validStore({ name: "x".repeat(121) }))).toEqual(["name"]);
  });

  it("bounds footprint circles to 5 m – 2 km", () => {
    const circle = (radiusM: number) => ({ type: "Circle", center: PARIS, radiusM });
    expect(paths(validStore({ footprint: circle(5) }))).toEqual([]);
    expect(paths(validStore({ footprint: circle(2000) }))).toEqual([]);
    expect(paths(validStore({ footprint: circle(4.9) }))).toEqual(["footprint/radiusM"]);
    expect(paths(validStore({ footprint: circle(2001) }))).toEqual(["footprint/radiusM"]);
    expect(
      paths(validStore({ footprint: { type: "Circle", center: { lat: 91, lon: 0 }, radiusM: 9 } })),
    ).toEqual(["footprint/center/lat"]);
  });

  it("names geometry errors down to the position", () => {
    // The corners of a small square near the Louvre, as GeoJSON [lon, lat] positions.
    const sw = [2.3467, 48.8583];
    const se = [2.3472, 48.8583];
    const ne = [2.3472, 48.8586];
    const nw = [2.3467, 48.8586];
    // Open ring: the last position must repeat the first.
    const open = square([sw, se, ne, nw]);
    expect(paths(validStore({ footprint: open }))).toEqual(["footprint/coordinates/0/3"]);
    // Latitude out of range at position 3.
    const badLat = square([sw, se, ne, [2.3467, 98.8586], sw]);
    expect(paths(validStore({ footprint: badLat }))).toEqual(["footprint/coordinates/0/3/1"]);
    // Fewer than 4 positions.
    const short = square([sw, se, sw]);
    expect(paths(validStore({ footprint: short }))).toEqual(["footprint/coordinates/0"]);
    // Bow tie: self-intersecting.
    const bowTie = square([sw, ne, se, nw, sw]);
    const [selfCross] = paths(validStore({ footprint: bowTie }));
    expect(selfCross).toMatch(/^footprint\/coordinates\/0\/\d$/);
    // Not a finite number.
    const notNumber = square([sw, [2.3472, "48.8583"] as unknown as number[], ne, sw]);
    expect(paths(validStore({ footprint: notNumber }))).toEqual(["footprint/coordinates/0/1/1"]);
  });

  it("names a hole outside its shell and an unknown geometry type", () => {
    const holeOutside = {
      type: "Polygon",
      coordinates: [
        CHATELET_SQUARE.coordinates[0],
        [
          [2.35, 48.86],
          [2.3501, 48.86],
          [2.3501, 48.8601],
          [2.35, 48.86],
        ],
      ],
    };
    expect(paths(validStore({ footprint: holeOutside }))).toEqual(["footprint/coordinates/1"]);
    expect(paths(validStore({ footprint: { type: "Point", coordinates: [2, 48] } }))).toEqual([
      "footprint/type",
    ]);
  });

  it("checks location, time zone, address and opening hours", () => {
    expect(paths(validStore({ location: { lat: 48.8, lon: 181 } }))).toEqual(["location/lon"]);
    expect(paths(validStore({ location: { lat: 48.8 } }))).toEqual(["location/lon"]);
    expect(paths(validStore({ timeZone: "Mars/Olympus" }))).toEqual(["timeZone"]);
    expect(paths(validStore({ timeZone: "Europe/Paris" }))).toEqual([]);
    expect(paths(validStore({ address: "x" }))).toEqual(["address"]);
    expect(
      paths(validStore({ openingHours: [{ days: ["mon"], start: "09:00", end: "25:00" }] })),
    ).toEqual(["openingHours/0/end"]);
    expect(paths(validStore({ openingHours: [] }))).toEqual(["openingHours"]);
  });
});
