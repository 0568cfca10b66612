/**
 * Lift of an incentive over its holdout: treated vs holdout visit rates with confidence
 * intervals, for the marketing reports. Never returns NaN or Infinity: whatever cannot be
 * computed is null and `note` says why.
 */
import { errorFunction, probit, median as ssMedian } from "simple-statistics";
import { type FieldIssue, ValidationError } from "../../errors.ts";

/** Group size and how many of the group visited. */
export interface GroupCounts {
  readonly n: number;
  readonly visits: number;
}

export interface LiftInput {
  readonly treated: GroupCounts;
  readonly holdout: GroupCounts;
}

export type Interval = readonly [number, number];

export interface LiftResult {
  readonly confidence: number;
  readonly treatedRate: number | null;
  readonly holdoutRate: number | null;
  /** treatedRate − holdoutRate. */
  readonly absoluteLift: number | null;
  readonly absoluteCi: Interval | null;
  /** treatedRate / holdoutRate − 1. */
  readonly relativeLift: number | null;
  readonly relativeCi: Interval | null;
  readonly zScore: number | null;
  /** Two-sided. */
  readonly pValue: number | null;
  readonly method: string;
  /** Why some fields are null or degenerate; null when everything is regular. */
  readonly note: string | null;
}

export const LIFT_METHOD =
  "absolute lift: Wald interval on the difference of proportions with unpooled standard error, " +
  "clamped to [-1, 1]; relative lift: risk ratio - 1 with the Katz log risk-ratio interval; " +
  "test: two-sided two-proportion z test with pooled standard error";

