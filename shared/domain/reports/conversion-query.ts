/**
 * Query string of the conversion log listing: filters, time bounds, page size and cursor (zod
 * schema, with the field named in every refusal).
 */
import * as z from "zod";
import { isCatalogId, OFFER_ID_PREFIX, STORE_ID_PREFIX } from "../catalog/common.ts";
import { CONVERSION_TYPES } from "../conversion.ts";
import { integerQuery } from "../query-number.ts";

/** Largest page of the conversion log. */
export const MAX_LOG_PAGE = 200;
export const DEFAULT_LOG_PAGE = 50;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** An ISO instant (with offset) or a day (UTC midnight), as the log's sort-key prefix. */
const instant = z
  .string()
  .refine(
    (s) =>
      z.iso.datetime({ offset: true }).safeParse(s).success || z.iso.date().safeParse(s).success,
    "must be an ISO 8601 date-time with offset (2026-05-01T10:00:00Z) or a day (2026-05-01)",
  )
  .transform((s, ctx) => {
    const ms = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
    const iso = Number.isFinite(ms) ? new Date(ms).toISOString() : "";
    if (!ISO_INSTANT.test(iso)) {
      ctx.addIssue({ code: "custom", message: "is outside the years 0000–9999" });
      return z.NEVER;
    }
    return iso;
  });

const idFilter = (prefix: string, example: string) =>
  z
    .string()
    .refine((id) => isCatalogId(prefix, id), `must be an id such as ${example}`)
    .optional();

export const conversionQuerySchema = z
  .strictObject({
    offerId: idFilter(OFFER_ID_PREFIX, "of_3Fh…").describe("Only this offer's records"),
    storeId: idFilter(STORE_ID_PREFIX, "st_3Fh…").describe("Only this store's records"),
    type: z
      .enum(CONVERSION_TYPES, { error: `must be one of ${CONVERSION_TYPES.join(", ")}` })
      .optional(),
    from: instant.optional().describe("Earliest event time, inclusive"),
    to: instant.optional().describe("Latest event time, exclusive"),
    cursor: z.string().min(1).max(2048).optional().describe("nextCursor of the previous page"),
    limit: integerQuery()
      .pipe(
        z
          .number()
          .min(1, "must be at least 1")
          .max(MAX_LOG_PAGE, `must be at most ${MAX_LOG_PAGE}`),
      )
      .default(DEFAULT_LOG_PAGE),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to) {
      ctx.addIssue({ code: "custom", message: "must be after from", path: ["to"] });
    }
  });
export type ConversionQuery = z.output<typeof conversionQuerySchema>;
