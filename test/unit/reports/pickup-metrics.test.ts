import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildPickupReport,
  type FinishedPickup,
  localDay,
  pickupMetrics,
  rangeInstants,
} from "../../../shared/domain/reports/pickup-metrics.ts";

const PROMISED = Date.parse("2026-05-04T10:00:00Z");
const min = (n: number) => n * 60_000;

function pickup(overrides: Partial<FinishedPickup>): FinishedPickup {
  return { promisedAt: PROMISED, times: { created: PROMISED - min(30) }, ...overrides };
}

describe("pickup metrics", () => {
  it("wait time, estimate error, on-time and ready-on-arrival from state timestamps", () => {
    const m = pickupMetrics([
      // Arrived 2 min early (predicted 1 min earlier still), ready before, completed after 4 min.
      pickup({
        terminal: "completed",
        endedBy: "staff",
        arrivalSource: "location",
        nearbyEstimateAt: PROMISED - min(3),
        times: {
          arrived: PROMISED - min(2),
          ready: PROMISED - min(5),
          completed: PROMISED + min(2),
        },
      }),
      // Arrived 6 min late (predicted 5 late), waited 10 min for the order.
      pickup({
        terminal: "completed",
        endedBy: "staff",
        arrivalSource: "location",
        nearbyEstimateAt: PROMISED + min(5),
        times: {
          arrived: PROMISED + min(6),
          ready: PROMISED + min(12),
          completed: PROMISED + min(16),
        },
      }),
      // Manual arrival on time; completed by the timeout: no wait measured, no estimate error.
      pickup({
        terminal: "completed",
        endedBy: "timeout",
        arrivalSource: "manual",
        nearbyEstimateAt: PROMISED - min(1),
        times: { arrived: PROMISED, completed: PROMISED + min(180) },
      }),
      pickup({ terminal: "cancelled", endedBy: "staff", times: { cancelled: PROMISED } }),
      pickup({ terminal: "no_show", endedBy: "timeout", times: { no_show: PROMISED + min(120) } }),
      // Still active: not counted.
      pickup({ times: { arrived: PROMISED } }),
    ]);
    expect(m).toMatchObject({
      pickups: 5,
      completed: 3,
      autoCompleted: 1,
      cancelled: 1,
      noShow: 1,
      arrived: 3,
      manualArrivals: 1,
      waitTime: { count: 2, meanSeconds: 420, medianSeconds: 420, p90Seconds: 564 },
      estimateError: {
        count: 2,
        meanSeconds: 60,
        medianAbsoluteSeconds: 60,
        p90AbsoluteSeconds: 60,
      },
      onTime: { of: 3, count: 2, share: 2 / 3 },
      readyOnArrival: { of: 3, count: 1, share: 1 / 3 },
    });
  });

  it("is all nulls and zeros without pickups, never NaN", () => {
    const m = pickupMetrics([]);
    expect(m.waitTime).toEqual({
      count: 0,
      meanSeconds: null,
      medianSeconds: null,
      p90Seconds: null,
    });
    expect(m.onTime.share).toBeNull();
    expect(JSON.stringify(m)).not.toContain("NaN");
  });

  it("buckets by the store-local day of the promised time; other days are left out", () => {
    // 23:30 UTC on 3 May is 01:30 on 4 May in Paris (UTC+2).
    const late = Date.parse("2026-05-03T23:30:00Z");
    expect(localDay(late, "Europe/Paris")).toBe("2026-05-04");
    const report = buildPickupReport({
      storeId: "st_a",
      store: { name: "A", storeCode: "A-1" },
      timeZone: "Europe/Paris",
      range: { from: "2026-05-04", to: "2026-05-05" },
      includeEmpty: true,
      pickups: [
        pickup({ promisedAt: late, terminal: "cancelled", times: { cancelled: late } }),
        pickup({
          promisedAt: Date.parse("2026-05-03T21:00:00Z"),
          terminal: "cancelled",
          times: {},
        }),
      ],
    });
    expect(report.rows.map((r) => [r.day, r.pickups])).toEqual([
      ["2026-05-04", 1],
      ["2026-05-05", 0],
    ]);
    expect(report.totals.pickups).toBe(1);
    const { fromMs, toMs } = rangeInstants(
      { from: "2026-05-04", to: "2026-05-05" },
      "Europe/Paris",
    );
    expect(new Date(fromMs).toISOString()).toBe("2026-05-03T22:00:00.000Z");
    expect(new Date(toMs).toISOString()).toBe("2026-05-05T22:00:00.000Z");
  });

  it("counts add up and shares stay in [0, 1] for any ended pickups", () => {
    const arb = fc.record({
      terminal: fc.constantFrom("completed", "cancelled", "no_show") as fc.Arbitrary<
        FinishedPickup["terminal"]
      >,
      endedBy: fc.constantFrom("staff", "timeout") as fc.Arbitrary<FinishedPickup["endedBy"]>,
      arrivedAfter: fc.option(fc.integer({ min: -7200, max: 7200 }), { nil: undefined }),
      manual: fc.boolean(),
      estimateOff: fc.option(fc.integer({ min: -900, max: 900 }), { nil: undefined }),
      wait: fc.integer({ min: 0, max: 10_800 }),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 40 }), (specs) => {
        const list = specs.map((s) => {
          const arrived =
            s.arrivedAfter === undefined ? undefined : PROMISED + s.arrivedAfter * 1000;
          return pickup({
            terminal: s.terminal,
            endedBy: s.endedBy,
            ...(arrived !== undefined ? { arrivalSource: s.manual ? "manual" : "location" } : {}),
            ...(arrived !== undefined && s.estimateOff !== undefined
              ? { nearbyEstimateAt: arrived - s.estimateOff * 1000 }
              : {}),
            times: {
              ...(arrived !== undefined ? { arrived } : {}),
              ...(s.terminal === "completed" && arrived !== undefined
                ? { completed: arrived + s.wait * 1000 }
                : {}),
            },
          });
        });
        const m = pickupMetrics(list);
        expect(m.completed + m.cancelled + m.noShow).toBe(m.pickups);
        expect(m.pickups).toBe(list.length);
        expect(m.onTime.count).toBeLessThanOrEqual(m.arrived);
        for (const s of [m.onTime.share, m.readyOnArrival.share]) {
          if (s !== null) expect(s >= 0 && s <= 1).toBe(true);
        }
        expect(m.waitTime.count).toBeLessThanOrEqual(m.completed - m.autoCompleted);
        if (m.waitTime.medianSeconds !== null && m.waitTime.p90Seconds !== null) {
          expect(m.waitTime.medianSeconds).toBeLessThanOrEqual(m.waitTime.p90Seconds);
        }
        expect(m.estimateError.count).toBeLessThanOrEqual(m.arrived - m.manualArrivals);
        if (m.estimateError.meanSeconds !== null) {
          expect(Math.abs(m.estimateError.meanSeconds)).toBeLessThanOrEqual(900);
        }
      }),
    );
  });
});
