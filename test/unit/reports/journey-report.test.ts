import { describe, expect, it } from "vitest";
import { JOURNEY_FIELDS } from "../../../shared/domain/journey/log.ts";
import type { DayRange } from "../../../shared/domain/reports/day-range.ts";
import {
  buildJourneyReport,
  histogramMedian,
  type JourneyRow,
  journeyFieldsOf,
  journeySection,
  offerJourneySection,
} from "../../../shared/domain/reports/journey-report.ts";
import { twoProportionLift } from "../../../shared/domain/stats/lift.ts";

/** The merchant-wide journey report (every store, no offer) over `range`, read on `today`. */
function merchantWide(rows: readonly JourneyRow[], range: DayRange, today: string) {
  return buildJourneyReport({ range, today, storeId: null, rows, offer: null });
}

describe("journey report", () => {
  it("takes the median of a histogram without expanding it", () => {
    expect(histogramMedian([])).toBeNull();
    expect(histogramMedian([0, 0, 0])).toBeNull();
    expect(histogramMedian([0, 1])).toBe(1);
    expect(histogramMedian([0, 1, 0, 1])).toBe(2); // 1 and 3
    expect(histogramMedian([0, 2, 0, 0, 1])).toBe(1); // 1 1 4
    expect(histogramMedian([0, 0, 5_000_000, 5_000_001])).toBe(3);
  });

  it("reads only journey attributes, dropping zeros and malformed values", () => {
    expect(
      journeyFieldsOf({ jVisitDays: 3, jLapsed: -1, jAs_new: 0, visits: 9, journey: 4, jX: "a" }),
    ).toEqual({ jVisitDays: 3, jLapsed: -1 });
  });

  it("counts lapses only on days that have begun", () => {
    const rows = [
      { storeId: "s", localDay: "2026-05-01", journey: { [JOURNEY_FIELDS.lapsed]: 2 } },
      { storeId: "s", localDay: "2026-05-02", journey: { [JOURNEY_FIELDS.lapsed]: 1 } },
      { storeId: "s", localDay: "2026-05-03", journey: { [JOURNEY_FIELDS.lapsed]: 4 } },
    ];
    expect(journeySection(rows, "2026-05-02").lapsed).toBe(3);
    expect(journeySection(rows, "2026-05-02").entered.lapsed).toBe(3);
    expect(journeySection(rows, "2026-04-30").lapsed).toBe(0);
  });

  it("gives every day of the range with its entrants per stage; the days add up to the period", () => {
    const rows = [
      {
        storeId: "a",
        localDay: "2026-05-01",
        journey: {
          [JOURNEY_FIELDS.visitDays]: 4,
          [JOURNEY_FIELDS.repeatDays]: 1,
          [JOURNEY_FIELDS.into("new")]: 3,
          [JOURNEY_FIELDS.into("returning")]: 1,
        },
      },
      {
        storeId: "b",
        localDay: "2026-05-01",
        journey: { [JOURNEY_FIELDS.visitDays]: 2, [JOURNEY_FIELDS.into("new")]: 2 },
      },
      {
        storeId: "a",
        localDay: "2026-05-03",
        journey: { [JOURNEY_FIELDS.into("regular")]: 1, [JOURNEY_FIELDS.lapsed]: 2 },
      },
      { storeId: "a", localDay: "2026-05-04", journey: { [JOURNEY_FIELDS.lapsed]: 5 } },
    ];
    const report = merchantWide(rows, { from: "2026-05-01", to: "2026-05-04" }, "2026-05-03");
    expect(report.days.map((d) => d.day)).toEqual([
      "2026-05-01",
      "2026-05-02",
      "2026-05-03",
      "2026-05-04",
    ]);
    expect(report.days[0]).toEqual({
      day: "2026-05-01",
      visits: 6,
      repeatVisits: 1,
      entered: { new: 5, returning: 1, regular: 0, lapsed: 0 },
    });
    expect(report.days[1]?.entered).toEqual({ new: 0, returning: 0, regular: 0, lapsed: 0 });
    // The lapses of 4 May have not happened yet (today is 3 May).
    expect(report.days[3]?.entered.lapsed).toBe(0);
    for (const stage of ["new", "returning", "regular", "lapsed"] as const) {
      expect(report.days.reduce((n, d) => n + d.entered[stage], 0)).toBe(
        report.journey.entered[stage],
      );
    }
    expect(report.days.reduce((n, d) => n + d.visits, 0)).toBe(report.journey.visits);
  });

  it("gives repeat rates with the shared lift statistics, and no NaN on empty groups", () => {
    const counts = {
      sent: 200,
      heldOut: 100,
      attributedTreated: 80,
      attributedHoldout: 25,
      journey: {
        [JOURNEY_FIELDS.firstTreated]: 50,
        [JOURNEY_FIELDS.firstHoldout]: 20,
        [JOURNEY_FIELDS.repeatInWindowTreated]: 40,
        [JOURNEY_FIELDS.repeatInWindowHoldout]: 10,
      },
    };
    const s = offerJourneySection(counts);
    expect(s.attributedVisits).toEqual({
      treated: { first: 50, returning: 30 },
      holdout: { first: 20, returning: 5 },
    });
    expect(s.repeatWithinWindow.lift).toEqual(
      twoProportionLift({ treated: { n: 200, visits: 40 }, holdout: { n: 100, visits: 10 } }),
    );
    expect(s.repeatAfterWindow.lift.absoluteLift).toBe(0);
    const empty = offerJourneySection({
      sent: 0,
      heldOut: 0,
      attributedTreated: 0,
      attributedHoldout: 0,
      journey: {},
    });
    expect(JSON.stringify(empty)).not.toMatch(/NaN|Infinity/);
    expect(empty.repeatWithinWindow.lift.treatedRate).toBeNull();
  });

  it("splits a merchant's report by store, and the stores add up to it", () => {
    const rows = [
      { storeId: "b", localDay: "2026-05-01", journey: { jVisitDays: 2, jRepeatDays: 1 } },
      { storeId: "a", localDay: "2026-05-01", journey: { jVisitDays: 3, jRepeatDays: 0 } },
      { storeId: "a", localDay: "2026-05-02", journey: { jVisitDays: 1, jRepeatDays: 1 } },
    ];
    const r = merchantWide(rows, { from: "2026-05-01", to: "2026-05-02" }, "2026-05-02");
    expect(r.stores.map((s) => [s.storeId, s.journey.visits])).toEqual([
      ["a", 4],
      ["b", 2],
    ]);
    expect(r.journey.visits).toBe(6);
    expect(r.journey.repeatVisitRate).toBeCloseTo(2 / 6, 12);
    expect(r.journey.repeatVisitRateCi?.[0]).toBeGreaterThan(0);
  });
});
