import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bayZoneIds,
  bayZones,
  MAX_PICKUP_BAY_OFFSET_M,
  parseStoreImport,
  type StoreInput,
  storeInputSchema,
} from "../../../shared/domain/catalog/index.ts";
import { buildStore } from "../../../shared/domain/catalog/store-build.ts";
import { storeZones } from "../../../shared/domain/catalog/zones.ts";
import { compileZone } from "../../../shared/domain/geometry/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { offsetM } from "../../support/pings.ts";
import { PARIS } from "./fixtures.ts";

const NOW = "2026-03-01T10:00:00.000Z";

function build(body: Record<string, unknown>) {
  const input: StoreInput = storeInputSchema.parse(body);
  return buildStore({ merchantId: "m_a", storeId: "st_0123456789", input, nowIso: NOW });
}

function store(pickupBays: unknown) {
  return {
    name: "Drive-up",
    location: PARIS,
    footprint: { type: "Circle", center: PARIS, radiusM: 30 },
    pickupBays,
  };
}

describe("pickup bays (domain)", () => {
  it("become bay zones numbered in order, after the footprint, never visit zones", () => {
    const s = build(
      store([
        { name: "Bay 1", geometry: { type: "Circle", center: offsetM(PARIS, 35, 0), radiusM: 3 } },
        { geometry: { type: "Circle", center: offsetM(PARIS, -35, 0), radiusM: 3 } },
      ]),
    );
    const zones = storeZones(s);
    expect(zones.map((z) => [z.zoneId, z.kind])).toEqual([
      ["fp.st_0123456789", "footprint"],
      ["bay.st_0123456789.0", "bay"],
      ["bay.st_0123456789.1", "bay"],
    ]);
    expect(bayZoneIds(s)).toEqual(bayZones(s).map((z) => z.zoneId));
    expect(build(store(undefined)).pickupBays).toBeUndefined();
    expect(build(store([])).pickupBays).toBeUndefined();
  });

  it("accepts a bay exactly when its nearest edge lies within the offset limit", () => {
    // 30 m footprint, 4 m bay: the gap is distance − 34 m.
    fc.assert(
      fc.property(
        fc.double({ min: 40, max: 600, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (d, angle) => {
          const center = offsetM(PARIS, d * Math.cos(angle), d * Math.sin(angle));
          const gap = compileZone({ type: "Circle", center: PARIS, radiusM: 30 }).distanceM(
            center.lat,
            center.lon,
          );
          fc.pre(Math.abs(gap - 4 - MAX_PICKUP_BAY_OFFSET_M) > 0.5);
          const ok = gap - 4 <= MAX_PICKUP_BAY_OFFSET_M;
          const attempt = () =>
            build(store([{ geometry: { type: "Circle", center, radiusM: 4 } }]));
          if (ok) expect(attempt().pickupBays).toHaveLength(1);
          else expect(attempt).toThrow(ValidationError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("import: GeoJSON properties carry pickupBays; a bad bay names its path in the body", () => {
    const feature = (pickupBays: unknown) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates: [PARIS.lon, PARIS.lat] },
      properties: { name: "A", pickupBays },
    });
    const bay = { geometry: { type: "Circle", center: offsetM(PARIS, 35, 0), radiusM: 3 } };
    const ok = parseStoreImport({ type: "FeatureCollection", features: [feature([bay])] });
    expect(ok.ok && ok.stores[0]?.pickupBays).toEqual([bay]);
    const bad = parseStoreImport({
      type: "FeatureCollection",
      features: [feature([{ geometry: { ...bay.geometry, radiusM: 500 } }])],
    });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual([
      "features/0/properties/pickupBays/0/geometry/radiusM",
    ]);
  });
});
