/**
 * Every offer of a period side by side with its key figures, as JSON and CSV. Pure.
 */
import type { OfferCosts } from "../money.ts";
import { csvLine } from "./csv.ts";
import type { DayRange } from "./day-range.ts";
import { addFunnels, type CounterRow } from "./funnel.ts";
import { MONEY_METHOD } from "./money-figures.ts";
import type { OfferFactsForReport } from "./offer-report.ts";
import { OFFER_REPORT_CSV_COLUMNS, sectionCells } from "./offer-report-csv.ts";
import { compareCodePoints } from "./order.ts";
import { REPORT_METHOD } from "./report-method.ts";
import { reportSection } from "./report-section.ts";

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
      const s = reportSection(addFunnels(...o.rows.map((r) => r.funnel)), o.costs);
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
    .sort((a, b) => b.funnel.sent - a.funnel.sent || compareCodePoints(a.offerName, b.offerName));
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
