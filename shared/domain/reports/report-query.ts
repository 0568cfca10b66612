/**
 * Query strings of the offer, store and comparison reports (zod schemas, with the field named in
 * every refusal).
 */
import * as z from "zod";

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
