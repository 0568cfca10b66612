import { describe, expect, it } from "vitest";
import {
  DEFAULT_POINT_RADIUS_M,
  type ImportIssue,
  MAX_IMPORT_FEATURES,
  parseStoreImport,
} from "../../../shared/domain/catalog/index.ts";
import { CHATELET_SQUARE, UNCLOSED_RING } from "./fixtures.ts";

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: { type: "Point", coordinates: [lon, lat] },
  properties,
});

const polygon = (coordinates: unknown, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: { type: "Polygon", coordinates },
  properties,
});

function issues(body: unknown): ImportIssue[] {
  const result = parseStoreImport(body);
  return result.ok ? [] : result.issues;
}

describe("store import parsing", () => {
  it("maps points to circle footprints and polygons to footprints, ignoring foreign properties", () => {
    const result = parseStoreImport({
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, { name: "A", externalRef: "A-1", "marker-color": "#f00" }),
        point(2.36, 48.857, { name: "B", radiusM: 80, timeZone: "Europe/Paris" }),
        polygon(CHATELET_SQUARE.coordinates, { name: "C", address: "1 rue de Rivoli" }),
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.stores[0]).toEqual({
      name: "A",
      externalRef: "A-1",
      footprint: {
        type: "Circle",
        center: { lat: 48.8584, lon: 2.347 },
        radiusM: DEFAULT_POINT_RADIUS_M,
      },
    });
    expect(result.stores[1]?.footprint).toMatchObject({ radiusM: 80 });
    expect(result.stores[2]).toMatchObject({ name: "C", footprint: { type: "Polygon" } });
    expect(result.stores[2]?.location).toBeUndefined();
  });

  it("reports every bad feature with its index and the JSON path from the body's root", () => {
    const found = issues({
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, { name: "ok" }),
        polygon([UNCLOSED_RING], { name: "open ring" }),
        point(2.347, 48.8584, {}),
        point(2.347, 95, { name: "bad lat" }),
        point(2.347, 48.8584, { name: "tiny", radiusM: 1 }),
        point(2.347, 48.8584, { name: "bad tz", timeZone: "Nowhere/Land" }),
        { type: "Feature", geometry: { type: "LineString", coordinates: [] }, properties: {} },
      ],
    });
    expect(found.map((i) => [i.index, i.path])).toEqual([
      [1, "features/1/geometry/coordinates/0/4"],
      [2, "features/2/properties/name"],
      [3, "features/3/geometry/coordinates/1"],
      [4, "features/4/properties/radiusM"],
      [5, "features/5/properties/timeZone"],
      [6, "features/6/geometry/type"],
    ]);
  });

  it("refuses repeated externalRefs within one file", () => {
    const found = issues({
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, { name: "A", externalRef: "X" }),
        point(2.348, 48.8584, { name: "B", externalRef: "X" }),
      ],
    });
    expect(found).toEqual([
      expect.objectContaining({ index: 1, path: "features/1/properties/externalRef" }),
    ]);
  });

  it("checks the collection itself: type, at least one and at most 5,000 features", () => {
    expect(
      issues({ type: "Feature", features: [] })
        .map((i) => i.path)
        .sort(),
    ).toEqual(["features", "type"]);
    const many = Array.from({ length: MAX_IMPORT_FEATURES + 1 }, () =>
      point(2.347, 48.8584, { name: "x" }),
    );
    expect(issues({ type: "FeatureCollection", features: many })).toEqual([
      expect.objectContaining({ path: "features" }),
    ]);
    const exactly = many.slice(0, MAX_IMPORT_FEATURES);
    expect(parseStoreImport({ type: "FeatureCollection", features: exactly }).ok).toBe(true);
    expect(issues([]).map((i) => i.path)).toEqual(["(body)"]);
  });
});
