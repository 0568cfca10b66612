/**
 * Metrics of a funnel: visit rates with their Wilson intervals, lift over the holdout with its
 * interval, redemption rate and median time-to-visit; null with a note where a figure cannot be
 * computed, never NaN. Pure.
 */
import { rate, twoProportionLift, wilsonInterval } from "../stats/index.ts";
import type { Funnel } from "./funnel.ts";
import { type HistogramMedian, histogramMedian } from "./time-to-visit.ts";

/** Lift as the report shows it (the method is stated once, at the top of the report). */
export interface LiftView {
  confidence: number;
  absolute: number | null;
  absoluteCi: readonly [number, number] | null;
  relative: number | null;
  relativeCi: readonly [number, number] | null;
  zScore: number | null;
  pValue: number | null;
  note: string | null;
}

export interface FunnelMetrics {
  visitRate: { treated: number | null; holdout: number | null };
  /** 95 % Wilson interval of each group's visit rate (null for an empty group). */
  visitRateCi: {
    treated: readonly [number, number] | null;
    holdout: readonly [number, number] | null;
  };
  /** redemptions / sent. */
  redemptionRate: number | null;
  lift: LiftView;
  medianTimeToVisit: HistogramMedian | null;
  /** Why a figure is null or to be read with care; empty when all is regular. */
  notes: string[];
}

const NO_LIFT: Omit<LiftView, "confidence" | "note"> = {
  absolute: null,
  absoluteCi: null,
  relative: null,
  relativeCi: null,
  zScore: null,
  pValue: null,
};

/**
 * Visit rates, lift with its interval, redemption rate and median time-to-visit of a funnel.
 * Treated = devices sent the incentive (`sent`), holdout = devices deliberately held out
 * (`heldOut`); the numerators are their attributed visits. Empty denominators give null with a
 * note, never NaN; counts that cannot be a proportion (more visits than devices, which happens
 * when a range cuts through attribution windows) give no lift rather than a wrong one.
 */
export function funnelMetrics(funnel: Funnel, confidence = 0.95): FunnelMetrics {
  const notes: string[] = [];
  const treated = rate(funnel.attributedTreated, funnel.sent);
  const holdout = rate(funnel.attributedHoldout, funnel.heldOut);
  if (funnel.sent === 0) {
    notes.push(
      "No incentive was sent (sent = 0): the treated visit rate, the redemption rate and the lift are null.",
    );
  }
  if (funnel.heldOut === 0) {
    notes.push(
      "No device was held out (heldOut = 0): the holdout visit rate and the lift are null.",
    );
  }
  let lift: LiftView;
  const overTreated = funnel.attributedTreated > funnel.sent && funnel.sent > 0;
  const overHoldout = funnel.attributedHoldout > funnel.heldOut && funnel.heldOut > 0;
  if (overTreated || overHoldout) {
    notes.push(
      "More attributed visits than devices in a group: visits are counted on the day they happen, " +
        "so some belong to incentives sent before this range. Widen the range to compare cohorts.",
    );
    lift = { confidence, ...NO_LIFT, note: "Counts are not proportions in this range." };
  } else {
    const r = twoProportionLift(
      {
        treated: { n: funnel.sent, visits: Math.min(funnel.attributedTreated, funnel.sent) },
        holdout: { n: funnel.heldOut, visits: Math.min(funnel.attributedHoldout, funnel.heldOut) },
      },
      confidence,
    );
    lift = {
      confidence: r.confidence,
      absolute: r.absoluteLift,
      absoluteCi: r.absoluteCi,
      relative: r.relativeLift,
      relativeCi: r.relativeCi,
      zScore: r.zScore,
      pValue: r.pValue,
      note: r.note,
    };
  }
  const median = histogramMedian(funnel.ttv);
  return {
    visitRate: { treated, holdout },
    visitRateCi: {
      treated: wilsonInterval(Math.min(funnel.attributedTreated, funnel.sent), funnel.sent),
      holdout: wilsonInterval(Math.min(funnel.attributedHoldout, funnel.heldOut), funnel.heldOut),
    },
    redemptionRate: rate(funnel.redemptions, funnel.sent),
    lift,
    medianTimeToVisit: median,
    notes,
  };
}
