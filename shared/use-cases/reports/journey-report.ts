/**
 * The journey report of the caller's merchant (or one of its stores) over a period, with an
 * offer's first vs returning visits and repeat-visit lift: counters only, never the log.
 */
import type { MerchantPrincipal } from "../../auth/principal.ts";
import { NO_OFFER } from "../../domain/conversion.ts";
import { localDay } from "../../domain/decision/local-time.ts";
import { resolveDayRange } from "../../domain/reports/day-range.ts";
import {
  buildJourneyReport,
  type JourneyReport,
  type JourneyRow,
  journeyReportQuerySchema,
  type OfferJourneyCounts,
} from "../../domain/reports/journey-report.ts";
import { commonTimeZone, storeLabels } from "./names.ts";
import type { ReportDeps } from "./offer-report.ts";
import { liveOrDeletedOffer, openReport, subjectId, subjectNotFound } from "./report-request.ts";

/**
 * `GET /v1/reports/journey?from&to&storeId&offerId`. Days are store-local; the default range is
 * the last 30 days ending today (in the store's zone, or the merchant's most common one). Lapses
 * count up to today in that zone (UTC when the merchant has no stores left). Another merchant's
 * store or offer is a 404 like a missing one.
 */
export async function getJourneyReport(
  deps: ReportDeps,
  principal: MerchantPrincipal,
  rawQuery: unknown,
): Promise<JourneyReport> {
  const { merchantId, query } = openReport(principal, journeyReportQuerySchema, rawQuery);
  const now = deps.clock.now();
  const storeId = query.storeId === undefined ? null : subjectId("storeId", query.storeId);
  if (storeId !== null) {
    const store = await deps.catalog.getStore(merchantId, storeId);
    if (!store && !(await deps.counters.hasStoreCounters(merchantId, storeId))) {
      throw subjectNotFound("storeId");
    }
  }
  let offerStores: string[] = [];
  if (query.offerId !== undefined) {
    const offerId = subjectId("offerId", query.offerId);
    const offer = await liveOrDeletedOffer(deps.catalog, merchantId, offerId);
    if (!offer && !(await deps.counters.hasOfferCounters(merchantId, offerId))) {
      throw subjectNotFound("offerId");
    }
    offerStores = offer?.storeIds ?? [];
  }
  const labels = await storeLabels(
    deps.catalog,
    merchantId,
    storeId !== null ? [storeId] : offerStores,
  );
  const timeZone = commonTimeZone(labels.values());
  const range = resolveDayRange(query, now, timeZone);
  const counterRows =
    storeId !== null
      ? await deps.counters.storeCounters(merchantId, storeId, range.from, range.to)
      : await deps.counters.offerCounters(merchantId, NO_OFFER, range.from, range.to);
  const rows: JourneyRow[] = counterRows
    .filter((r) => r.offerId === NO_OFFER)
    .map((r) => ({ storeId: r.storeId, localDay: r.localDay, journey: r.journey ?? {} }));
  let offer: ({ offerId: string } & OfferJourneyCounts) | null = null;
  if (query.offerId !== undefined) {
    const offerRows = await deps.counters.offerCounters(
      merchantId,
      query.offerId,
      range.from,
      range.to,
    );
    const journey: Record<string, number> = {};
    const totals = { sent: 0, heldOut: 0, attributedTreated: 0, attributedHoldout: 0 };
    for (const r of offerRows) {
      if (storeId !== null && r.storeId !== storeId) continue;
      totals.sent += r.funnel.sent;
      totals.heldOut += r.funnel.heldOut;
      totals.attributedTreated += r.funnel.attributedTreated;
      totals.attributedHoldout += r.funnel.attributedHoldout;
      for (const [k, n] of Object.entries(r.journey ?? {})) journey[k] = (journey[k] ?? 0) + n;
    }
    offer = { offerId: query.offerId, ...totals, journey };
  }
  return buildJourneyReport({
    range,
    today: localDay(now, timeZone ?? "UTC"),
    storeId,
    rows,
    offer,
  });
}
