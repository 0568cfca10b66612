/**
 * Query strings of the offer, store and comparison reports (zod schemas, with the field named in
 * every refusal).
 */
import * as z from "zod";
import { reportRange } from "./day-range.ts";

/** `must be "a", "b" or "c"`: the refusal of a query enum, naming every accepted value. */
function mustBeOneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `"${v}"`);
  return `must be ${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** A query enum whose refusal names every accepted value. */
function queryEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: mustBeOneOf(values) });
}

const includeEmpty = queryEnum(["true", "false"])
  .default("false")
  .transform((v) => v === "true")
  .describe("Also list periods without any activity (default false: they are omitted)");

/**
 * A report query grouping rows by one of `units` (default day), over `reportRange`, with or
 * without empty periods.
 */
function groupedQuery<const T extends readonly ["day", ...string[]]>(units: T, rows: string) {
  return z.strictObject({
    ...reportRange,
    groupBy: queryEnum(units)
      .default("day" as T[number])
      .describe(rows),
    includeEmpty,
  });
}

export const offerReportQuerySchema = groupedQuery(
  ["day", "week", "month", "store"],
  "Rows per store-local day, ISO week (Monday–Sunday), calendar month, or store",
);
export type OfferReportQuery = z.output<typeof offerReportQuerySchema>;

export const storeReportQuerySchema = groupedQuery(
  ["day", "week", "month"],
  "Rows per store-local day, ISO week (Monday–Sunday) or calendar month",
);
export type StoreReportQuery = z.output<typeof storeReportQuerySchema>;

export const comparisonQuerySchema = z.strictObject(reportRange);
export type ComparisonQuery = z.output<typeof comparisonQuerySchema>;
