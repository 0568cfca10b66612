/** Zod description of the journey report (`GET /v1/reports/journey`). */
import * as z from "zod";

const interval = z.tuple([z.number(), z.number()]).nullable();

const liftSchema = z
  .object({
    confidence: z.number(),
    treatedRate: z.number().nullable(),
    holdoutRate: z.number().nullable(),
    absoluteLift: z.number().nullable(),
    absoluteCi: interval,
    relativeLift: z.number().nullable(),
    relativeCi: interval,
    zScore: z.number().nullable(),
    pValue: z.number().nullable(),
    method: z.string(),
    note: z.string().nullable(),
  })
  .describe("Treated vs holdout rates, lift and intervals");

const group = z.object({ n: z.number().int(), repeaters: z.number().int() });
const repeatLift = z.object({ treated: group, holdout: group, lift: liftSchema });

/** A count per journey stage a visit can be in. */
const stageCounts = z.object({
  new: z.number().int(),
  returning: z.number().int(),
  regular: z.number().int(),
});

const sectionSchema = z
  .object({
    visits: z.number().int().describe("Journey visits: a person's first visit of a local day"),
    repeatVisits: z.number().int().describe("Journey visits by people seen before"),
    repeatVisitRate: z.number().nullable(),
    repeatVisitRateCi: interval.describe("Wilson 95 % interval"),
    visitsByStage: stageCounts,
    entered: stageCounts
      .extend({ lapsed: z.number().int() })
      .describe("People who entered each stage in the period"),
    lapsed: z.number().int().describe("Regulars who lapsed in the period (up to today)"),
    medianDaysBetweenVisits: z.number().nullable(),
  })
  .describe("Journey figures of a period");

const firstReturning = z.object({ first: z.number().int(), returning: z.number().int() });

/**
 * An offer's (or a channel's, a variant's) journey figures: attributed visits that were first vs
 * returning, and the repeat-visit lift of treated over held out within the attribution window
 * and in the 30 days after it.
 */
export const offerJourneySchema = z
  .object({
    attributedVisits: z
      .object({ treated: firstReturning, holdout: firstReturning })
      .describe(
        "Attributed visits that were the person's first visit to the merchant, and the rest",
      ),
    repeatWithinWindow: repeatLift.describe(
      "Treated vs held out (n = sends or touches of each group) whose person came back on a later day within the attribution window",
    ),
    repeatAfterWindow: repeatLift.describe(
      "Treated vs held out whose person came back in the 30 days after the attribution window",
    ),
  })
  .describe("First vs returning attributed visits and the repeat-visit lift");

export const journeyReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    storeId: z.string().nullable(),
    journey: sectionSchema,
    days: z
      .array(
        z.object({
          day: z.string(),
          visits: z.number().int(),
          repeatVisits: z.number().int(),
          entered: z.object({
            new: z.number().int(),
            returning: z.number().int(),
            regular: z.number().int(),
            lapsed: z.number().int(),
          }),
        }),
      )
      .describe("Every day of the period: journey visits and people entering each stage"),
    stores: z.array(z.object({ storeId: z.string(), journey: sectionSchema })),
    offer: offerJourneySchema.extend({ offerId: z.string() }).nullable(),
    method: z.string(),
  })
  .describe("The visitor journey report");
