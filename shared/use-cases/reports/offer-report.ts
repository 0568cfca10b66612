/**
 * Funnel, lift and money report of one offer, and the comparison of every offer of a period,
 * from the counters only (Queries on counter partitions, one read of the budget counter): they
 * never scan the log. Names come from the catalog, or what it kept of deleted stores and offers.
 */

import type { MerchantPrincipal } from "../../auth/principal.ts";
import type { Offer } from "../../domain/catalog/offer.ts";
import { NO_OFFER } from "../../domain/conversion.ts";
import { offerCosts } from "../../domain/money.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import {
  buildOfferComparison,
  type ComparisonOffer,
  type OfferComparison,
} from "../../domain/reports/offer-comparison.ts";
import {
  buildOfferReport,
  type OfferFactsForReport,
  type OfferReport,
} from "../../domain/reports/offer-report.ts";
import { reportOfferState } from "../../domain/reports/offer-state.ts";
import {
  comparisonQuerySchema,
  offerReportQuerySchema,
} from "../../domain/reports/report-query.ts";
import type { Clock } from "../../ports.ts";
import type {
  CatalogReader,
  CatalogStore,
  Deleted,
  DeletedCatalogReader,
} from "../ports/catalog-store.ts";
import type { ConversionReader } from "../ports/conversion-reader.ts";
import { commonTimeZone, nameBook, storeLabels } from "./names.ts";
import {
  liveOrDeletedOffer,
  openReport,
  openSubjectReport,
  subjectNotFound,
} from "./report-request.ts";

export interface ReportDeps {
  counters: ConversionReader;
  catalog: Pick<CatalogReader, "getOffer" | "getStore" | "getStores" | "getOffers"> &
    Pick<CatalogStore, "listOffers"> &
    DeletedCatalogReader;
  clock: Clock;
}

/** Offers read at most for the comparison (100 per page). */
const MAX_OFFER_PAGES = 50;

/**
 * The report's facts of a live or deleted offer; its `state` is the catalog's derived state, read
 * in the time zones of its stores (`stores`, by id) with `sentCount` incentives sent so far.
 */
export function offerFacts(
  offer: Offer | Deleted<Offer>,
  nowMs: number,
  stores: ReadonlyMap<string, { timeZone: string }>,
  sentCount: number,
): OfferFactsForReport {
  const deletedAt = "deletedAt" in offer ? offer.deletedAt : null;
  const zones = offer.storeIds.flatMap((id) => {
    const tz = stores.get(id)?.timeZone;
    return tz ? [tz] : [];
  });
  return {
    name: offer.name,
    title: offer.message.title,
    state: reportOfferState({ ...offer, deletedAt }, zones, nowMs, sentCount),
    deletedAt,
    validFrom: offer.validFrom,
    validTo: offer.validTo,
    storeIds: offer.storeIds,
    holdoutPercent: offer.holdoutPercent,
    attributionWindowHours: offer.attributionWindowHours,
    budgetMax: offer.budget?.maxIncentives ?? null,
    currency: offer.currency ?? null,
    costPerSend: offer.costPerSend ?? null,
    incentiveValue: offer.incentiveValue ?? null,
  };
}

/** Footprint visits (offer `-` counters) of each store over the range. */
async function footfall(
  deps: ReportDeps,
  merchantId: string,
  storeIds: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await Promise.all(
    storeIds.map(async (storeId) => {
      const rows = await deps.counters.storeCounters(merchantId, storeId, from, to);
      out.set(
        storeId,
        rows.reduce((n, r) => n + (r.offerId === NO_OFFER ? r.funnel.visits : 0), 0),
      );
    }),
  );
  return out;
}

/**
 * The report of the caller's offer over `from`..`to` (store-local days, default the last 30
 * ending today in its stores' zone), grouped by day, ISO week, month or store. Another
 * merchant's offer is a 404 like a missing one: the counters are keyed by the caller's
 * merchant id, so they cannot even be read. A deleted offer keeps its report, name and facts.
 */
