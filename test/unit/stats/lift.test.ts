import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  median,
  normalCdf,
  normalQuantile,
  rate,
  twoProportionLift,
} from "../../../shared/domain/stats/lift.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { validationPaths } from "../../support/validation.ts";

const Z95 = 1.959963984540054; // Φ⁻¹(0.975)

describe("normal distribution helpers", () => {
  it("quantiles match textbook values to 1e-6", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 6);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.025)).toBeCloseTo(-Z95, 6);
  });

  it("CDF matches textbook values to 1e-7", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
  });

  it("rejects p outside (0, 1)", () => {
    for (const p of [0, 1, -0.1, Number.NaN])
      expect(() => normalQuantile(p)).toThrow(ValidationError);
  });
});

/** Inputs and their hand-computed results at 95 %: rates and lifts exact, intervals and test to 1e-6. */
type Pair = [number, number];
const HAND_COMPUTED: {
  name: string;
  input: Parameters<typeof twoProportionLift>[0];
  rates: Pair;
  absoluteLift: number;
  absoluteCi: Pair;
  relativeLift: number;
  relativeCi: Pair;
  zScore: number;
  pValue: number;
}[] = [
  {
    name: "treated 120/1000 vs holdout 80/1000 at 95 %",
    input: { treated: { n: 1000, visits: 120 }, holdout: { n: 1000, visits: 80 } },
    // Rates 0.12 and 0.08; absolute lift 0.04.
    rates: [0.12, 0.08],
    absoluteLift: 0.04,
    // Unpooled SE = sqrt(.12·.88/1000 + .08·.92/1000) = sqrt(1.792e-4) = 0.0133865604…
    // CI = 0.04 ± 1.959964 × 0.0133865604 = 0.04 ± 0.0262372 = [0.0137628, 0.0662372].
    absoluteCi: [0.0137628237, 0.0662371763],
    // RR = 0.12/0.08 = 1.5 ⇒ relative lift 0.5.
    // Katz: SE(ln RR) = sqrt(1/120 − 1/1000 + 1/80 − 1/1000) = sqrt(0.0188333…) = 0.1372346;
    // CI = exp(ln 1.5 ± 1.959964 × 0.1372346) − 1 = [0.1462437, 0.9629334].
    relativeLift: 0.5,
    relativeCi: [0.1462437015, 0.9629333597],
    // Pooled p = 200/2000 = 0.1; SE = sqrt(.1·.9·(1/1000 + 1/1000)) = sqrt(1.8e-4) = 0.0134164;
    // z = 0.04 / 0.0134164 = 2.9814240; two-sided p = erfc(2.981424/√2) = 0.0028691.
    zScore: 2.98142397,
    pValue: 0.00286911,
  },
  {
    name: "unequal groups: treated 30/200 vs holdout 20/250",
    input: { treated: { n: 200, visits: 30 }, holdout: { n: 250, visits: 20 } },
    rates: [0.15, 0.08],
    // p1 = .15, p0 = .08, d = .07; SE = sqrt(.15·.85/200 + .08·.92/250) = sqrt(6.375e-4 + 2.944e-4)
    // = 0.0305270; CI = .07 ± 1.959964 × 0.0305270 = [0.0101681, 0.1298319].
    absoluteLift: 0.07,
    absoluteCi: [0.0101681065, 0.1298318935],
    // RR = .15/.08 = 1.875; SE(ln RR) = sqrt(1/30 − 1/200 + 1/20 − 1/250) = 0.2726414;
    // CI = exp(ln 1.875 ± 1.959964 × 0.2726414) − 1 = [0.0988249, 2.1994406].
    relativeLift: 0.875,
    relativeCi: [0.0988248972, 2.1994406106],
    // Pooled p = 50/450 = 0.1111…; SE = sqrt(p(1−p)(1/200 + 1/250)) = 0.0298142; z = 2.3478714,
    // p = 0.0188810.
    zScore: 2.3478713764,
    pValue: 0.0188810402,
  },
];

