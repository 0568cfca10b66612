/**
 * Marketing reports over the footfall conversion log: query rules, funnel arithmetic on the
 * counters (never the log), lift over the holdout, the time-to-visit median from its histogram,
 * and the CSV form of the log. Pure: callers pass the counters and the clock reading in.
 */
import { DateTime } from "luxon";
import * as z from "zod";
import { ValidationError } from "../errors.ts";
import { isCatalogId, OFFER_ID_PREFIX, STORE_ID_PREFIX } from "./catalog/common.ts";
import {
  CONVERSION_TYPES,
  type ConversionRecord,
  type ConversionType,
  conversionKeys,
  NO_OFFER,
  TTV_BUCKET_MINUTES,
} from "./conversion.ts";
import { formatMinor, type OfferCosts } from "./money.ts";
import { integerQuery } from "./query-number.ts";
import {
  type IncrementalView,
  incrementalVisits,
  MONEY_METHOD,
  type MoneyView,
  moneyFigures,
} from "./report-money.ts";
import { type PeriodUnit, periodOf, periodsOf } from "./report-periods.ts";
import { LIFT_METHOD, rate, twoProportionLift, wilsonInterval } from "./stats/index.ts";

// ---------------------------------------------------------------------------------------------
// Funnel counts
// ---------------------------------------------------------------------------------------------

/** The counters of one offer × store × day, or any sum of them. */
export interface Funnel {
  triggered: number;
  sent: number;
  heldOut: number;
  suppressed: number;
  /** `suppressed_<reason>` counters, by reason. */
  suppressedByReason: Record<string, number>;
  visits: number;
  attributedTreated: number;
  attributedHoldout: number;
  redemptions: number;
  expired: number;
  /** Redemptions that reported a basket, and their basket total in minor units. */
  baskets: number;
  basketMinor: number;
  /** Time-to-visit histogram: one count per `TTV_BUCKET_MINUTES` bucket. */
  ttv: number[];
}

/** One counters item, with the bucket it belongs to. */
export interface CounterRow {
  offerId: string;
  storeId: string;
  localDay: string;
  funnel: Funnel;
}

/** Code-point order, stable across locales (ids and ISO days sort as they read). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const SCALAR_FIELDS = [
  "triggered",
  "sent",
  "heldOut",
  "suppressed",
  "visits",
  "attributedTreated",
  "attributedHoldout",
  "redemptions",
  "expired",
  "baskets",
  "basketMinor",
] as const;

const SUPPRESSED_PREFIX = "suppressed_";
const TTV_PREFIX = "ttv_";

/** A counter attribute as a count: missing, malformed or negative values count as 0. */
function count(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** All zeros: the identity of `addFunnels`, and what a day without counters shows. */
export function emptyFunnel(): Funnel {
  return {
    triggered: 0,
    sent: 0,
    heldOut: 0,
    suppressed: 0,
    suppressedByReason: {},
    visits: 0,
    attributedTreated: 0,
    attributedHoldout: 0,
    redemptions: 0,
    expired: 0,
    baskets: 0,
    basketMinor: 0,
    ttv: TTV_BUCKET_MINUTES.map(() => 0),
  };
}

/**
 * Reads the funnel out of a counters item (attributes named by `COUNTER_FIELDS`), tolerating
 * absent attributes: the write side only creates the counters an event touched.
 */
export function funnelFromItem(item: Readonly<Record<string, unknown>>): Funnel {
  const funnel = emptyFunnel();
  for (const field of SCALAR_FIELDS) funnel[field] = count(item[field]);
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(SUPPRESSED_PREFIX) && name.length > SUPPRESSED_PREFIX.length) {
      const n = count(value);
      if (n > 0) funnel.suppressedByReason[name.slice(SUPPRESSED_PREFIX.length)] = n;
    } else if (name.startsWith(TTV_PREFIX)) {
      const bucket = Number(name.slice(TTV_PREFIX.length));
      if (Number.isInteger(bucket) && bucket >= 0 && bucket < funnel.ttv.length) {
        funnel.ttv[bucket] = count(value);
      }
    }
  }
  return funnel;
}

