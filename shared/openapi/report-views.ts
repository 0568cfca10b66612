/**
 * Zod descriptions of what the redemption and reporting API returns: a redeemed code, the
 * conversion log and the offer, comparison and store reports. Report bodies are documented by
 * their stable members; the README lists every figure.
 */
import * as z from "zod";
import { nextCursor } from "./common-views.ts";

const basketViewSchema = z.looseObject({
  amount: z.string().describe("Decimal string, e.g. 42.50"),
  currency: z.string().describe("ISO 4217"),
});

/** `POST /v1/redemptions` answer. */
export const redemptionResultSchema = z
  .object({
    offerId: z.string(),
    title: z.string().describe("What the clerk tells the shopper"),
    incentiveId: z.string().nullable().describe("Null for static codes"),
    redeemedAt: z.iso.datetime(),
    storeId: z.string(),
    codeKind: z.enum(["unique", "static"]),
    basket: basketViewSchema.optional(),
  })
  .describe("A redeemed code");

/** One record of the conversion log as marketing reads it. */
export const conversionViewSchema = z
  .object({
    eventId: z.string(),
    type: z.string().describe("trigger, sent, held_out, suppressed, visit, attributed_visit, …"),
    at: z.iso.datetime(),
    localDay: z.string().describe("YYYY-MM-DD in the store's time zone"),
    offerId: z.string().nullable(),
    offerName: z.string().nullable(),
    storeId: z.string(),
    storeName: z.string().nullable(),
    storeCode: z.string().nullable(),
    deviceRef: z.string().describe("Pseudonymous device reference (never the device id)"),
    incentiveId: z.string().nullable(),
    group: z.enum(["treated", "holdout"]).nullable(),
    reason: z.string().nullable(),
    timeToVisitS: z.number().nullable(),
    trigger: z.enum(["entered", "dwelled", "pickup_arrived"]).nullable(),
    basketAmount: z.string().nullable(),
    basketCurrency: z.string().nullable(),
    channel: z
      .string()
      .nullable()
      .describe(
        "The touch's channel: `geofence` for sends, `pickup` for pickup cross-sells, else the claim link's channel",
      ),
    variant: z.string().nullable().describe("Creative or message variant of the touch"),
    linkId: z.string().nullable().describe("The claim link of a claim or exposure"),
    touch: z.enum(["geofence", "claim", "exposure", "web_claim"]).nullable(),
  })
  .describe("A conversion log record");

export const conversionPageSchema = z
  .object({ items: z.array(conversionViewSchema), nextCursor })
  .describe("A page of the conversion log, newest first");

const funnelViewSchema = z.looseObject({
  triggered: z.number().int(),
  sent: z.number().int(),
  heldOut: z.number().int(),
  suppressed: z.looseObject({
    total: z.number().int(),
    byReason: z.record(z.string(), z.number()),
  }),
  visits: z.number().int(),
  attributedVisits: z.looseObject({ treated: z.number().int(), holdout: z.number().int() }),
  redemptions: z.number().int(),
});

/** A funnel with its rates, lift, incremental visits and money (offer report, comparison). */
const reportSectionSchema = z.looseObject({
  funnel: funnelViewSchema,
  lift: z
    .looseObject({
      confidence: z.number(),
      absolute: z.number().nullable(),
      relative: z.number().nullable(),
    })
    .describe("Absolute and relative lift over the holdout, with 95 % intervals"),
  incremental: z.looseObject({}),
  money: z.looseObject({}).nullable().describe("Null when the offer states no currency"),
});

const reportMethodSchema = z.looseObject({}).describe("How each figure is computed, in words");

/** `GET /v1/reports/offers/{offerId}` answer. */
export const offerReportSchema = z
  .looseObject({
    offerId: z.string(),
    offerName: z.string().nullable(),
    state: z.string(),
    from: z.string(),
    to: z.string(),
    groupBy: z.string(),
    includeEmpty: z.boolean(),
    stores: z.array(z.looseObject({})),
    totals: reportSectionSchema,
    budget: z.looseObject({
      used: z.number().int(),
      max: z.number().int().nullable(),
      remaining: z.number().int().nullable(),
    }),
    rows: z.array(reportSectionSchema),
    method: reportMethodSchema,
    notes: z.array(z.string()),
  })
  .describe("Funnel, lift, incremental visits and money of one offer, in rows");

/** `GET /v1/reports/offers` answer. */
export const offerComparisonSchema = z
  .looseObject({
    from: z.string(),
    to: z.string(),
    offers: z.array(
      reportSectionSchema.extend({
        offerId: z.string(),
        offerName: z.string().nullable(),
        state: z.string(),
      }),
    ),
    method: reportMethodSchema,
  })
  .describe("Every offer of the period side by side");

/** `GET /v1/reports/stores/{storeId}` answer. */
export const storeReportSchema = z
  .looseObject({
    storeId: z.string(),
    storeName: z.string().nullable(),
    storeCode: z.string().nullable(),
    from: z.string(),
    to: z.string(),
    groupBy: z.string(),
    includeEmpty: z.boolean(),
    totals: z.looseObject({ visits: z.number().int() }),
    offers: z.array(z.looseObject({})),
    rows: z.array(z.looseObject({})),
    method: reportMethodSchema,
    notes: z.array(z.string()),
  })
  .describe("Visits and attributed visits of one store");
