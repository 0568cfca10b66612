/**
 * The store report: footprint visits and the visits attributed to each offer, by period. Pure.
 */
import { NO_OFFER } from "../conversion.ts";
import type { DayRange } from "./day-range.ts";
import { addFunnels, type CounterRow, emptyFunnel, type Funnel, isEmptyFunnel } from "./funnel.ts";
import {
  deletionNotes,
  type NameBook,
  NO_NAMES,
  type StoreLabel,
  storeNameColumns,
} from "./name-book.ts";
import { compareCodePoints } from "./order.ts";
import { type PeriodUnit, periodOf, periodsOf } from "./periods.ts";
import { REPORT_METHOD } from "./report-method.ts";

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
      .sort((a, b) => compareCodePoints(a.offerId, b.offerId))
      .map((g) => ({ funnel: addFunnels(...g.funnels), offerId: g.offerId }))
      .filter((g) => includeEmpty || !isEmptyFunnel(g.funnel));
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
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([offerId, funnels]) => ({
      ...offerColumns(offerId),
      ...visitsOf(addFunnels(...funnels)),
    }));
  const notes = deletionNotes("store", input.store);
  return {
    storeId: input.storeId,
    ...storeNameColumns(input.store),
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