/** Sums funnels, so rows, days and stores add up exactly to the totals. */
export function addFunnels(...funnels: readonly Funnel[]): Funnel {
  const out = emptyFunnel();
  for (const f of funnels) {
    for (const field of SCALAR_FIELDS) out[field] += f[field];
    for (const [reason, n] of Object.entries(f.suppressedByReason)) {
      out.suppressedByReason[reason] = (out.suppressedByReason[reason] ?? 0) + n;
    }
    f.ttv.forEach((n, i) => {
      if (i < out.ttv.length) out.ttv[i] = (out.ttv[i] ?? 0) + n;
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/** Where the median time-to-visit falls in the histogram. */
export interface HistogramMedian {
  bucket: number;
  /** Exclusive lower bound of the bucket, minutes (0 for the first). */
  lowerBoundMinutes: number;
  /** Inclusive upper bound of the bucket, minutes: the value reports show. */
  upperBoundMinutes: number;
  /** Attributed visits the histogram holds. */
  sampleSize: number;
}

export const TTV_MEDIAN_METHOD =
  "The counters keep a histogram of time-to-visit (buckets with upper bounds 5, 10, 15 … 43200 " +
  "minutes), not raw values: the median reported is the upper bound of the bucket holding the " +
  "lower median (the ⌈n/2⌉-th smallest value), so the true median lies in " +
  "(lowerBoundMinutes, upperBoundMinutes]. The histogram holds treated attributed visits " +
  "(time from the send to the first visit).";

/**
 * The bucket of the lower median of a time-to-visit histogram, or null when it is empty. Reports
 * show the bucket's upper bound: an honest "within N minutes" without reading the log.
 */
export function histogramMedian(histogram: readonly number[]): HistogramMedian | null {
  const n = histogram.reduce((sum, c) => sum + c, 0);
  if (n === 0) return null;
  const rank = Math.ceil(n / 2);
  let cumulative = 0;
  for (let i = 0; i < histogram.length; i++) {
    cumulative += histogram[i] ?? 0;
    if (cumulative >= rank) {
      const upper = TTV_BUCKET_MINUTES[Math.min(i, TTV_BUCKET_MINUTES.length - 1)] ?? 0;
      const lower = i === 0 ? 0 : (TTV_BUCKET_MINUTES[i - 1] ?? 0);
      return { bucket: i, lowerBoundMinutes: lower, upperBoundMinutes: upper, sampleSize: n };
    }
  }
  return null;
}

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

/** How the report computes what it shows; returned in every offer report. */
export const REPORT_METHOD = {
  lift: `${LIFT_METHOD}. Treated n = sent, holdout n = heldOut; visits = attributed visits.`,
  visitRate:
    "treated = attributedTreated / sent; holdout = attributedHoldout / heldOut; null when the denominator is 0. visitRateCi: 95 % Wilson score interval of each rate.",
  redemptionRate: "redemptions / sent; null when nothing was sent.",
  visits:
    "On an offer's counters, visits are the visits attributed to the offer (treated and holdout); " +
    "footprint visits no offer explains are in the store report.",
  medianTimeToVisit: TTV_MEDIAN_METHOD,
  days:
    "Counters are bucketed by the store-local day of each event; an attributed visit counts on the " +
    "day of the visit, not of the send. from and to are inclusive local days.",
  periods:
    "groupBy=week rows are ISO weeks (Monday to Sunday) and groupBy=month rows calendar months of " +
    "store-local days; the first and last are clipped to the range (start, end). Periods without " +
    "any activity are left out unless includeEmpty=true.",
  money: MONEY_METHOD,
  budget:
    "used = incentives sent over the offer's whole life (not only this range); max is the offer's " +
    "budget.maxIncentives, null when unlimited.",
} as const;

// ---------------------------------------------------------------------------------------------
// Ranges and queries
// ---------------------------------------------------------------------------------------------

/** Longest report range: counters older than the log's retention are gone anyway. */
export const MAX_REPORT_DAYS = 400;
/** Range when the caller gives none: the last 30 days. */
export const DEFAULT_REPORT_DAYS = 30;

const day = z.iso.date({ error: "must be a day as YYYY-MM-DD" });

const includeEmpty = z
  .enum(["true", "false"], { error: 'must be "true" or "false"' })
  .default("false")
  .transform((v) => v === "true")
  .describe("Also list periods without any activity (default false: they are omitted)");

export const offerReportQuerySchema = z.strictObject({
  from: day.optional().describe("First local day, inclusive (default: 29 days before to)"),
  to: day.optional().describe("Last local day, inclusive (default: today in the stores' zone)"),
  groupBy: z
    .enum(["day", "week", "month", "store"], {
      error: 'must be "day", "week", "month" or "store"',
    })
    .default("day")
    .describe("Rows per store-local day, ISO week (Monday–Sunday), calendar month, or store"),
  includeEmpty,
});
export type OfferReportQuery = z.output<typeof offerReportQuerySchema>;

export const storeReportQuerySchema = z.strictObject({
  from: offerReportQuerySchema.shape.from,
  to: offerReportQuerySchema.shape.to,
  groupBy: z
    .enum(["day", "week", "month"], { error: 'must be "day", "week" or "month"' })
    .default("day")
    .describe("Rows per store-local day, ISO week (Monday–Sunday) or calendar month"),
  includeEmpty,
});
export type StoreReportQuery = z.output<typeof storeReportQuerySchema>;

export const comparisonQuerySchema = z.strictObject({
  from: offerReportQuerySchema.shape.from,
  to: offerReportQuerySchema.shape.to,
});
export type ComparisonQuery = z.output<typeof comparisonQuerySchema>;

export interface DayRange {
  from: string;
  to: string;
}

const utcDay = (iso: string) => DateTime.fromISO(iso, { zone: "utc" });

/**
 * The inclusive day range of a report: defaults to the last 30 days ending today in
 * `timeZone` (the stores' zone when they share one), and refuses reversed or over-long ranges with the field named.
 */
export function resolveDayRange(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs: number,
  timeZone?: string,
): DayRange {
  // Counters are bucketed by store-local day: default to today in the stores' zone, or the
  // latest day anywhere (UTC+14) when the stores are in several zones.
  const to =
    query.to ?? DateTime.fromMillis(nowMs, { zone: timeZone ?? "Pacific/Kiritimati" }).toISODate();
  if (to === null) throw ValidationError.field("to", "is outside the representable range");
  const from =
    query.from ??
    utcDay(to)
      .minus({ days: DEFAULT_REPORT_DAYS - 1 })
      .toISODate();
  if (from === null) throw ValidationError.field("from", "is outside the representable range");
  if (from > to) throw ValidationError.field("to", "must not be before from");
  const span = utcDay(to).diff(utcDay(from), "days").days + 1;
  if (span > MAX_REPORT_DAYS) {
    throw ValidationError.field("from", `the range must not exceed ${MAX_REPORT_DAYS} days`);
  }
  return { from, to };
}

/** Every day of an inclusive range, so day rows show the days without events too. */
export function daysOf(range: DayRange): string[] {
  const days: string[] = [];
  let d = utcDay(range.from);
  const end = utcDay(range.to);
  while (d <= end && days.length <= MAX_REPORT_DAYS) {
    const iso = d.toISODate();
    if (iso === null) break;
    days.push(iso);
    d = d.plus({ days: 1 });
  }
  return days;
}

/** Largest page of the conversion log. */
export const MAX_LOG_PAGE = 200;
export const DEFAULT_LOG_PAGE = 50;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO instant (with offset) or a day (UTC midnight), as the log's sort-key prefix. */
const instant = z
  .string()
  .refine(
    (s) =>
      z.iso.datetime({ offset: true }).safeParse(s).success || z.iso.date().safeParse(s).success,
    "must be an ISO 8601 date-time with offset (2026-05-01T10:00:00Z) or a day (2026-05-01)",
  )
  .transform((s, ctx) => {
    const ms = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
    const iso = Number.isFinite(ms) ? new Date(ms).toISOString() : "";
    if (!ISO_INSTANT.test(iso)) {
      ctx.addIssue({ code: "custom", message: "is outside the years 0000–9999" });
      return z.NEVER;
    }
    return iso;
  });

const idFilter = (prefix: string, example: string) =>
  z
    .string()
    .refine((id) => isCatalogId(prefix, id), `must be an id such as ${example}`)
    .optional();

export const conversionQuerySchema = z
  .strictObject({
    offerId: idFilter(OFFER_ID_PREFIX, "of_3Fh…").describe("Only this offer's records"),
    storeId: idFilter(STORE_ID_PREFIX, "st_3Fh…").describe("Only this store's records"),
    type: z
      .enum(CONVERSION_TYPES, { error: `must be one of ${CONVERSION_TYPES.join(", ")}` })
      .optional(),
    from: instant.optional().describe("Earliest event time, inclusive"),
    to: instant.optional().describe("Latest event time, exclusive"),
    cursor: z.string().min(1).max(2048).optional().describe("nextCursor of the previous page"),
    limit: integerQuery()
      .pipe(
        z
          .number()
          .min(1, "must be at least 1")
          .max(MAX_LOG_PAGE, `must be at most ${MAX_LOG_PAGE}`),
      )
      .default(DEFAULT_LOG_PAGE),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to) {
      ctx.addIssue({ code: "custom", message: "must be after from", path: ["to"] });
    }
  });
export type ConversionQuery = z.output<typeof conversionQuerySchema>;

/**
 * The listing a cursor belongs to: every filter and bound, so a cursor replayed with other
 * filters (or another offer's index) is refused instead of resuming somewhere unintended.
 */
export function conversionListingScope(q: ConversionQuery): string {
  return [
    "conversions",
    q.offerId ?? "",
    q.storeId ?? "",
    q.type ?? "",
    q.from ?? "",
    q.to ?? "",
  ].join("|");
}

/**
 * Whether a decoded cursor position can belong to this merchant's listing: a defence in depth
 * on top of the cursor's signature, so a position never points into another partition.
 */
export function isLogPosition(
  key: Readonly<Record<string, string>>,
  merchantId: string,
  offerId: string | undefined,
): boolean {
  const names = Object.keys(key).sort().join(",");
  if (key.pk !== conversionKeys.logPartition(merchantId) || typeof key.sk !== "string")
    return false;
  if (offerId === undefined) return names === "pk,sk";
  return (
    names === "gsi1pk,gsi1sk,pk,sk" &&
    key.gsi1pk === conversionKeys.offerLogPartition(merchantId, offerId) &&
    key.gsi1sk === key.sk
  );
}

// ---------------------------------------------------------------------------------------------
// Log records as the API shows them
// ---------------------------------------------------------------------------------------------

/** A store as reports name it: kept after deletion (then `deletedAt` is set). */
export interface StoreLabel {
  name: string;
  /** The merchant's own store code (`externalRef`), null when none was given. */
  storeCode: string | null;
  timeZone: string;
  deletedAt: string | null;
}

/** An offer as reports name it: kept after deletion (then `deletedAt` is set). */
export interface OfferLabel {
  name: string;
  deletedAt: string | null;
}

/** Names of the stores and offers a report mentions, by id (ids missing: unknown). */
export interface NameBook {
  stores: ReadonlyMap<string, StoreLabel>;
  offers: ReadonlyMap<string, OfferLabel>;
}

export const NO_NAMES: NameBook = { stores: new Map(), offers: new Map() };

/**
 * A log record for marketing: an explicit allow-list of fields, so nothing else stored on the
 * item (keys, TTL, anything added later) reaches the caller. Devices appear only as `deviceRef`.
 * Names come from the catalog (or what it kept of deleted stores and offers), null if unknown.
 */
export interface ConversionView {
  eventId: string;
  type: ConversionType;
  at: string;
  localDay: string;
  offerId: string | null;
  offerName: string | null;
  storeId: string;
  storeName: string | null;
  storeCode: string | null;
  deviceRef: string;
  incentiveId: string | null;
  group: "treated" | "holdout" | null;
  reason: string | null;
  timeToVisitS: number | null;
  trigger: "entered" | "dwelled" | null;
  /** Basket total at redemption as a decimal string of `basketCurrency`. */
  basketAmount: string | null;
  basketCurrency: string | null;
  /** Online touches: channel (`geofence` for sends), creative variant, claim link, touch kind. */
  channel: string | null;
  variant: string | null;
  linkId: string | null;
  touch: "geofence" | "claim" | "exposure" | "web_claim" | null;
}

/** The API view of a stored log record, with the names of its store and offer. */
export function conversionView(
  record: ConversionRecord,
  names: NameBook = NO_NAMES,
): ConversionView {
  const offerId =
    record.offerId === undefined || record.offerId === NO_OFFER ? null : record.offerId;
  const store = names.stores.get(record.storeId);
  const basket =
    record.basketMinor !== undefined && record.basketCurrency !== undefined
      ? formatMinor(record.basketMinor, record.basketCurrency)
      : null;
  return {
    eventId: record.eventId,
    type: record.type,
    at: new Date(record.at).toISOString(),
    localDay: record.localDay,
    offerId,
    offerName: offerId === null ? null : (names.offers.get(offerId)?.name ?? null),
    storeId: record.storeId,
    storeName: store?.name ?? null,
    storeCode: store?.storeCode ?? null,
    deviceRef: record.deviceRef,
    incentiveId: record.incentiveId ?? null,
    group: record.group ?? null,
    reason: record.reason ?? null,
    timeToVisitS: record.timeToVisitS ?? null,
    trigger: record.trigger ?? null,
    basketAmount: basket,
    basketCurrency: basket === null ? null : (record.basketCurrency ?? null),
    channel: record.channel ?? null,
    variant: record.variant ?? null,
    linkId: record.linkId ?? null,
    touch: record.touch ?? null,
  };
}

/** CSV columns, in order (the header row). */
export const CONVERSION_CSV_COLUMNS = [
  "at",
  "type",
  "eventId",
  "offerId",
  "offerName",
  "storeId",
  "storeName",
  "storeCode",
  "deviceRef",
  "incentiveId",
  "group",
  "reason",
  "timeToVisitS",
  "trigger",
  "localDay",
  "basketAmount",
  "basketCurrency",
  "channel",
  "variant",
  "linkId",
  "touch",
] as const satisfies readonly (keyof ConversionView)[];

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, a double quote or a line break, with inner
 * quotes doubled; null and undefined are empty fields.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** The CSV header row of the conversion log. */
export function conversionCsvHeader(): string {
  return csvLine(CONVERSION_CSV_COLUMNS);
}

/** One log record as a CSV row, in `CONVERSION_CSV_COLUMNS` order. */
export function conversionCsvRow(view: ConversionView): string {
  return csvLine(CONVERSION_CSV_COLUMNS.map((c) => view[c]));
}

// ---------------------------------------------------------------------------------------------
// Offer report
// ---------------------------------------------------------------------------------------------

export type GroupBy = PeriodUnit | "store";

/**
 * Where an offer stands, as a marketer reads it: `deleted` (kept for its report), `paused`,
 * `scheduled` (before validFrom), `ended` (from validTo on), else `active`.
 */
export type OfferState = "active" | "paused" | "scheduled" | "ended" | "deleted";

/** The state of an offer at `nowMs` (pure: the caller passes the clock reading). */
export function reportOfferState(
  offer: { status: string; validFrom: string; validTo: string; deletedAt?: string | null },
  nowMs: number,
): OfferState {
  if (offer.deletedAt) return "deleted";
  if (offer.status === "paused") return "paused";
  if (nowMs < Date.parse(offer.validFrom)) return "scheduled";
  if (nowMs >= Date.parse(offer.validTo)) return "ended";
  return "active";
}

/** What the report needs to know about the offer (live or as kept when deleted). */
export interface OfferFactsForReport {
  name: string;
  title: string;
  state: OfferState;
  /** When the offer was deleted; null while it exists. */
  deletedAt: string | null;
  validFrom: string;
  validTo: string;
  storeIds: readonly string[];
  holdoutPercent: number;
  attributionWindowHours: number;
  budgetMax: number | null;
  /** Money fields as given on the offer (decimal strings), null when not set. */
  currency: string | null;
  costPerSend: string | null;
  incentiveValue: string | null;
}

export interface OfferReportInput {
  offerId: string;
  /** Null only when the offer was deleted before deletions were kept: no name is known. */
  offer: OfferFactsForReport | null;
  costs: OfferCosts | null;
  range: DayRange;
  groupBy: GroupBy;
  /** List periods without activity too (default: omitted). */
  includeEmpty?: boolean;
  rows: readonly CounterRow[];
  /** Incentives sent over the offer's life (budget counter). */
  budgetUsed: number;
  names?: NameBook;
  /** Footprint visits by store over the range (store counters), for cost per visit. */
  storeVisits?: ReadonlyMap<string, number>;
}

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
}

function funnelView(f: Funnel): FunnelView {
  const byReason = Object.fromEntries(
    Object.entries(f.suppressedByReason).sort(([a], [b]) => compare(a, b)),
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
  };
}

/** A funnel with its metrics, incremental visits and money figures. */
export interface ReportSection extends FunnelMetrics {
  funnel: FunnelView;
  incremental: IncrementalView;
  money: MoneyView | null;
}

function section(f: Funnel, costs: OfferCosts | null, storeVisits?: number): ReportSection {
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

/** A row of the offer report: a period (day, week, month) or a store, with its section. */
export interface OfferReportRow extends ReportSection {
  period?: string;
  day?: string;
  start?: string;
  end?: string;
  storeId?: string;
  storeName?: string | null;
  storeCode?: string | null;
  storeDeleted?: boolean;
  storeVisits?: number;
}

function isEmpty(f: Funnel): boolean {
  return SCALAR_FIELDS.every((field) => f[field] === 0);
}

/** A store's id with its name and store code (null when unknown), and whether it is deleted. */
function storeColumns(storeId: string, names: NameBook) {
  const label = names.stores.get(storeId);
  return {
    storeId,
    storeName: label?.name ?? null,
    storeCode: label?.storeCode ?? null,
    storeDeleted: label?.deletedAt != null,
  };
}

function sumOver(map: ReadonlyMap<string, number> | undefined, keys: Iterable<string>) {
  if (map === undefined) return undefined;
  let n = 0;
  for (const k of keys) n += map.get(k) ?? 0;
  return n;
}

/** Time rows: one per period (day, ISO week, month) with its first and last local day. */
function periodRows(
  rows: readonly CounterRow[],
  range: DayRange,
  unit: PeriodUnit,
  includeEmpty: boolean,
  toSection: (f: Funnel) => ReportSection,
) {
  const byPeriod = new Map<string, Funnel[]>();
  for (const r of rows) {
    const p = periodOf(r.localDay, unit).period;
    byPeriod.set(p, [...(byPeriod.get(p) ?? []), r.funnel]);
  }
  return periodsOf(range, unit)
    .map((p) => ({ p, funnel: addFunnels(...(byPeriod.get(p.period) ?? [])) }))
    .filter(({ funnel }) => includeEmpty || !isEmpty(funnel))
    .map(({ p, funnel }) => ({
      period: p.period,
      ...(unit === "day" ? { day: p.period } : {}),
      start: p.start,
      end: p.end,
      ...toSection(funnel),
    }));
}

/**
 * The offer report: totals over the range; one row per period (day, ISO week or month of
 * store-local days, without activity only when `includeEmpty`) or per store (the offer's stores
 * plus any other with counters, with names and store codes); incremental visits, money figures,
 * the budget and the method. A deleted offer reports its name and `state: "deleted"`.
 */
export function buildOfferReport(input: OfferReportInput) {
  const names = input.names ?? NO_NAMES;
  const includeEmpty = input.includeEmpty ?? false;
  const total = addFunnels(...input.rows.map((r) => r.funnel));
  const storeIds = [
    ...new Set([...(input.offer?.storeIds ?? []), ...input.rows.map((r) => r.storeId)]),
  ].sort(compare);
  const toSection = (f: Funnel, visits?: number) => section(f, input.costs, visits);
  let rows: OfferReportRow[];
  if (input.groupBy === "store") {
    const byStore = new Map<string, Funnel[]>();
    for (const r of input.rows)
      byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r.funnel]);
    rows = storeIds
      .map((id) => ({ id, funnel: addFunnels(...(byStore.get(id) ?? [])) }))
      .filter(
        ({ id, funnel }) => includeEmpty || !isEmpty(funnel) || input.offer?.storeIds.includes(id),
      )
      .map(({ id, funnel }) => {
        const visits = input.storeVisits?.get(id);
        return {
          ...storeColumns(id, names),
          ...(input.storeVisits ? { storeVisits: visits ?? 0 } : {}),
          ...toSection(funnel, input.storeVisits ? (visits ?? 0) : undefined),
        };
      });
  } else {
    rows = periodRows(input.rows, input.range, input.groupBy, includeEmpty, (f) => toSection(f));
  }
  const max = input.offer?.budgetMax ?? null;
  const notes: string[] = [];
  if (input.offer === null) {
    notes.push(
      "The offer was deleted before deleted offers were kept: its counters are reported without a name.",
    );
  } else if (input.offer.deletedAt !== null) {
    notes.push(
      `The offer was deleted on ${input.offer.deletedAt}; its counters are reported as kept.`,
    );
  }
  if (input.costs === null) {
    notes.push("The offer states no currency and costs: money figures are null.");
  }
  const storeVisits = sumOver(input.storeVisits, input.offer?.storeIds ?? storeIds);
  return {
    offerId: input.offerId,
    offerName: input.offer?.name ?? null,
    state: input.offer?.state ?? ("deleted" as OfferState),
    offer: input.offer,
    from: input.range.from,
    to: input.range.to,
    groupBy: input.groupBy,
    includeEmpty,
    stores: storeIds.map((id) => storeColumns(id, names)),
    ...(storeVisits === undefined ? {} : { storeVisits }),
    totals: toSection(total, storeVisits),
    budget: {
      used: input.budgetUsed,
      max,
      remaining: max === null ? null : Math.max(0, max - input.budgetUsed),
    },
    rows,
    method: REPORT_METHOD,
    notes,
  };
}

export type OfferReport = ReturnType<typeof buildOfferReport>;

/** Offer report rows as CSV columns (the header row), names next to ids. */
export const OFFER_REPORT_CSV_COLUMNS = [
  "offerId",
  "offerName",
  "period",
  "start",
  "end",
  "storeId",
  "storeName",
  "storeCode",
  "triggered",
  "sent",
  "heldOut",
  "suppressed",
  "visits",
  "attributedTreated",
  "attributedHoldout",
  "redemptions",
  "visitRateTreated",
  "visitRateHoldout",
  "liftPoints",
  "liftPointsLow",
  "liftPointsHigh",
  "incrementalVisits",
  "incrementalVisitsLow",
  "incrementalVisitsHigh",
  "currency",
  "spend",
  "costPerVisit",
  "costPerAttributedVisit",
  "costPerIncrementalVisit",
  "costPerIncrementalVisitLow",
  "costPerIncrementalVisitHigh",
  "incrementalRevenue",
] as const;

/** A proportion as percentage points with two decimals ("3.25"), empty when null. */
function points(x: number | null | undefined): string | null {
  return x === null || x === undefined ? null : (x * 100).toFixed(2);
}

function sectionCells(s: ReportSection): Record<string, string | number | null> {
  return {
    triggered: s.funnel.triggered,
    sent: s.funnel.sent,
    heldOut: s.funnel.heldOut,
    suppressed: s.funnel.suppressed.total,
    visits: s.funnel.visits,
    attributedTreated: s.funnel.attributedVisits.treated,
    attributedHoldout: s.funnel.attributedVisits.holdout,
    redemptions: s.funnel.redemptions,
    visitRateTreated: points(s.visitRate.treated),
    visitRateHoldout: points(s.visitRate.holdout),
    liftPoints: points(s.lift.absolute),
    liftPointsLow: points(s.lift.absoluteCi?.[0]),
    liftPointsHigh: points(s.lift.absoluteCi?.[1]),
    incrementalVisits: s.incremental.visits,
    incrementalVisitsLow: s.incremental.visitsCi?.[0] ?? null,
    incrementalVisitsHigh: s.incremental.visitsCi?.[1] ?? null,
    currency: s.money?.currency ?? null,
    spend: s.money?.spend ?? null,
    costPerVisit: s.money?.costPerVisit ?? null,
    costPerAttributedVisit: s.money?.costPerAttributedVisit ?? null,
    costPerIncrementalVisit: s.money?.costPerIncrementalVisit.estimate ?? null,
    costPerIncrementalVisitLow: s.money?.costPerIncrementalVisit.ci?.[0] ?? null,
    costPerIncrementalVisitHigh: s.money?.costPerIncrementalVisit.ci?.[1] ?? null,
    incrementalRevenue: s.money?.incrementalRevenue?.estimate ?? null,
  };
}

/**
 * The offer report as RFC 4180 CSV: one line per row, then a `total` line; rates and lift in
 * percentage points, money as decimal strings.
 */
export function offerReportCsv(report: OfferReport): string {
  const lines = [csvLine(OFFER_REPORT_CSV_COLUMNS)];
  const emit = (cells: Record<string, string | number | null | boolean | undefined>) =>
    lines.push(
      csvLine(OFFER_REPORT_CSV_COLUMNS.map((c) => cells[c] as string | number | null | undefined)),
    );
  const base = { offerId: report.offerId, offerName: report.offerName };
  for (const row of report.rows) {
    emit({
      ...base,
      period: row.period ?? null,
      start: row.start ?? report.from,
      end: row.end ?? report.to,
      storeId: row.storeId ?? null,
      storeName: row.storeName ?? null,
      storeCode: row.storeCode ?? null,
      ...sectionCells(row),
    });
  }
  emit({
    ...base,
    period: "total",
    start: report.from,
    end: report.to,
    ...sectionCells(report.totals),
  });
  return lines.join("");
}

// ---------------------------------------------------------------------------------------------
// Offer comparison
// ---------------------------------------------------------------------------------------------

export interface ComparisonOffer {
  offerId: string;
  facts: OfferFactsForReport;
  costs: OfferCosts | null;
  rows: readonly CounterRow[];
}

/**
 * Every offer of the period side by side: offers whose validity (plus attribution window)
 * overlaps the range, deleted ones included and named, each with its key figures. Sorted
 * by sends, most first, then name.
 */
export function buildOfferComparison(input: {
  range: DayRange;
  offers: readonly ComparisonOffer[];
}) {
  const offers = input.offers
    .map((o) => {
      const s = section(addFunnels(...o.rows.map((r) => r.funnel)), o.costs);
      return {
        offerId: o.offerId,
        offerName: o.facts.name,
        state: o.facts.state,
        deletedAt: o.facts.deletedAt,
        validFrom: o.facts.validFrom,
        validTo: o.facts.validTo,
        storeCount: o.facts.storeIds.length,
        holdoutPercent: o.facts.holdoutPercent,
        ...s,
      };
    })
    .sort((a, b) => b.funnel.sent - a.funnel.sent || compare(a.offerName, b.offerName));
  return {
    from: input.range.from,
    to: input.range.to,
    offers,
    method: {
      ...REPORT_METHOD,
      money: MONEY_METHOD,
      offers:
        "Offers valid at some point of the range, or whose attribution window reaches into it (deleted ones included).",
    },
  };
}

export type OfferComparison = ReturnType<typeof buildOfferComparison>;

/** The comparison as CSV: one line per offer. */
export function offerComparisonCsv(report: OfferComparison): string {
  const columns = [
    "offerId",
    "offerName",
    "state",
    "validFrom",
    "validTo",
    ...OFFER_REPORT_CSV_COLUMNS.slice(8),
  ];
  const lines = [csvLine(columns)];
  for (const o of report.offers) {
    const cells: Record<string, string | number | null> = {
      offerId: o.offerId,
      offerName: o.offerName,
      state: o.state,
      validFrom: o.validFrom,
      validTo: o.validTo,
      ...sectionCells(o),
    };
    lines.push(csvLine(columns.map((c) => cells[c])));
  }
  return lines.join("");
}

// ---------------------------------------------------------------------------------------------
// Store report
// ---------------------------------------------------------------------------------------------

export interface StoreReportInput {
  storeId: string;
  store: StoreLabel | null;
  range: DayRange;
  groupBy?: PeriodUnit;
  includeEmpty?: boolean;
  rows: readonly CounterRow[];
  names?: NameBook;
}

function visitsOf(f: Funnel) {
  return {
    visits: f.visits,
    attributedVisits: {
      treated: f.attributedTreated,
      holdout: f.attributedHoldout,
      total: f.attributedTreated + f.attributedHoldout,
    },
  };
}

/**
 * The store report: visits and attributed visits by offer and period (store-local day, ISO week
 * or month; periods without activity only with `includeEmpty`), with per-offer and overall
 * totals and offer names. Every footprint visit is counted once under `offerId: null`
 * (`NO_OFFER`); an offer's row counts the visits attributed to it (so the store's total visits
 * are the `offerId: null` visits, never the sum over offers, which would count attributed
 * visits twice).
 */
export function buildStoreReport(input: StoreReportInput) {
  const names = input.names ?? NO_NAMES;
  const unit = input.groupBy ?? "day";
  const includeEmpty = input.includeEmpty ?? false;
  const offerIdOf = (id: string) => (id === NO_OFFER ? null : id);
  const offerColumns = (id: string) => {
    const offerId = offerIdOf(id);
    const label = offerId === null ? undefined : names.offers.get(offerId);
    return {
      offerId,
      offerName: label?.name ?? null,
      offerDeleted: label?.deletedAt != null,
    };
  };
  const grouped = new Map<
    string,
    { period: string; start: string; end: string; offerId: string; funnels: Funnel[] }
  >();
  for (const r of input.rows) {
    const p = periodOf(r.localDay, unit);
    const key = `${p.period}|${r.offerId}`;
    const entry = grouped.get(key) ?? { ...p, offerId: r.offerId, funnels: [] };
    entry.funnels.push(r.funnel);
    grouped.set(key, entry);
  }
  const periods = periodsOf(input.range, unit);
  const rows = periods.flatMap((p) => {
    const here = [...grouped.values()]
      .filter((g) => g.period === p.period)
      .sort((a, b) => compare(a.offerId, b.offerId))
      .map((g) => ({ funnel: addFunnels(...g.funnels), offerId: g.offerId }))
      .filter((g) => includeEmpty || !isEmpty(g.funnel));
    if (here.length === 0 && includeEmpty) here.push({ funnel: emptyFunnel(), offerId: NO_OFFER });
    return here.map((g) => ({
      period: p.period,
      ...(unit === "day" ? { day: p.period } : {}),
      start: p.start,
      end: p.end,
      ...offerColumns(g.offerId),
      ...visitsOf(g.funnel),
    }));
  });
  const byOffer = new Map<string, Funnel[]>();
  for (const r of input.rows) byOffer.set(r.offerId, [...(byOffer.get(r.offerId) ?? []), r.funnel]);
  const offers = [...byOffer.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([offerId, funnels]) => ({
      ...offerColumns(offerId),
      ...visitsOf(addFunnels(...funnels)),
    }));
  const notes: string[] = [];
  if (input.store === null) {
    notes.push(
      "The store was deleted before deleted stores were kept: its counters are reported without a name.",
    );
  } else if (input.store.deletedAt !== null) {
    notes.push(
      `The store was deleted on ${input.store.deletedAt}; its counters are reported as kept.`,
    );
  }
  return {
    storeId: input.storeId,
    storeName: input.store?.name ?? null,
    storeCode: input.store?.storeCode ?? null,
    store: input.store,
    from: input.range.from,
    to: input.range.to,
    groupBy: unit,
    includeEmpty,
    totals: {
      ...visitsOf(addFunnels(...input.rows.map((r) => r.funnel))),
      visits: input.rows.reduce((n, r) => n + (r.offerId === NO_OFFER ? r.funnel.visits : 0), 0),
    },
    offers,
    rows,
    method: {
      days: REPORT_METHOD.days,
      visits:
        "Every footprint visit counts once under offerId null; totals.visits is that count. An " +
        "offer's visits are the visits attributed to it: the first visit to one of its stores within " +
        "its attribution window after a send (treated) or a holdout decision (holdout). One visit " +
        "can be attributed to several offers.",
    },
    notes,
  };
}

export type StoreReport = ReturnType<typeof buildStoreReport>;
