/**
 * The offer report: totals, rows per period or per store, incremental visits, money figures, the
 * budget and the method. Pure: the caller passes the counters, names and clock-derived state.
 */
import { ONLINE } from "../conversion.ts";
import type { OfferCosts } from "../money.ts";
import type { DayRange } from "./day-range.ts";
import { addFunnels, type CounterRow, type Funnel, isEmptyFunnel } from "./funnel.ts";
import { deletionNotes, type NameBook, NO_NAMES, storeNameColumns } from "./name-book.ts";
import type { OfferState } from "./offer-state.ts";
import { compareCodePoints } from "./order.ts";
import { type PeriodUnit, periodOf, periodsOf } from "./periods.ts";
import { REPORT_METHOD } from "./report-method.ts";
import { type ReportSection, reportSection } from "./report-section.ts";

export type GroupBy = PeriodUnit | "store";

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

/**
 * A store's id with its name and store code (null when unknown), and whether it is deleted. The
 * row of `ONLINE` ("-") holds codes claimed online that expired at no store.
 */
function storeColumns(storeId: string, names: NameBook) {
  if (storeId === ONLINE) {
    return { storeId, storeName: "Online claims", storeCode: null, storeDeleted: false };
  }
  const label = names.stores.get(storeId);
  return {
    storeId,
    ...storeNameColumns(label),
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
    .filter(({ funnel }) => includeEmpty || !isEmptyFunnel(funnel))
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
  ].sort(compareCodePoints);
  const toSection = (f: Funnel, visits?: number) => reportSection(f, input.costs, visits);
  let rows: OfferReportRow[];
  if (input.groupBy === "store") {
    const byStore = new Map<string, Funnel[]>();
    for (const r of input.rows)
      byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), r.funnel]);
    rows = storeIds
      .map((id) => ({ id, funnel: addFunnels(...(byStore.get(id) ?? [])) }))
      .filter(
        ({ id, funnel }) =>
          includeEmpty || !isEmptyFunnel(funnel) || input.offer?.storeIds.includes(id),
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
  const notes = deletionNotes("offer", input.offer);
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
