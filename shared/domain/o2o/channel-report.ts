/**
 * The channel report: claims, exposures and sends by channel and creative variant, their visits,
 * visit rates treated vs control, lift with its interval, time to visit, credited visits, money,
 * and a two-sample comparison of variants. From the touch counters only (never the log). Pure.
 */
import * as z from "zod";
import { TTV_BUCKET_MINUTES } from "../conversion.ts";
import type { OfferCosts } from "../money.ts";
import { counterRecords, emptyFunnel, type Funnel } from "../reports/funnel.ts";
import { type FunnelMetrics, funnelMetrics } from "../reports/funnel-metrics.ts";
import {
  journeyFieldsOf,
  type OfferJourneySection,
  offerJourneySection,
} from "../reports/journey-report.ts";
import {
  type IncrementalView,
  incrementalVisits,
  type MoneyView,
  moneyFigures,
} from "../reports/money-figures.ts";
import { REPORT_METHOD } from "../reports/report-method.ts";
import type { HistogramMedian } from "../reports/time-to-visit.ts";
import { LIFT_METHOD, twoProportionLift } from "../stats/index.ts";
import { TOUCH_FIELDS } from "./touch.ts";

/** The touch counters of one offer × day × channel × variant, or any sum of them. */
export interface TouchFunnel {
  claimsTreated: number;
  claimsHoldout: number;
  exposuresTreated: number;
  exposuresHoldout: number;
  sendsTreated: number;
  sendsHoldout: number;
  suppressed: number;
  suppressedByReason: Record<string, number>;
  visitsTreated: number;
  visitsHoldout: number;
  credited: number;
  redemptions: number;
  webClaims: number;
  webRedemptions: number;
  repeatExposures: number;
  ttv: number[];
  /**
   * Journey attributes of the touches (`jFirst*`, `jRepeatWin*`, `jRepeatAfter*`; see
   * domain/journey/log.ts): first vs returning visits and repeat visits, by the touch's group.
   */
  journey: Record<string, number>;
}

const SCALARS = [
  "claimsTreated",
  "claimsHoldout",
  "exposuresTreated",
  "exposuresHoldout",
  "sendsTreated",
  "sendsHoldout",
  "suppressed",
  "visitsTreated",
  "visitsHoldout",
  "credited",
  "redemptions",
  "webClaims",
  "webRedemptions",
  "repeatExposures",
] as const satisfies readonly (keyof typeof TOUCH_FIELDS)[];

/** One touch counters item with its bucket. */
export interface TouchRow {
  offerId: string;
  localDay: string;
  channel: string;
  variant: string;
  funnel: TouchFunnel;
}

export function emptyTouchFunnel(): TouchFunnel {
  const f = Object.fromEntries(SCALARS.map((k) => [k, 0])) as unknown as TouchFunnel;
  f.suppressedByReason = {};
  f.ttv = TTV_BUCKET_MINUTES.map(() => 0);
  f.journey = {};
  return f;
}

const touchFunnels = /* @__PURE__ */ counterRecords<TouchFunnel, (typeof SCALARS)[number]>({
  empty: emptyTouchFunnel,
  scalars: SCALARS,
  attribute: (k) => TOUCH_FIELDS[k],
  more: {
    read: (item, into) => {
      into.journey = journeyFieldsOf(item);
    },
    add: (into, from) => {
      for (const [k, n] of Object.entries(from.journey))
        into.journey[k] = (into.journey[k] ?? 0) + n;
    },
  },
});

/** Reads a touch counters item (absent attributes are 0; journey attributes as they are). */
export const touchFunnelFromItem: (item: Readonly<Record<string, unknown>>) => TouchFunnel =
  touchFunnels.fromItem;

/** Sums touch funnels (journey attributes by name). */
export const addTouchFunnels: (...fs: readonly TouchFunnel[]) => TouchFunnel = touchFunnels.add;

