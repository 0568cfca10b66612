/**
 * Incremental visits and money figures of a funnel, in the terms marketing teams compare
 * vendors with: spend, cost per visit, cost per attributed visit, incremental visits, cost per
 * incremental visit and incremental revenue. Every interval is derived from the lift interval
 * (no second statistical model): incremental visits = absolute lift × sent, so its interval is
 * the lift interval × sent, and the costs divide spend by its bounds. Pure.
 */
import { formatMinor, type OfferCosts } from "../money.ts";

/**
 * Fewest devices in each group (sent, held out) for incremental figures: below this the Wald
 * interval of the lift is unreliable (normal approximation; see `twoProportionLift`).
 */
export const MIN_DEVICES_PER_GROUP = 30;

/** What the money figures need of a funnel and its lift. */
export interface MoneyInput {
  sent: number;
  heldOut: number;
  attributedTreated: number;
  redemptions: number;
  /** Redemptions that carried a basket amount, and their sum in minor units. */
  baskets: number;
  basketMinor: number;
  /** Absolute lift (treated rate − holdout rate) and its interval; null when not computable. */
  absoluteLift: number | null;
  absoluteCi: readonly [number, number] | null;
  /** Footprint visits to the offer's stores over the range; undefined when not read. */
  storeVisits?: number | undefined;
}

/** Incremental visits: what the incentive added over what the holdout says would have happened. */
export interface IncrementalView {
  /** absoluteLift × sent, one decimal; null when not reported (see note). */
  visits: number | null;
  /** The absolute lift interval × sent. */
  visitsCi: readonly [number, number] | null;
  note: string | null;
}

/** An amount with its interval, as decimal strings of the currency. */
export interface AmountWithInterval {
  estimate: string | null;
  ci: readonly [string, string] | null;
}

export interface MoneyView {
  currency: string;
  costPerSend: string;
  incentiveValue: string;
  /** sent × costPerSend + redemptions × incentiveValue. */
  spend: string;
  spendOnSends: string;
  spendOnIncentives: string;
  /** spend / footprint visits to the offer's stores; null without visits (or not read). */
  costPerVisit: string | null;
  /** spend / visits attributed to treated devices. */
  costPerAttributedVisit: string | null;
  /** spend / incremental visits, interval spend / the incremental bounds. */
  costPerIncrementalVisit: AmountWithInterval;
  /** incremental visits × average basket; null when no basket was sent. */
  incrementalRevenue: (AmountWithInterval & { averageBasket: string; baskets: number }) | null;
  notes: string[];
}

const oneDecimal = (x: number) => Math.round(x * 10) / 10;

/** Incremental visits with the interval of the lift, or null with the reason. */
export function incrementalVisits(input: MoneyInput): IncrementalView {
  if (input.sent < MIN_DEVICES_PER_GROUP || input.heldOut < MIN_DEVICES_PER_GROUP) {
    return {
      visits: null,
      visitsCi: null,
      note:
        `Too few devices for incremental figures: each group needs at least ` +
        `${MIN_DEVICES_PER_GROUP} (sent ${input.sent}, held out ${input.heldOut}).`,
    };
  }
  if (input.absoluteLift === null || input.absoluteCi === null) {
    return { visits: null, visitsCi: null, note: "No lift can be computed for this range." };
  }
  const [lo, hi] = input.absoluteCi;
  return {
    visits: oneDecimal(input.absoluteLift * input.sent),
    visitsCi: [oneDecimal(lo * input.sent), oneDecimal(hi * input.sent)],
    note: null,
  };
}

/**
 * Money figures of a funnel for an offer with costs (null without: the offer names no
 * currency). Amounts are exact sums in minor units, shown as decimal strings; ratios are
 * rounded half away from zero to the minor unit.
 */
export function moneyFigures(
  input: MoneyInput,
  costs: OfferCosts | null,
  incremental: IncrementalView,
): MoneyView | null {
  if (costs === null) return null;
  const fmt = (minor: number) => formatMinor(minor, costs.currency);
  const notes: string[] = [];
  const sends = input.sent * costs.costPerSendMinor;
  const incentives = input.redemptions * costs.incentiveValueMinor;
  const spend = sends + incentives;
  const per = (n: number | undefined) => (n === undefined || n <= 0 ? null : fmt(spend / n));

  let costPerIncrementalVisit: AmountWithInterval = { estimate: null, ci: null };
  if (incremental.visits === null || incremental.visitsCi === null) {
    notes.push(`Cost per incremental visit is not reported: ${incremental.note ?? "no lift."}`);
  } else if (incremental.visitsCi[0] <= 0) {
    notes.push(
      "Cost per incremental visit is not reported: the lift interval includes zero, so the " +
        "campaign may have added no visit and no finite cost can be stated.",
    );
  } else {
    const [lo, hi] = incremental.visitsCi;
    costPerIncrementalVisit = {
      estimate: fmt(spend / incremental.visits),
      ci: [fmt(spend / hi), fmt(spend / lo)],
    };
  }

  let incrementalRevenue: MoneyView["incrementalRevenue"] = null;
  if (input.baskets > 0) {
    const average = input.basketMinor / input.baskets;
    incrementalRevenue = {
      averageBasket: fmt(average),
      baskets: input.baskets,
      estimate: incremental.visits === null ? null : fmt(incremental.visits * average),
      ci:
        incremental.visitsCi === null
          ? null
          : [fmt(incremental.visitsCi[0] * average), fmt(incremental.visitsCi[1] * average)],
    };
  }
  if (input.storeVisits === undefined) {
    notes.push("Cost per visit needs the stores' footfall: see the offer report.");
  }
  return {
    currency: costs.currency,
    costPerSend: fmt(costs.costPerSendMinor),
    incentiveValue: fmt(costs.incentiveValueMinor),
    spend: fmt(spend),
    spendOnSends: fmt(sends),
    spendOnIncentives: fmt(incentives),
    costPerVisit: per(input.storeVisits),
    costPerAttributedVisit: per(input.attributedTreated),
    costPerIncrementalVisit,
    incrementalRevenue,
    notes,
  };
}

/** How each money figure is computed and when it is not reported; returned in reports. */
export const MONEY_METHOD = {
  amounts:
    "Decimal strings in the major unit of the offer's currency, summed exactly in minor units; " +
    "ratios are rounded half away from zero to the minor unit.",
  spend: "sent × costPerSend + redemptions × incentiveValue.",
  costPerVisit:
    "spend / footprint visits to the offer's stores over the range (every visit, with or without an incentive); null when there is none.",
  costPerAttributedVisit:
    "spend / visits attributed to treated devices (first visit within the attribution window after a send).",
  incrementalVisits: `absolute lift × sent, with the lift's 95 % interval × sent; not reported when either group has fewer than ${MIN_DEVICES_PER_GROUP} devices.`,
  costPerIncrementalVisit:
    "spend / incremental visits; interval spend / upper bound to spend / lower bound. Not reported when incremental visits are not, or when their interval includes zero.",
  incrementalRevenue:
    "incremental visits × average basket of the redemptions that reported one (interval likewise); null when no basket was sent. Assumes incremental visitors spend like redeemers.",
} as const;
