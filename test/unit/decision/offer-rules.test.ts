import { describe, expect, it } from "vitest";
import {
  holdoutPercentSchema,
  quietHoursSchema,
  weeklyScheduleSchema,
} from "../../../shared/domain/decision/offer-rules.ts";

/** Slash-separated paths of the issues, as the API reports them. */
function issuePaths(input: unknown): string[] {
  const r = weeklyScheduleSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.map(String).join("/"));
}

describe("weeklyScheduleSchema", () => {
  it("accepts plain, wrapping and 24:00-ending windows", () => {
    const schedule = [
      { days: ["mon", "tue"], start: "09:00", end: "17:30" },
      { days: ["fri"], start: "22:00", end: "02:00" },
      { days: ["sun"], start: "00:00", end: "24:00" },
    ];
    expect(weeklyScheduleSchema.parse(schedule)).toEqual(schedule);
  });

  it("names the offending field for malformed times", () => {
    expect(issuePaths([{ days: ["mon"], start: "24:00", end: "02:00" }])).toEqual(["0/start"]);
    expect(issuePaths([{ days: ["mon"], start: "9:00", end: "17:00" }])).toEqual(["0/start"]);
    expect(issuePaths([{ days: ["mon"], start: "09:00", end: "25:00" }])).toEqual(["0/end"]);
    expect(issuePaths([{ days: ["mon"], start: "09:00", end: "12:60" }])).toEqual(["0/end"]);
  });

  it("rejects equal start and end as ambiguous", () => {
    expect(issuePaths([{ days: ["mon"], start: "09:00", end: "09:00" }])).toEqual(["0/end"]);
  });

  it("rejects unknown, repeated or missing days", () => {
    expect(issuePaths([{ days: ["monday"], start: "09:00", end: "10:00" }])).toEqual(["0/days/0"]);
    expect(issuePaths([{ days: ["mon", "mon"], start: "09:00", end: "10:00" }])).toEqual([
      "0/days",
    ]);
    expect(issuePaths([{ days: [], start: "09:00", end: "10:00" }])).toEqual(["0/days"]);
  });

  it("rejects an empty schedule and unknown keys", () => {
    expect(issuePaths([])).toEqual([""]);
    expect(issuePaths([{ days: ["mon"], start: "09:00", end: "10:00", tz: "UTC" }])).toEqual(["0"]);
  });
});

describe("quietHoursSchema and holdoutPercentSchema", () => {
  it("validates quiet hours and the 0–50 holdout range", () => {
    expect(quietHoursSchema.safeParse({ start: "21:00", end: "08:00" }).success).toBe(true);
    expect(quietHoursSchema.safeParse({ start: "21:00", end: "8" }).success).toBe(false);
    expect(holdoutPercentSchema.safeParse(12.5).success).toBe(true);
    expect(holdoutPercentSchema.safeParse(50).success).toBe(true);
    expect(holdoutPercentSchema.safeParse(50.01).success).toBe(false);
    expect(holdoutPercentSchema.safeParse(-1).success).toBe(false);
  });
});