/** Treated and control touches: claims + exposures + sends of each group. */
export function touchGroups(f: TouchFunnel): { treated: number; holdout: number } {
  return {
    treated: f.claimsTreated + f.exposuresTreated + f.sendsTreated,
    holdout: f.claimsHoldout + f.exposuresHoldout + f.sendsHoldout,
  };
}

/** The touch funnel in the shape the offer report's metrics read. */
function asFunnel(f: TouchFunnel): Funnel {
  const g = touchGroups(f);
  return {
    ...emptyFunnel(),
    sent: g.treated,
    heldOut: g.holdout,
    suppressed: f.suppressed,
    suppressedByReason: { ...f.suppressedByReason },
    attributedTreated: f.visitsTreated,
    attributedHoldout: f.visitsHoldout,
    redemptions: f.redemptions,
    ttv: [...f.ttv],
  };
}

/** The figures of one group of touches (a channel × variant, a channel, a variant, the total). */
export interface TouchSection {
  touches: { treated: number; holdout: number };
  claims: { treated: number; holdout: number };
  exposures: { treated: number; holdout: number; repeats: number };
  sends: { treated: number; holdout: number };
  suppressed: number;
  suppressedByReason: Record<string, number>;
  /** First visit within the attribution window after a touch, by the touch's group. */
  visits: { treated: number; holdout: number };
  visitRate: FunnelMetrics["visitRate"];
  visitRateCi: FunnelMetrics["visitRateCi"];
  lift: FunnelMetrics["lift"];
  /** Visits credited to these touches (last touch within the window, all channels and offers). */
  creditedVisits: number;
  /** Redemptions of codes these touches issued (by code). */
  redemptions: number;
  /** Web claims without a device and their redemptions: attributed by redemption only. */
  web: { claims: number; redemptions: number };
  medianTimeToVisit: HistogramMedian | null;
  incrementalVisits: IncrementalView;
  /** Spend and cost per incremental visit (offers with a currency; null across offers). */
  money: MoneyView | null;
  /**
   * The journey of these touches: their attributed visits that were the person's first visit
   * to the merchant vs returning, and the repeat-visit lift of treated over held-out touches
   * within the attribution window and in the 30 days after it (n = touches of each group).
   */
  journey: OfferJourneySection;
  notes: string[];
}

function section(f: TouchFunnel, costs: OfferCosts | null): TouchSection {
  const funnel = asFunnel(f);
  const metrics = funnelMetrics(funnel);
  const moneyInput = {
    sent: funnel.sent,
    heldOut: funnel.heldOut,
    attributedTreated: funnel.attributedTreated,
    redemptions: f.redemptions + f.webRedemptions,
    baskets: 0,
    basketMinor: 0,
    absoluteLift: metrics.lift.absolute,
    absoluteCi: metrics.lift.absoluteCi,
  };
  const incremental = incrementalVisits(moneyInput);
  const money = moneyFigures(moneyInput, costs, incremental);
  return {
    touches: { treated: funnel.sent, holdout: funnel.heldOut },
    claims: { treated: f.claimsTreated, holdout: f.claimsHoldout },
    exposures: {
      treated: f.exposuresTreated,
      holdout: f.exposuresHoldout,
      repeats: f.repeatExposures,
    },
    sends: { treated: f.sendsTreated, holdout: f.sendsHoldout },
    suppressed: f.suppressed,
    suppressedByReason: { ...f.suppressedByReason },
    visits: { treated: f.visitsTreated, holdout: f.visitsHoldout },
    visitRate: metrics.visitRate,
    visitRateCi: metrics.visitRateCi,
    lift: metrics.lift,
    creditedVisits: f.credited,
    redemptions: f.redemptions,
    web: { claims: f.webClaims, redemptions: f.webRedemptions },
    medianTimeToVisit: metrics.medianTimeToVisit,
    incrementalVisits: incremental,
    money: money
      ? { ...money, notes: money.notes.filter((n) => !n.startsWith("Cost per visit")) }
      : null,
    journey: offerJourneySection({
      sent: funnel.sent,
      heldOut: funnel.heldOut,
      attributedTreated: f.visitsTreated,
      attributedHoldout: f.visitsHoldout,
      journey: f.journey,
    }),
    notes: metrics.notes,
  };
}