/**
 * Standard normal CDF Φ(z). Built on simple-statistics' `errorFunction` (|error| < 1.2e-7)
 * rather than its `cumulativeStdNormalProbability`, which is a 2-decimal lookup table.
 */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/**
 * Standard normal quantile Φ⁻¹(p). simple-statistics' `probit` is a closed-form approximation
 * good to ~3 digits (1.9572 for 0.975 instead of 1.95996); two Newton steps on `normalCdf`
 * bring it to ~1e-7, so a 95 % interval uses 1.959964 as every textbook does.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw ValidationError.field("p", "must be strictly between 0 and 1");
  let x = probit(p);
  for (let i = 0; i < 3; i++) {
    const density = Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
    if (density === 0) break;
    x -= (normalCdf(x) - p) / density;
  }
  return x;
}

/** Two-sided p-value of a z statistic: P(|Z| ≥ |z|) = erfc(|z|/√2). */
function twoSidedP(z: number): number {
  return Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

function checkGroup(name: string, g: GroupCounts, issues: FieldIssue[]): void {
  if (!Number.isSafeInteger(g.n) || g.n < 0) {
    issues.push({ path: `${name}/n`, reason: "must be a non-negative integer" });
  }
  if (!Number.isSafeInteger(g.visits) || g.visits < 0) {
    issues.push({ path: `${name}/visits`, reason: "must be a non-negative integer" });
  } else if (Number.isSafeInteger(g.n) && g.visits > g.n) {
    issues.push({ path: `${name}/visits`, reason: "must not exceed n" });
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * Treated vs holdout visit rates with a `confidence` (default 95 %) interval for the absolute
 * and relative lift, and a z test of "no difference".
 *
 * - Absolute: d = p₁ − p₀, SE = √(p₁(1−p₁)/n₁ + p₀(1−p₀)/n₀) (unpooled Wald), CI = d ± z·SE,
 *   clamped to [−1, 1]. Simple and well understood at report sizes (hundreds per group); it is
 *   too narrow for tiny groups or rates at 0/1, which `note` flags.
 * - Relative: RR − 1 with RR = p₁/p₀; CI = exp(ln RR ± z·SE) − 1, SE = √(1/x₁ − 1/n₁ + 1/x₀ − 1/n₀)
 *   (Katz). Undefined when p₀ = 0 (null) and the interval when x₁ = 0 (null).
 * - Test: z = d / √(p̂(1−p̂)(1/n₁ + 1/n₀)) with pooled p̂, two-sided p-value.
 * An empty group (n = 0) makes everything but the other group's rate null.
 */
export function twoProportionLift(input: LiftInput, confidence = 0.95): LiftResult {
  const issues: FieldIssue[] = [];
  checkGroup("treated", input.treated, issues);
  checkGroup("holdout", input.holdout, issues);
  if (!(confidence > 0 && confidence < 1)) {
    issues.push({ path: "confidence", reason: "must be strictly between 0 and 1" });
  }
  if (issues.length > 0) {
    throw new ValidationError(`invalid lift input: ${issues.map((i) => i.path).join(", ")}`, {
      issues,
    });
  }

  const { n: n1, visits: x1 } = input.treated;
  const { n: n0, visits: x0 } = input.holdout;
  const p1 = n1 > 0 ? x1 / n1 : null;
  const p0 = n0 > 0 ? x0 / n0 : null;
  const empty: LiftResult = {
    confidence,
    treatedRate: p1,
    holdoutRate: p0,
    absoluteLift: null,
    absoluteCi: null,
    relativeLift: null,
    relativeCi: null,
    zScore: null,
    pValue: null,
    method: LIFT_METHOD,
    note: null,
  };
  if (p1 === null || p0 === null) {
    const which = [p1 === null ? "treated" : null, p0 === null ? "holdout" : null]
      .filter((w) => w !== null)
      .join(" and ");
    return {
      ...empty,
      note: `The ${which} group is empty (n = 0): no lift, interval or test can be computed.`,
    };
  }

  const notes: string[] = [];
  const z = normalQuantile(1 - (1 - confidence) / 2);

  const d = p1 - p0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0);
  const absoluteCi: Interval = [clamp(d - z * se, -1, 1), clamp(d + z * se, -1, 1)];
  if (se === 0) {
    notes.push(
      "Both rates are 0 or 1: the Wald interval has zero width and understates the uncertainty.",
    );
  }

  let relativeLift: number | null = null;
  let relativeCi: Interval | null = null;
  if (x0 === 0) {
    notes.push(
      "The holdout rate is 0: relative lift is undefined (division by zero); use the absolute lift.",
    );
  } else if (x1 === 0) {
    relativeLift = -1;
    notes.push(
      "No treated visits: relative lift is -100 % but its log-scale (Katz) interval is undefined.",
    );
  } else {
    const rr = p1 / p0;
    const seLog = Math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0);
    relativeLift = rr - 1;
    relativeCi = [Math.exp(Math.log(rr) - z * seLog) - 1, Math.exp(Math.log(rr) + z * seLog) - 1];
  }

  let zScore: number | null = null;
  let pValue: number | null = null;
  const pooled = (x1 + x0) / (n1 + n0);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  if (sePooled === 0) {
    notes.push("The pooled rate is 0 or 1 (no variation): the z test is undefined.");
  } else {
    zScore = d / sePooled;
    pValue = twoSidedP(zScore);
  }

  return {
    ...empty,
    absoluteLift: d,
    absoluteCi,
    relativeLift,
    relativeCi,
    zScore,
    pValue,
    note: notes.length > 0 ? notes.join(" ") : null,
  };
}

/**
 * A rate that is honest about empty denominators: null instead of NaN/Infinity, so reports can
 * show "n/a" rather than a fake 0 %.
 */
export function rate(numerator: number, denominator: number): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator)) {
    throw ValidationError.field("rate", "numerator and denominator must be finite numbers");
  }
  return denominator === 0 ? null : numerator / denominator;
}

/** Median (simple-statistics), null for no values instead of throwing, for report cells. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw ValidationError.field(`values/${bad}`, "must be a finite number");
  return ssMedian([...values]);
}

/**
 * Wilson score interval of a proportion x/n (Wilson 1927; Newcombe 1998 recommends it over the
 * Wald interval for small n and rates near 0 or 1): null when n = 0. Reports show it as the
 * interval bar of each group's visit rate.
 */
export function wilsonInterval(x: number, n: number, confidence = 0.95): Interval | null {
  if (!(n > 0) || x < 0 || x > n) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [clamp(centre - half, 0, 1), clamp(centre + half, 0, 1)];
}
