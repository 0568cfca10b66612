import { describe, expect, it } from "vitest";
import {
  buildOffer,
  type Offer,
  offerInputSchema,
  type Store,
  storeInputSchema,
  toDecisionOffer,
} from "../../../shared/domain/catalog/index.ts";
import { buildStore } from "../../../shared/domain/catalog/store-build.ts";
import {
  footprintZone,
  memoizedZoneCover,
  planZones,
  triggerZones,
} from "../../../shared/domain/catalog/zones.ts";
import { compileZone, decodeZone, haversineM } from "../../../shared/domain/geometry/index.ts";
import { DEFAULT_FOOTPRINT_DWELL_SECONDS } from "../../../shared/domain/zone.ts";
import { CHATELET_SQUARE, PARIS, STORE_A, STORE_B, validOffer, validStore } from "./fixtures.ts";

const NOW = "2026-03-01T10:00:00.000Z";
const LOUVRE = { lat: 48.8606, lon: 2.3376 };

function store(storeId: string, location: { lat: number; lon: number }): Store {
  const input = storeInputSchema.parse(
    validStore({ location, footprint: { type: "Circle", center: location, radiusM: 30 } }),
  );
  return buildStore({ merchantId: "m_a", storeId, input, nowIso: NOW });
}

function offer(overrides: Record<string, unknown> = {}, status: "active" | "paused" = "active") {
  return buildOffer({
    merchantId: "m_a",
    offerId: "of_0123456789",
    input: offerInputSchema.parse(validOffer(overrides)),
    nowIso: NOW,
    status,
  });
}

const stores = new Map([
  [STORE_A, store(STORE_A, PARIS)],
  [STORE_B, store(STORE_B, LOUVRE)],
]);

describe("footprint zone", () => {
  it("is the store's footprint with the default visit dwell", () => {
    const s = stores.get(STORE_A) as Store;
    const zone = footprintZone(s);
    expect(zone).toMatchObject({
      zoneId: `fp.${STORE_A}`,
      kind: "footprint",
      merchantId: "m_a",
      storeId: STORE_A,
      dwellSeconds: DEFAULT_FOOTPRINT_DWELL_SECONDS,
    });
    expect(zone.offerId).toBeUndefined();
    expect(zone.characteristicRadiusM).toBeCloseTo(30, 6);
    const g = decodeZone(zone.geometry);
    if (g.type !== "Circle") throw new Error("expected a circle");
    expect(g.center.lat).toBeCloseTo(PARIS.lat, 7);
    expect(g.center.lon).toBeCloseTo(PARIS.lon, 7);
    expect(g.radiusM).toBe(30);
  });
});

describe("trigger zones", () => {
  it("puts a StoreRadius circle around each listed store", () => {
    const zones = triggerZones(offer(), stores);
    expect(zones.map((z) => z.zoneId)).toEqual([
      `tz.of_0123456789.${STORE_A}`,
      `tz.of_0123456789.${STORE_B}`,
    ]);
    for (const z of zones) {
      const g = decodeZone(z.geometry);
      const at = (stores.get(z.storeId) as Store).location;
      if (g.type !== "Circle") throw new Error("expected a circle");
      expect(haversineM(g.center.lat, g.center.lon, at.lat, at.lon)).toBeLessThan(0.05);
      expect(g.radiusM).toBe(300);
      expect(z).toMatchObject({ kind: "trigger", offerId: "of_0123456789", dwellSeconds: 120 });
    }
  });

  it("uses an explicit geometry as is for every listed store", () => {
    const zones = triggerZones(offer({ triggerZone: CHATELET_SQUARE }), stores);
    expect(zones).toHaveLength(2);
    expect(zones[0]?.geometry).toBe(zones[1]?.geometry);
    const zone = compileZone(decodeZone(zones[0]?.geometry ?? ""));
    expect(zone.contains(48.85845, 2.34695)).toBe(true);
    expect(zone.contains(LOUVRE.lat, LOUVRE.lon)).toBe(false);
  });

  it("carries the offer's dwell time and has no zones while paused", () => {
    const dwell = triggerZones(offer({ trigger: { on: "dwell", dwellSeconds: 300 } }), stores);
    expect(dwell.every((z) => z.dwellSeconds === 300)).toBe(true);
    expect(triggerZones(offer({}, "paused"), stores)).toEqual([]);
  });

  it("needs every listed store", () => {
    expect(() => triggerZones(offer(), new Map([[STORE_A, stores.get(STORE_A) as Store]]))).toThrow(
      STORE_B,
    );
  });
});

describe("zone plans", () => {
  it("puts new and changed zones, removes vanished ones, leaves unchanged ones alone", () => {
    const before = triggerZones(offer(), stores);
    const moved = new Map(stores);
    moved.set(STORE_B, store(STORE_B, { lat: 48.87, lon: 2.33 }));
    const after = triggerZones(offer({ storeIds: [STORE_B] }), moved);
    const plan = planZones(before, after);
    expect(plan.put.map((z) => z.zoneId)).toEqual([`tz.of_0123456789.${STORE_B}`]);
    expect(plan.remove).toEqual([`tz.of_0123456789.${STORE_A}`]);
    expect(planZones(before, before)).toEqual({ put: [], remove: [] });
    expect(planZones([], before).put).toHaveLength(2);
    expect(planZones(before, []).remove).toHaveLength(2);
  });
});

describe("memoised cover", () => {
  it("covers the zone (every sampled point inside maps to a cover cell) and caches it", () => {
    const cover = memoizedZoneCover(2);
    const zone = footprintZone(stores.get(STORE_A) as Store);
    const cells = cover(zone);
    expect(cells.length).toBeGreaterThan(0);
    expect(cover(zone)).toBe(cells);
    cover(footprintZone(stores.get(STORE_B) as Store));
    cover(triggerZones(offer(), stores)[0] as never);
    expect(cover(zone)).not.toBe(cells); // evicted, recomputed
    expect(cover(zone)).toEqual(cells);
  });
});

describe("decision projection", () => {
  it("hands the decision the offer's rules for one store", () => {
    const o: Offer = offer({ priority: 7, segments: ["vip"], budget: { maxIncentives: 10 } });
    const d = toDecisionOffer(o, STORE_B);
    expect(d).toMatchObject({
      offerId: o.offerId,
      storeId: STORE_B,
      status: "active",
      holdoutPercent: 20,
      triggerRadiusM: 300,
      priority: 7,
      segments: ["vip"],
      budget: { maxIncentives: 10 },
      trigger: { on: "enter" },
    });
    const explicit = offer({ triggerZone: { type: "Circle", center: PARIS, radiusM: 800 } });
    expect(toDecisionOffer(explicit, STORE_A).triggerRadiusM).toBeCloseTo(800, 6);
    expect(haversineM(PARIS.lat, PARIS.lon, LOUVRE.lat, LOUVRE.lon)).toBeGreaterThan(300);
  });
});
