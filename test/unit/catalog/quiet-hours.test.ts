import { describe, expect, it } from "vitest";
import {
  effectiveQuietHours,
  merchantSettingsInputSchema,
  PLATFORM_QUIET_HOURS,
  scheduleInsideQuietHours,
} from "../../../shared/domain/catalog/quiet-hours.ts";
import { isQuietHours } from "../../../shared/domain/decision/local-time.ts";

const WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const win = (start: string, end: string) => [{ days: [...WEEK], start, end }];
const night = { start: "21:00", end: "08:00" };

describe("quiet hours: which apply, and whether a schedule can ever fire", () => {
  it("offer override > merchant default > platform; none = no quiet hours", () => {
    const merchant = { merchantId: "m", quietHours: { start: "22:00", end: "07:00" }, version: 1 };
    expect(effectiveQuietHours(undefined, undefined)).toEqual({
      span: PLATFORM_QUIET_HOURS,
      source: "platform",
    });
    expect(effectiveQuietHours(undefined, { ...merchant, version: 0 }).source).toBe("platform");
    expect(effectiveQuietHours(undefined, merchant)).toEqual({
      span: { start: "22:00", end: "07:00" },
      source: "merchant",
    });
    expect(effectiveQuietHours("none", merchant)).toEqual({ span: null, source: "offer" });
    expect(effectiveQuietHours(undefined, { ...merchant, quietHours: "none" }).span).toBeNull();
  });

  it("a schedule is inside quiet hours only when every minute of every window is", () => {
    expect(scheduleInsideQuietHours(win("07:00", "08:00"), night)).toBe(true);
    expect(scheduleInsideQuietHours(win("07:00", "08:01"), night)).toBe(false);
    expect(scheduleInsideQuietHours(win("22:00", "02:00"), night)).toBe(true); // wraps midnight
    expect(scheduleInsideQuietHours(win("20:59", "23:00"), night)).toBe(false);
    expect(
      scheduleInsideQuietHours([...win("07:00", "08:00"), ...win("12:00", "13:00")], night),
    ).toBe(false);
    expect(scheduleInsideQuietHours(undefined, night)).toBe(false);
    expect(scheduleInsideQuietHours(undefined, { start: "00:00", end: "24:00" })).toBe(true);
    expect(scheduleInsideQuietHours(win("07:00", "08:00"), null)).toBe(false);
  });

  it("quiet hours follow the device's wall clock across DST (Paris, 29 Mar 2026)", () => {
    const q = { start: "22:00", end: "07:00" };
    // 07:05 CET = 06:05Z on 28 Mar; 07:05 CEST = 05:05Z on 30 Mar: both outside.
    expect(isQuietHours(q, "Europe/Paris", Date.parse("2026-03-28T06:05:00Z"))).toBe(false);
    expect(isQuietHours(q, "Europe/Paris", Date.parse("2026-03-30T05:05:00Z"))).toBe(false);
    expect(isQuietHours(q, "Europe/Paris", Date.parse("2026-03-30T04:55:00Z"))).toBe(true); // 06:55
    expect(isQuietHours(night, "Europe/Paris", Date.parse("2026-11-30T06:05:00Z"))).toBe(true); // 07:05 CET
  });

  it("settings accept a span or none, and name a bad field", () => {
    expect(merchantSettingsInputSchema.safeParse({ quietHours: "none" }).success).toBe(true);
    expect(merchantSettingsInputSchema.safeParse({ quietHours: night }).success).toBe(true);
    const bad = merchantSettingsInputSchema.safeParse({
      quietHours: { start: "7:00", end: "08:00" },
    });
    expect(bad.error?.issues.map((i) => i.path.join("/"))).toEqual(["quietHours/start"]);
    expect(merchantSettingsInputSchema.safeParse({ quietHours: "never" }).success).toBe(false);
  });
});
