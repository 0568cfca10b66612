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

const sectionSchema = z
  .object({
    visits: z.number().int().describe("Journey visits: a person's first visit of a local day"),
    repeatVisits: z.number().int().describe("Journey visits by people seen before"),
    repeatVisitRate: z.number().nullable(),
    repeatVisitRateCi: interval.describe("Wilson 95 % interval"),
    visitsByStage: z.object({
      new: z.number().int(),
      returning: z.number().int(),
      regular: z.number().int(),
    }),
    entered: z
      .object({
        new: z.number().int(),
        returning: z.number().int(),
        regular: z.number().int(),
        lapsed: z.number().int(),
      })
      .describe("People who entered each stage in the period"),
    lapsed: z.number().int().describe("Regulars who lapsed in the period (up to today)"),
    medianDaysBetweenVisits: z.number().nullable(),
  })
  .describe("Journey figures of a period");

export const journeyReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    storeId: z.string().nullable(),
    journey: sectionSchema,
    stores: z.array(z.object({ storeId: z.string(), journey: sectionSchema })),
    offer: z
      .object({
        offerId: z.string(),
        attributedVisits: z.object({
          treated: z.object({ first: z.number().int(), returning: z.number().int() }),
          holdout: z.object({ first: z.number().int(), returning: z.number().int() }),
        }),
        repeatWithinWindow: repeatLift,
        repeatAfterWindow: repeatLift,
      })
      .nullable(),
    method: z.string(),
  })
  .describe("The visitor journey report");