export async function getOfferReport(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  pathOfferId: string | undefined,
  rawQuery: unknown,
): Promise<OfferReport> {
  const {
    merchantId,
    query,
    id: offerId,
  } = openSubjectReport(principal, offerReportQuerySchema, rawQuery, ["offerId", pathOfferId]);
  const now = deps.clock.now();
  const offer = await liveOrDeletedOffer(deps.catalog, merchantId, offerId);
  if (!offer && !(await deps.counters.hasOfferCounters(merchantId, offerId))) {
    throw subjectNotFound("offerId");
  }
  const ownStores = await storeLabels(deps.catalog, merchantId, offer?.storeIds ?? []);
  const range = resolveDayRange(query, now, commonTimeZone(ownStores.values()));
  const [rows, budgetUsed] = await Promise.all([
    deps.counters.offerCounters(merchantId, offerId, range.from, range.to),
    deps.counters.budgetUsed(offerId),
  ]);
  const storeIds = [...new Set([...(offer?.storeIds ?? []), ...rows.map((r) => r.storeId)])];
  const [names, storeVisits] = await Promise.all([
    nameBook(deps.catalog, merchantId, { storeIds, offerIds: [offerId] }),
    footfall(deps, merchantId, storeIds, range.from, range.to),
  ]);
  return buildOfferReport({
    offerId,
    offer: offer ? offerFacts(offer, now, ownStores, budgetUsed) : null,
    costs: offer ? offerCosts(offer) : null,
    range,
    groupBy: query.groupBy,
    includeEmpty: query.includeEmpty,
    rows,
    budgetUsed,
    names,
    storeVisits,
  });
}

/**
 * Every offer of the caller valid at some point of `from`..`to` (deleted ones included), side
 * by side with its key figures: sends, visit rates, lift, incremental visits, spend and cost
 * per incremental visit. One counters Query per offer; offers that do not overlap the range are
 * not read.
 */
export async function getOfferComparison(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  rawQuery: unknown,
): Promise<OfferComparison> {
  const { merchantId, query } = openReport(principal, comparisonQuerySchema, rawQuery);
  const now = deps.clock.now();
  const offers: (Offer | Deleted<Offer>)[] = [];
  let start: Record<string, string> | undefined;
  for (let page = 0; page < MAX_OFFER_PAGES; page++) {
    const { items, lastKey } = await deps.catalog.listOffers(merchantId, 100, start);
    offers.push(...items);
    if (!lastKey) break;
    start = lastKey;
  }
  offers.push(...(await deps.catalog.listDeletedOffers(merchantId)));
  const allStores = await storeLabels(
    deps.catalog,
    merchantId,
    offers.flatMap((o) => o.storeIds),
  );
  const range = resolveDayRange(query, now, commonTimeZone(allStores.values()));
  // A day range in store-local days; validity is in instants: widen by a day on each side.
  const fromMs = Date.parse(`${range.from}T00:00:00Z`) - 86_400_000;
  const toMs = Date.parse(`${range.to}T00:00:00Z`) + 2 * 86_400_000;
  const overlapping = offers.filter(
    (o) =>
      Date.parse(o.validFrom) < toMs &&
      Date.parse(o.validTo) + o.attributionWindowHours * 3_600_000 > fromMs,
  );
  const compared: ComparisonOffer[] = await Promise.all(
    overlapping.map(async (o) => {
      const [rows, sent] = await Promise.all([
        deps.counters.offerCounters(merchantId, o.offerId, range.from, range.to),
        deps.counters.budgetUsed(o.offerId),
      ]);
      return {
        offerId: o.offerId,
        facts: offerFacts(o, now, allStores, sent),
        costs: offerCosts(o),
        rows,
      };
    }),
  );
  return buildOfferComparison({ range, offers: compared });
}
