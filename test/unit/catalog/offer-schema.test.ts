import { describe, expect, it } from "vitest";
import { offerInputSchema } from "../../../shared/domain/catalog/index.ts";
import { parseWith } from "../../../shared/http/parse.ts";
import { rejectedPaths } from "../../support/validation.ts";
import {
  CHATELET_SQUARE,
  PARIS,
  STORE_A,
  STORE_B,
  STORE_C,
  UNCLOSED_RING,
  validOffer,
} from "./fixtures.ts";

/** The JSON paths an offer body is rejected with, as the API reports them. */
const paths = (body: unknown) => rejectedPaths(offerInputSchema, body);

describe("offer input", () => {
  it("accepts a valid offer and fills defaults", () => {
    const parsed = parseWith(offerInputSchema, validOffer());
    expect(parsed.priority).toBe(0);
    expect(parsed.caps).toEqual({});
  });

  it("a pickup_arrived offer has no trigger zone; geofence offers need one", () => {
    const pickup = (over: Record<string, unknown> = {}) => {
      const { triggerZone: _zone, ...rest } = validOffer({
        trigger: { on: "pickup_arrived" },
        ...over,
      });
      return rest;
    };
    expect(paths(pickup())).toEqual([]);
    expect(parseWith(offerInputSchema, pickup()).triggerZone).toBeUndefined();
    expect(paths({ ...pickup(), triggerZone: { type: "StoreRadius", radiusM: 300 } })).toEqual([
      "triggerZone",
    ]);
    expect(paths(pickup({ trigger: { on: "pickup_arrived", dwellSeconds: 60 } }))).toEqual([
      "trigger/dwellSeconds",
    ]);
    const { triggerZone: _zone, ...noZone } = validOffer();
    expect(paths(noZone)).toEqual(["triggerZone"]);
    expect(paths(validOffer({ trigger: { on: "arrive" } }))).toEqual(["trigger/on"]);
  });

  it("requires validFrom before validTo, each an ISO instant with an offset or a date", () => {
    expect(paths(validOffer({ validTo: "2026-01-01T00:00:00Z" }))).toEqual(["validTo"]);
    expect(paths(validOffer({ validTo: "2025-06-01T00:00:00+02:00" }))).toEqual(["validTo"]);
    expect(paths(validOffer({ validFrom: "2026-01-01" }))).toEqual([]);
    expect(paths(validOffer({ validFrom: "2026-02-30" }))).toEqual(["validFrom"]);
    expect(paths(validOffer({ validFrom: "2026-01-01T00:00:00" }))).toEqual(["validFrom"]);
  });

  it("bounds holdout to 0–50 % and the attribution window to 1–720 h", () => {
    expect(paths(validOffer({ holdoutPercent: 0 }))).toEqual([]);
    expect(paths(validOffer({ holdoutPercent: 50 }))).toEqual([]);
    expect(paths(validOffer({ holdoutPercent: 50.5 }))).toEqual(["holdoutPercent"]);
    expect(paths(validOffer({ holdoutPercent: -1 }))).toEqual(["holdoutPercent"]);
    expect(paths(validOffer({ holdoutPercent: undefined }))).toEqual(["holdoutPercent"]);
    expect(paths(validOffer({ attributionWindowHours: 0 }))).toEqual(["attributionWindowHours"]);
    expect(paths(validOffer({ attributionWindowHours: 721 }))).toEqual(["attributionWindowHours"]);
    expect(paths(validOffer({ attributionWindowHours: 1.5 }))).toEqual(["attributionWindowHours"]);
  });

  it("requires a static code exactly when the code kind is static", () => {
    const redemption = (r: Record<string, unknown>) =>
      validOffer({ redemption: { expiresAfterHours: 24, ...r } });
    expect(paths(redemption({ codeKind: "static" }))).toEqual(["redemption/staticCode"]);
    expect(paths(redemption({ codeKind: "static", staticCode: "SUMMER-24" }))).toEqual([]);
    expect(paths(redemption({ codeKind: "static", staticCode: "no" }))).toEqual([
      "redemption/staticCode",
    ]);
    expect(paths(redemption({ codeKind: "unique", staticCode: "SUMMER-24" }))).toEqual([
      "redemption/staticCode",
    ]);
    expect(paths(redemption({ codeKind: "coupon" }))).toEqual(["redemption/codeKind"]);
    expect(paths(validOffer({ redemption: { codeKind: "unique" } }))).toEqual([
      "redemption/expiresAfterHours",
    ]);
  });

  it("checks store ids: at least one, at most 50, no repeats", () => {
    expect(paths(validOffer({ storeIds: [] }))).toEqual(["storeIds"]);
    expect(paths(validOffer({ storeIds: [STORE_A, STORE_B, STORE_A] }))).toEqual(["storeIds/2"]);
    expect(paths(validOffer({ storeIds: [STORE_A, "nope", STORE_C] }))).toEqual(["storeIds/1"]);
    const many = Array.from({ length: 51 }, (_, i) => `st_store${String(i).padStart(8, "0")}`);
    expect(paths(validOffer({ storeIds: many }))).toEqual(["storeIds"]);
  });

  it("bounds StoreRadius and explicit circles to 50 m – 50 km", () => {
    const zone = (z: Record<string, unknown>) => validOffer({ triggerZone: z });
    expect(paths(zone({ type: "StoreRadius", radiusM: 50 }))).toEqual([]);
    expect(paths(zone({ type: "StoreRadius", radiusM: 50_000 }))).toEqual([]);
    expect(paths(zone({ type: "StoreRadius", radiusM: 49 }))).toEqual(["triggerZone/radiusM"]);
    expect(paths(zone({ type: "StoreRadius", radiusM: 50_001 }))).toEqual(["triggerZone/radiusM"]);
    expect(paths(zone({ type: "Circle", center: PARIS, radiusM: 20 }))).toEqual([
      "triggerZone/radiusM",
    ]);
    expect(paths(zone(CHATELET_SQUARE))).toEqual([]);
    expect(paths(zone({ type: "Mall" }))).toEqual(["triggerZone/type"]);
  });

  it("names explicit polygon errors under triggerZone", () => {
    const triggerZone = { type: "Polygon", coordinates: [UNCLOSED_RING] };
    expect(paths(validOffer({ triggerZone }))).toEqual(["triggerZone/coordinates/0/4"]);
  });

  it("allows dwellSeconds only for dwell triggers, within 30 s – 1 h", () => {
    expect(paths(validOffer({ trigger: { on: "dwell", dwellSeconds: 180 } }))).toEqual([]);
    expect(paths(validOffer({ trigger: { on: "dwell" } }))).toEqual([]);
    expect(paths(validOffer({ trigger: { on: "enter", dwellSeconds: 60 } }))).toEqual([
      "trigger/dwellSeconds",
    ]);
    expect(paths(validOffer({ trigger: { on: "dwell", dwellSeconds: 10 } }))).toEqual([
      "trigger/dwellSeconds",
    ]);
    expect(paths(validOffer({ trigger: { on: "exit" } }))).toEqual(["trigger/on"]);
  });

  it("checks caps, budget, segments, schedule, priority and message", () => {
    expect(paths(validOffer({ caps: { perDevicePerDay: 5, perDeviceTotal: 2 } }))).toEqual([
      "caps/perDevicePerDay",
    ]);
    expect(paths(validOffer({ caps: { cooldownMinutes: -1 } }))).toEqual(["caps/cooldownMinutes"]);
    expect(paths(validOffer({ caps: { perDayy: 1 } }))).toEqual(["caps/perDayy"]);
    expect(paths(validOffer({ budget: { maxIncentives: 0 } }))).toEqual(["budget/maxIncentives"]);
    expect(paths(validOffer({ segments: ["vip", "no spaces"] }))).toEqual(["segments/1"]);
    expect(
      paths(validOffer({ schedule: [{ days: ["mon"], start: "12:00", end: "12:00" }] })),
    ).toEqual(["schedule/0/end"]);
    expect(paths(validOffer({ priority: 1.5 }))).toEqual(["priority"]);
    expect(paths(validOffer({ message: { title: "", body: "b" } }))).toEqual(["message/title"]);
    expect(
      paths(validOffer({ message: { title: "t", body: "b", deepLink: "javascript:alert(1)" } })),
    ).toEqual(["message/deepLink"]);
    expect(
      paths(validOffer({ message: { title: "t", body: "b", deepLink: "myapp://offers/1" } })),
    ).toEqual([]);
  });

  it("names every bad field at once", () => {
    expect(paths(validOffer({ name: "", holdoutPercent: 70, status: "paused" }))).toEqual([
      "holdoutPercent",
      "name",
      "status",
    ]);
  });
});