/** A two-sample test of two variants' treated visit rates. */
export interface VariantComparison {
  offerId: string;
  a: string;
  b: string;
  /** Treated touches and their visits of each variant. */
  aTreated: { n: number; visits: number };
  bTreated: { n: number; visits: number };
  /** rate(a) − rate(b), its interval, and the two-sided p-value of "no difference". */
  difference: number | null;
  differenceCi: readonly [number, number] | null;
  pValue: number | null;
  /** Which variant the test favours at 95 %, or null when the interval includes zero. */
  better: string | null;
  note: string | null;
}

function compareVariants(offerId: string, a: [string, TouchFunnel], b: [string, TouchFunnel]) {
  const ga = touchGroups(a[1]).treated;
  const gb = touchGroups(b[1]).treated;
  const va = Math.min(a[1].visitsTreated, ga);
  const vb = Math.min(b[1].visitsTreated, gb);
  const r = twoProportionLift({ treated: { n: ga, visits: va }, holdout: { n: gb, visits: vb } });
  const ci = r.absoluteCi;
  return {
    offerId,
    a: a[0],
    b: b[0],
    aTreated: { n: ga, visits: va },
    bTreated: { n: gb, visits: vb },
    difference: r.absoluteLift,
    differenceCi: ci,
    pValue: r.pValue,
    better: ci === null ? null : ci[0] > 0 ? a[0] : ci[1] < 0 ? b[0] : null,
    note: r.note,
  } satisfies VariantComparison;
}

export const channelReportQuerySchema = z.strictObject({
  from: z.iso
    .date({ error: "must be a day as YYYY-MM-DD" })
    .optional()
    .describe("First local day, inclusive (default: 29 days before to)"),
  to: z.iso
    .date({ error: "must be a day as YYYY-MM-DD" })
    .optional()
    .describe("Last local day, inclusive (default: today)"),
});

export const CHANNEL_REPORT_METHOD = {
  touches:
    "A touch is a geofence send (channel geofence), a person's first claim of a link, or a person's first exposure of a link; each is treated or held out by the offer's deterministic holdout keyed on the person (the same group on every channel and install). treated/holdout = touches of each group.",
  visits:
    "visits = the first store visit (footprint dwell at one of the offer's stores) within the offer's attribution window after each touch, by the touch's group, counted on the day of the visit. Lift compares these per-touch rates, so both groups are measured alike whatever else a person saw.",
  lift: `${LIFT_METHOD}. Treated n = treated touches, holdout n = held-out touches.`,
  visitRate: REPORT_METHOD.visitRate
    .replace("sent", "treated touches")
    .replace("heldOut", "held-out touches"),
  credit:
    "creditedVisits: each store visit is credited to one touch, the most recent send, claim or exposure of the merchant (any offer, any channel, treated or held out) whose attribution window covers the visit at one of its offer's stores (last touch within the window).",
  redemptions:
    "A redemption attributes to the claim or send that issued its code (by code), on the redemption's day. Web claims (no device, no holdout) are reported apart: web.claims and web.redemptions, attributed by redemption only.",
  money:
    "spend = treated touches × costPerSend + redemptions (app and web) × incentiveValue; incremental visits = absolute lift × treated touches; cost per incremental visit = spend / incremental visits, interval spend / its bounds. Per offer only (offers may differ in currency).",
  variants:
    "variantComparison: for each pair of variants of an offer (all channels together), a two-sided two-proportion z test of their treated visit rates; difference = rate(a) − rate(b) with its 95 % Wald interval; better names the variant favoured when the interval excludes zero.",
  timeToVisit: "medianTimeToVisit: as in the offer report, over treated touches' first visits.",
  journey:
    "journey.attributedVisits: the visits above (first visit within the window after a touch), split by whether it was the person's first visit to the merchant in the kept history (first) or not (returning). journey.repeatWithinWindow: treated vs held-out touches whose person, after that visit, came back on a later store-local day still within the touch's attribution window; journey.repeatAfterWindow: came back in the 30 days after the window. Each touch counts at most once in each; n = all touches of the group, visited or not (intention to treat); lift and intervals as for visits. Counted on the day of the repeat visit.",
} as const;

