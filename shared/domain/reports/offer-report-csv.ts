/**
 * The offer report as RFC 4180 CSV: rates and lift in percentage points, money as decimal
 * strings. Pure.
 */
import { csvLine } from "./csv.ts";
import { FUNNEL_HEADLINE_FIELDS } from "./funnel.ts";
import type { OfferReport } from "./offer-report.ts";
import type { ReportSection } from "./report-section.ts";

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
  ...FUNNEL_HEADLINE_FIELDS,
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
  "onlineRedemptions",
] as const;

/** A proportion as percentage points with two decimals ("3.25"), empty when null. */
function points(x: number | null | undefined): string | null {
  return x === null || x === undefined ? null : (x * 100).toFixed(2);
}

/** The CSV cells of a report section, by `OFFER_REPORT_CSV_COLUMNS` name. */
export function sectionCells(s: ReportSection): Record<string, string | number | null> {
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
    onlineRedemptions: s.funnel.online.redemptions,
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
