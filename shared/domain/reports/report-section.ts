/**
 * A report section: a funnel as the API shows it, with its metrics, incremental visits and money
 * figures. Every total and row of the offer report and every offer of the comparison is one. Pure.
 */
import type { OfferCosts } from "../money.ts";
import type { Funnel } from "./funnel.ts";
import { type FunnelMetrics, funnelMetrics } from "./funnel-metrics.ts";
import {
  type IncrementalView,
  incrementalVisits,
  type MoneyView,
  moneyFigures,
} from "./money-figures.ts";
import { compareCodePoints } from "./order.ts";

export interface FunnelView {
  triggered: number;
  sent: number;
  heldOut: number;
  suppressed: { total: number; byReason: Record<string, number> };
  visits: number;
  attributedVisits: { treated: number; holdout: number };
  redemptions: number;
  expired: number;
  /** Redemptions that reported a basket amount. */
  baskets: number;
  /**
   * Codes claimed online (claim links, web claims) redeemed at these stores or expired: kept
   * apart from the funnel above, whose redemptions are a part of its sends. The channel report
   * measures claims, their visits and lift.
   */
  online: { redemptions: number; expired: number };
}

/** The funnel as the API shows it: suppressed reasons sorted, attributed visits by group. */
function funnelView(f: Funnel): FunnelView {
  const byReason = Object.fromEntries(
    Object.entries(f.suppressedByReason).sort(([a], [b]) => compareCodePoints(a, b)),
  );
  return {
    triggered: f.triggered,
    sent: f.sent,
    heldOut: f.heldOut,
    suppressed: { total: f.suppressed, byReason },
    visits: f.visits,
    attributedVisits: { treated: f.attributedTreated, holdout: f.attributedHoldout },
    redemptions: f.redemptions,
    expired: f.expired,
    baskets: f.baskets,
    online: { redemptions: f.onlineRedemptions, expired: f.onlineExpired },
  };
}

/** A funnel with its metrics, incremental visits and money figures. */
export interface ReportSection extends FunnelMetrics {
  funnel: FunnelView;
  incremental: IncrementalView;
  money: MoneyView | null;
}

/** The section of a funnel, with the offer's costs (null: no money figures) and the store visits for cost per visit. */
export function reportSection(
  f: Funnel,
  costs: OfferCosts | null,
  storeVisits?: number,
): ReportSection {
  const metrics = funnelMetrics(f);
  const input = {
    ...f,
    absoluteLift: metrics.lift.absolute,
    absoluteCi: metrics.lift.absoluteCi,
    storeVisits,
  };
  const incremental = incrementalVisits(input);
  return {
    funnel: funnelView(f),
    ...metrics,
    incremental,
    money: moneyFigures(input, costs, incremental),
  };
}