export interface ChannelReportInput {
  range: { from: string; to: string };
  /** The offer the report is about, or null for every offer of the merchant. */
  offerId: string | null;
  rows: readonly TouchRow[];
  /** Offer names and costs by offer id. */
  offers: ReadonlyMap<string, { name: string | null; costs: OfferCosts | null }>;
}

function groupBy<K>(rows: readonly TouchRow[], key: (r: TouchRow) => K & string) {
  const out = new Map<string, TouchFunnel>();
  for (const r of rows)
    out.set(key(r), addTouchFunnels(out.get(key(r)) ?? emptyTouchFunnel(), r.funnel));
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Builds the channel report: rows per offer × channel × variant, per offer × channel, per offer
 * × variant, per channel across offers, the total, and the variant comparisons of each offer.
 */
export function buildChannelReport(input: ChannelReportInput) {
  const costsOf = (offerId: string) => input.offers.get(offerId)?.costs ?? null;
  const nameOf = (offerId: string) => input.offers.get(offerId)?.name ?? null;
  const SEP = "\u0000";
  const rows = groupBy(input.rows, (r) => `${r.offerId}${SEP}${r.channel}${SEP}${r.variant}`).map(
    ([k, f]) => {
      const [offerId = "", channel = "", variant = ""] = k.split(SEP);
      return {
        offerId,
        offerName: nameOf(offerId),
        channel,
        variant,
        ...section(f, costsOf(offerId)),
      };
    },
  );
  const channels = groupBy(input.rows, (r) => `${r.offerId}${SEP}${r.channel}`).map(([k, f]) => {
    const [offerId = "", channel = ""] = k.split(SEP);
    return { offerId, offerName: nameOf(offerId), channel, ...section(f, costsOf(offerId)) };
  });
  const variantFunnels = groupBy(input.rows, (r) => `${r.offerId}${SEP}${r.variant}`);
  const variants = variantFunnels.map(([k, f]) => {
    const [offerId = "", variant = ""] = k.split(SEP);
    return { offerId, offerName: nameOf(offerId), variant, ...section(f, costsOf(offerId)) };
  });
  const singleOffer = input.offerId !== null;
  const byChannel = singleOffer
    ? null
    : groupBy(input.rows, (r) => r.channel).map(([channel, f]) => ({
        channel,
        ...section(f, null),
      }));
  const comparisons: VariantComparison[] = [];
  const perOffer = new Map<string, [string, TouchFunnel][]>();
  for (const [k, f] of variantFunnels) {
    const [offerId = "", variant = ""] = k.split(SEP);
    perOffer.set(offerId, [...(perOffer.get(offerId) ?? []), [variant, f]]);
  }
  for (const [offerId, list] of perOffer) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i];
        const b = list[j];
        if (a && b) comparisons.push(compareVariants(offerId, a, b));
      }
    }
  }
  const total = addTouchFunnels(...input.rows.map((r) => r.funnel));
  return {
    range: input.range,
    offerId: input.offerId,
    offerName: input.offerId ? nameOf(input.offerId) : null,
    totals: section(total, input.offerId ? costsOf(input.offerId) : null),
    rows,
    channels,
    variants,
    acrossOffers: byChannel,
    variantComparison: comparisons,
    method: CHANNEL_REPORT_METHOD,
  };
}
export type ChannelReport = ReturnType<typeof buildChannelReport>;