describe("twoProportionLift: hand-computed values", () => {
  it.each(HAND_COMPUTED)("$name", (c) => {
    const r = twoProportionLift(c.input);
    expect(r.treatedRate).toBeCloseTo(c.rates[0], 12);
    expect(r.holdoutRate).toBeCloseTo(c.rates[1], 12);
    expect(r.absoluteLift).toBeCloseTo(c.absoluteLift, 12);
    expect(r.absoluteCi?.[0]).toBeCloseTo(c.absoluteCi[0], 6);
    expect(r.absoluteCi?.[1]).toBeCloseTo(c.absoluteCi[1], 6);
    expect(r.relativeLift).toBeCloseTo(c.relativeLift, 12);
    expect(r.relativeCi?.[0]).toBeCloseTo(c.relativeCi[0], 6);
    expect(r.relativeCi?.[1]).toBeCloseTo(c.relativeCi[1], 6);
    expect(r.zScore).toBeCloseTo(c.zScore, 6);
    expect(r.pValue).toBeCloseTo(c.pValue, 6);
    expect(r.note).toBeNull();
    expect(r.confidence).toBe(0.95);
    expect(r.method).toMatch(/Wald/);
    expect(r.method).toMatch(/Katz/);
  });

  it("same data at 99 %: CI = 0.04 ± 2.5758293 × 0.0133866 = [0.0055185, 0.0744815]", () => {
    const r = twoProportionLift(
      { treated: { n: 1000, visits: 120 }, holdout: { n: 1000, visits: 80 } },
      0.99,
    );
    expect(r.absoluteCi?.[0]).toBeCloseTo(0.0055185054, 6);
    expect(r.absoluteCi?.[1]).toBeCloseTo(0.0744814946, 6);
    expect(r.zScore).toBeCloseTo(2.98142397, 6); // the test does not depend on the level
  });
});

describe("twoProportionLift: degenerate inputs", () => {
  it("an empty group gives null fields and a note, never NaN", () => {
    const r = twoProportionLift({ treated: { n: 0, visits: 0 }, holdout: { n: 100, visits: 5 } });
    expect(r.treatedRate).toBeNull();
    expect(r.holdoutRate).toBeCloseTo(0.05, 12);
    expect(r.absoluteLift).toBeNull();
    expect(r.absoluteCi).toBeNull();
    expect(r.relativeLift).toBeNull();
    expect(r.zScore).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.note).toMatch(/treated group is empty/);
    const both = twoProportionLift({ treated: { n: 0, visits: 0 }, holdout: { n: 0, visits: 0 } });
    expect(both.holdoutRate).toBeNull();
    expect(both.note).toMatch(/treated and holdout group is empty/);
  });

  it("holdout rate 0: absolute lift and test exist, relative lift is null with a note", () => {
    const r = twoProportionLift({
      treated: { n: 100, visits: 10 },
      holdout: { n: 100, visits: 0 },
    });
    expect(r.absoluteLift).toBeCloseTo(0.1, 12);
    // SE = sqrt(.1·.9/100 + 0) = 0.03; CI = .1 ± 1.959964 × .03 = [0.0412011, 0.1587989].
    expect(r.absoluteCi?.[0]).toBeCloseTo(0.0412010805, 6);
    expect(r.relativeLift).toBeNull();
    expect(r.relativeCi).toBeNull();
    expect(r.zScore).not.toBeNull();
    expect(r.note).toMatch(/holdout rate is 0/);
  });

  it("no treated visits: relative lift −100 %, interval null", () => {
    const r = twoProportionLift({
      treated: { n: 100, visits: 0 },
      holdout: { n: 100, visits: 10 },
    });
    expect(r.relativeLift).toBe(-1);
    expect(r.relativeCi).toBeNull();
    expect(r.note).toMatch(/Katz/);
  });

  it("no variation at all: zero-width interval, no z test, both explained", () => {
    const r = twoProportionLift({ treated: { n: 50, visits: 0 }, holdout: { n: 80, visits: 0 } });
    expect(r.absoluteLift).toBe(0);
    expect(r.absoluteCi).toEqual([0, 0]);
    expect(r.zScore).toBeNull();
    expect(r.pValue).toBeNull();
    expect(r.note).toMatch(/zero width/);
    expect(r.note).toMatch(/z test is undefined/);
  });

  it("clamps the Wald interval to [−1, 1]", () => {
    const r = twoProportionLift({ treated: { n: 2, visits: 2 }, holdout: { n: 2, visits: 1 } });
    expect(r.absoluteCi?.[1]).toBe(1);
  });

  it("rejects impossible counts and confidence levels, naming each field", () => {
    expect(
      validationPaths(() =>
        twoProportionLift({ treated: { n: 10, visits: 11 }, holdout: { n: -1, visits: 0.5 } }, 1),
      ),
    ).toEqual(["treated/visits", "holdout/n", "holdout/visits", "confidence"]);
  });
});

