import { describe, expect, it } from "vitest";
import {
  accuracyLimitM,
  advanceVisits,
  checkJump,
  DEFAULT_VISIT_RULES,
  dwellSecondsFor,
  emptyVisitState,
  impliedSpeedMps,
  minimumSpeedMps,
  resolveVisitRules,
  visitTtlSeconds,
} from "../../../shared/domain/visit/index.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { validationPaths } from "../../support/validation.ts";
import { circle, observe, offset, pingAt, STORE, T0 } from "./trajectory.ts";

const rules = DEFAULT_VISIT_RULES;

describe("impliedSpeedMps", () => {
  it("divides the great-circle distance by the elapsed time", () => {
    const b = offset(STORE, 0, 1000);
    expect(impliedSpeedMps({ ...STORE, ts: T0 }, { ...b, ts: T0 + 100_000 })).toBeCloseTo(10, 3);
  });

  it("is symmetric in time order", () => {
    const b = offset(STORE, 300, 400);
    const forward = impliedSpeedMps({ ...STORE, ts: T0 }, { ...b, ts: T0 + 50_000 });
    const backward = impliedSpeedMps({ ...b, ts: T0 + 50_000 }, { ...STORE, ts: T0 });
    expect(forward).toBeCloseTo(10, 3);
    expect(backward).toBe(forward);
  });

  it("is 0 for the same place and Infinity for two places at the same instant", () => {
    expect(impliedSpeedMps({ ...STORE, ts: T0 }, { ...STORE, ts: T0 })).toBe(0);
    const b = offset(STORE, 1, 0);
    expect(impliedSpeedMps({ ...STORE, ts: T0 }, { ...b, ts: T0 })).toBe(Number.POSITIVE_INFINITY);
  });

  it("works across the antimeridian", () => {
    const a = { lat: 0, lon: 179.9995, ts: 0 };
    const b = { lat: 0, lon: -179.9995, ts: 10_000 };
    expect(impliedSpeedMps(a, b)).toBeCloseTo(11.1, 1);
  });
});

describe("minimumSpeedMps", () => {
  it("discounts the combined accuracy so jitter never looks like movement", () => {
    const b = offset(STORE, 20, 0);
    const a = { ...STORE, ts: T0, accuracyM: 15 };
    expect(minimumSpeedMps(a, { ...b, ts: T0 + 2_000, accuracyM: 15 })).toBe(0);
    expect(minimumSpeedMps(a, { ...b, ts: T0 + 2_000, accuracyM: 1 })).toBeCloseTo(2.48, 2);
  });
});

describe("checkJump", () => {
  const fix = (east: number, seconds: number) => ({
    ...offset(STORE, east, 0),
    ts: T0 + seconds * 1000,
    accuracyM: 10,
  });

  it("accepts anything without a previous fix", () => {
    expect(checkJump(undefined, undefined, fix(0, 0), rules).verdict).toBe("ok");
  });

  it("flags a speed above teleportSpeedKmh and accepts one just below", () => {
    // 300 km/h = 83.3 m/s; plus the 14.1 m of combined accuracy allowance.
    expect(checkJump(fix(0, 0), undefined, fix(14.2 + 840, 10), rules).verdict).toBe("jumped");
    expect(checkJump(fix(0, 0), undefined, fix(14.2 + 820, 10), rules).verdict).toBe("ok");
  });

  it("confirms a relocation only from a consistent jump candidate", () => {
    const last = fix(0, 0);
    const candidate = fix(100_000, 60);
    expect(checkJump(last, candidate, fix(100_050, 120), rules).verdict).toBe("relocated");
    expect(checkJump(last, candidate, fix(-100_000, 120), rules).verdict).toBe("jumped");
  });
});

describe("zone thresholds", () => {
  it("lets large zones tolerate their own radius of error", () => {
    const small = circle("S", "footprint", STORE, 20).ref;
    const big = circle("B", "trigger", STORE, 400).ref;
    expect(accuracyLimitM(small, rules)).toBe(50);
    expect(accuracyLimitM(big, rules)).toBe(400);
  });

  it("uses the footprint default dwell only when the zone sets none", () => {
    expect(dwellSecondsFor(circle("F", "footprint", STORE, 30).ref, rules)).toBe(120);
    expect(dwellSecondsFor(circle("T", "trigger", STORE, 30).ref, rules)).toBe(0);
    const own = circle("F", "footprint", STORE, 30, { dwellSeconds: 45 }).ref;
    expect(dwellSecondsFor(own, rules)).toBe(45);
  });
});

describe("resolveVisitRules", () => {
  it("returns the defaults with overrides applied", () => {
    expect(resolveVisitRules()).toEqual(DEFAULT_VISIT_RULES);
    expect(resolveVisitRules({ hysteresisM: 10 }).hysteresisM).toBe(10);
  });

  it("refuses a state lifetime over 30 days, naming the field", () => {
    const paths = validationPaths(() =>
      resolveVisitRules({ maxStateAgeDays: 31, minDwellPings: 0 }),
    );
    expect(paths).toContain("maxStateAgeDays");
    expect(paths).toContain("minDwellPings");
  });

  it("refuses unknown keys", () => {
    expect(() => resolveVisitRules({ hysteresis: 3 } as never)).toThrow(ValidationError);
  });
});

describe("ping validation", () => {
  it("throws one ValidationError naming every bad field", () => {
    const F = circle("F", "footprint", STORE, 30);
    const good = pingAt(0, 0, 0);
    const batch = observe(
      [F],
      [
        good,
        { ...good, lat: Number.NaN, timestamp: 1.5 },
        { ...good, lon: 181, accuracyM: Number.POSITIVE_INFINITY, id: "" },
      ],
    );
    expect(validationPaths(() => advanceVisits(undefined, batch, rules))).toEqual([
      "pings/1/lat",
      "pings/1/timestamp",
      "pings/2/lon",
      "pings/2/accuracyM",
      "pings/2/id",
    ]);
  });
});

describe("visitTtlSeconds", () => {
  it("counts maxStateAgeDays from the oldest stored fix", () => {
    const state = {
      ...emptyVisitState(),
      lastProcessedTs: T0 + 5_000_000,
      lastFix: { ...STORE, ts: T0 + 4_000_000, accuracyM: 10 },
      jumpCandidate: { ...STORE, ts: T0 + 5_000_000, accuracyM: 10 },
    };
    expect(visitTtlSeconds(state, rules)).toBe((T0 + 4_000_000) / 1000 + 30 * 86_400);
  });

  it("falls back to the latest ping, and to 0 for an empty state", () => {
    const state = { ...emptyVisitState(), lastProcessedTs: T0 };
    expect(visitTtlSeconds(state, { ...rules, maxStateAgeDays: 7 })).toBe(T0 / 1000 + 7 * 86_400);
    expect(visitTtlSeconds(emptyVisitState(), rules)).toBe(0);
  });

  it("never keeps a fix longer than maxStateAgeDays after it was taken", () => {
    const F = circle("F", "footprint", STORE, 30);
    const { state } = advanceVisits(undefined, observe([F], [pingAt(0, 0, 0)]), rules);
    expect(visitTtlSeconds(state, rules) * 1000 - state.lastFix!.ts).toBeLessThanOrEqual(
      30 * 86_400_000,
    );
  });
});
