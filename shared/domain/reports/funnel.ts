/**
 * The funnel of an offer at a store on a day: the counters the write side keeps (never the log),
 * read tolerantly from their item and summed exactly over rows, days and stores. Pure.
 */
import { TTV_BUCKET_MINUTES } from "../conversion.ts";

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
  /** Codes claimed online redeemed at a store, and expired unredeemed (apart from the funnel). */
  onlineRedemptions: number;
  onlineExpired: number;
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
  /** Journey attributes of the row (`journeyFieldsOf`; see domain/journey/log.ts). */
  journey?: Record<string, number> | undefined;
}

/**
 * The funnel's headline counts, in the order reports show them (CSV columns included):
 * triggered → sent / held out / suppressed → visits → attributed (treated, holdout) → redeemed.
 */
export const FUNNEL_HEADLINE_FIELDS = [
  "triggered",
  "sent",
  "heldOut",
  "suppressed",
  "visits",
  "attributedTreated",
  "attributedHoldout",
  "redemptions",
] as const;

const SCALAR_FIELDS = [
  ...FUNNEL_HEADLINE_FIELDS,
  "expired",
  "onlineRedemptions",
  "onlineExpired",
  "baskets",
  "basketMinor",
] as const;

const SUPPRESSED_PREFIX = "suppressed_";
const TTV_PREFIX = "ttv_";

/** A counter attribute as a count: missing, malformed or negative values count as 0. */
export function counterCount(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** The counters beside the scalars, in the funnel and in the channel report's touch funnel. */
export interface CounterBreakdowns {
  /** `suppressed_<reason>` counters by reason (reasons never counted are absent). */
  suppressedByReason: Record<string, number>;
  /** `ttv_<bucket>` counters: time to visit per bucket of `TTV_BUCKET_MINUTES`. */
  ttv: number[];
}

/**
 * Reads a counters item's `suppressed_<reason>` and `ttv_<bucket>` attributes into `into`
 * (reasons counted 0 and buckets beyond `into.ttv` are left out).
 */
export function readBreakdowns(
  item: Readonly<Record<string, unknown>>,
  into: CounterBreakdowns,
): void {
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(SUPPRESSED_PREFIX) && name.length > SUPPRESSED_PREFIX.length) {
      const n = counterCount(value);
      if (n > 0) into.suppressedByReason[name.slice(SUPPRESSED_PREFIX.length)] = n;
    } else if (name.startsWith(TTV_PREFIX)) {
      const bucket = Number(name.slice(TTV_PREFIX.length));
      if (Number.isInteger(bucket) && bucket >= 0 && bucket < into.ttv.length) {
        into.ttv[bucket] = counterCount(value);
      }
    }
  }
}

/** Adds `from`'s suppressions by reason and time-to-visit buckets to `into`'s. */
export function addBreakdowns(into: CounterBreakdowns, from: CounterBreakdowns): void {
  for (const [reason, n] of Object.entries(from.suppressedByReason)) {
    into.suppressedByReason[reason] = (into.suppressedByReason[reason] ?? 0) + n;
  }
  from.ttv.forEach((n, i) => {
    if (i < into.ttv.length) into.ttv[i] = (into.ttv[i] ?? 0) + n;
  });
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
    onlineRedemptions: 0,
    onlineExpired: 0,
    baskets: 0,
    basketMinor: 0,
    ttv: TTV_BUCKET_MINUTES.map(() => 0),
  };
}

/**
 * A kind of counters record: scalar counters, the breakdowns beside them (`CounterBreakdowns`)
 * and optionally more the record keeps, read from a counters item and summed.
 */
export interface CounterRecordKind<F extends CounterBreakdowns, K extends string> {
  /** All zeros: the identity of the sum. */
  empty: () => F;
  scalars: readonly K[];
  /** The item attribute holding a scalar. */
  attribute: (scalar: K) => string;
  /** What the record keeps beyond its scalars and breakdowns: how it is read and summed. */
  more?: {
    read: (item: Readonly<Record<string, unknown>>, into: F) => void;
    add: (into: F, from: F) => void;
  };
}

/**
 * Reading and summing one kind of counters record. `fromItem` tolerates absent attributes (the
 * write side only creates the counters an event touched; see `counterCount`); `add` sums
 * records exactly, so rows, days and stores add up to the totals.
 */
export function counterRecords<F extends CounterBreakdowns & Record<K, number>, K extends string>(
  kind: CounterRecordKind<F, K>,
): {
  fromItem: (item: Readonly<Record<string, unknown>>) => F;
  add: (...records: readonly F[]) => F;
} {
  return {
    fromItem(item) {
      const record = kind.empty();
      const scalars = record as Record<K, number>;
      for (const k of kind.scalars) scalars[k] = counterCount(item[kind.attribute(k)]);
      readBreakdowns(item, record);
      kind.more?.read(item, record);
      return record;
    },
    add(...records) {
      const out = kind.empty();
      const sums = out as Record<K, number>;
      for (const r of records) {
        for (const k of kind.scalars) sums[k] += r[k];
        addBreakdowns(out, r);
        kind.more?.add(out, r);
      }
      return out;
    },
  };
}

const funnels = /* @__PURE__ */ counterRecords<Funnel, (typeof SCALAR_FIELDS)[number]>({
  empty: emptyFunnel,
  scalars: SCALAR_FIELDS,
  attribute: (field) => field,
});

/**
 * Reads the funnel out of a counters item (attributes named like the funnel's fields),
 * tolerating absent attributes: the write side only creates the counters an event touched.
 */
export const funnelFromItem: (item: Readonly<Record<string, unknown>>) => Funnel = funnels.fromItem;

/** Sums funnels, so rows, days and stores add up exactly to the totals. */
export const addFunnels: (...funnels: readonly Funnel[]) => Funnel = funnels.add;

/** Whether a funnel counts nothing: every scalar counter is 0 (what report rows leave out unless asked). */
export function isEmptyFunnel(f: Funnel): boolean {
  return SCALAR_FIELDS.every((field) => f[field] === 0);
}