describe("twoProportionLift: properties", () => {
  const group = fc
    .integer({ min: 0, max: 100_000 })
    .chain((n) => fc.record({ n: fc.constant(n), visits: fc.integer({ min: 0, max: n }) }));
  const level = fc.double({ min: 0.5, max: 0.999, noNaN: true });

  it("never returns NaN or Infinity, and intervals contain their estimates", () => {
    fc.assert(
      fc.property(group, group, level, (treated, holdout, confidence) => {
        const r = twoProportionLift({ treated, holdout }, confidence);
        for (const v of Object.values(r).flat()) {
          if (typeof v === "number") expect(Number.isFinite(v)).toBe(true);
        }
        if (r.absoluteLift !== null && r.absoluteCi !== null) {
          expect(r.absoluteCi[0]).toBeLessThanOrEqual(r.absoluteLift + 1e-12);
          expect(r.absoluteCi[1]).toBeGreaterThanOrEqual(r.absoluteLift - 1e-12);
        }
        if (r.relativeLift !== null && r.relativeCi !== null) {
          expect(r.relativeCi[0]).toBeLessThanOrEqual(r.relativeLift + 1e-9);
          expect(r.relativeCi[1]).toBeGreaterThanOrEqual(r.relativeLift - 1e-9);
          expect(r.relativeCi[0]).toBeGreaterThanOrEqual(-1);
        }
        if (r.pValue !== null) {
          expect(r.pValue).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
        }
        const hasNull = [r.absoluteLift, r.relativeLift, r.relativeCi, r.zScore].includes(null);
        if (hasNull) expect(r.note).not.toBeNull();
      }),
    );
  });

  it("swapping the groups negates the absolute lift and z", () => {
    fc.assert(
      fc.property(group, group, (a, b) => {
        const r = twoProportionLift({ treated: a, holdout: b });
        const s = twoProportionLift({ treated: b, holdout: a });
        if (r.absoluteLift !== null) expect(s.absoluteLift).toBeCloseTo(-r.absoluteLift, 12);
        if (r.zScore !== null) expect(s.zScore).toBeCloseTo(-r.zScore, 9);
        expect(s.pValue).toEqual(r.pValue);
      }),
    );
  });

  it("a higher confidence level never gives a narrower interval", () => {
    fc.assert(
      fc.property(group, group, level, level, (treated, holdout, c1, c2) => {
        const [lo, hi] = c1 <= c2 ? [c1, c2] : [c2, c1];
        const a = twoProportionLift({ treated, holdout }, lo).absoluteCi;
        const b = twoProportionLift({ treated, holdout }, hi).absoluteCi;
        if (a !== null && b !== null) {
          expect(b[0]).toBeLessThanOrEqual(a[0] + 1e-12);
          expect(b[1]).toBeGreaterThanOrEqual(a[1] - 1e-12);
        }
      }),
    );
  });
});

describe("rate and median", () => {
  it("rate is null on a zero denominator", () => {
    expect(rate(3, 4)).toBe(0.75);
    expect(rate(0, 0)).toBeNull();
    expect(rate(5, 0)).toBeNull();
    expect(() => rate(Number.NaN, 1)).toThrow(ValidationError);
  });

  it("median of odd and even lists, null when empty, rejects non-finite values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(() => median([1, Number.POSITIVE_INFINITY])).toThrow(ValidationError);
  });

  it("median does not reorder the caller's array", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});
