/**
 * The conversion log as RFC 4180 CSV: the header row and one row per record. Pure.
 */
import type { ConversionView } from "./conversion-view.ts";
import { csvLine } from "./csv.ts";

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

/** The CSV header row of the conversion log. */
export function conversionCsvHeader(): string {
  return csvLine(CONVERSION_CSV_COLUMNS);
}

/** One log record as a CSV row, in `CONVERSION_CSV_COLUMNS` order. */
export function conversionCsvRow(view: ConversionView): string {
  return csvLine(CONVERSION_CSV_COLUMNS.map((c) => view[c]));
}
