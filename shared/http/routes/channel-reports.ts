/**
 * The channel report routes: claims, exposures and sends by channel and variant, with visits,
 * lift, money and journey figures. Apart from the claim and exposure routes so the device-facing
 * functions do not bundle the report's schemas.
 */
import * as z from "zod";
import { channelReportQuerySchema } from "../../domain/o2o/channel-report.ts";
import { offerJourneySchema } from "../../openapi/journey-views.ts";
import { reportRoute } from "./builders.ts";
import { offerIdPath } from "./common.ts";

/** The channel report as documented: its sections are described in the README. */
const channelReportSchema = z
  .object({
    range: z.object({ from: z.string(), to: z.string() }),
    offerId: z.string().nullable(),
    offerName: z.string().nullable(),
    totals: z.looseObject({ journey: offerJourneySchema }),
    rows: z.array(
      z.looseObject({ channel: z.string(), variant: z.string(), journey: offerJourneySchema }),
    ),
    channels: z.array(z.looseObject({ channel: z.string(), journey: offerJourneySchema })),
    variants: z.array(z.looseObject({ variant: z.string(), journey: offerJourneySchema })),
    acrossOffers: z
      .array(z.looseObject({ channel: z.string(), journey: offerJourneySchema }))
      .nullable(),
    variantComparison: z.array(z.looseObject({ a: z.string(), b: z.string() })),
    method: z.looseObject({}),
  })
  .describe(
    "Touches (claims, exposures, sends), visits, visit rates, lift, credited visits, money, journey (first vs returning visits, repeat-visit lift) and variant tests by channel and variant",
  );

export const channelReportRoute = reportRoute({
  path: "/v1/reports/channels",
  fn: "report-channels",
  operationId: "getChannelReport",
  summary: "Claims, exposures, visits and lift by channel and variant, across offers",
  description:
    "From the touch counters only: per offer × channel × variant, per channel across offers, " +
    "treated vs control visit rates, lift with its 95 % interval, credited visits (last " +
    "touch), redemptions, web claims, time to visit, variant comparisons (two-sample test), " +
    "and per row the journey: attributed visits that were first vs returning, and the lift of " +
    "treated over held-out touches in repeat visits within the attribution window and in the " +
    "30 days after it, with intervals.",
  request: { query: channelReportQuerySchema },
  ok: { description: "The channel report", schema: channelReportSchema },
});

export const offerChannelReportRoute = reportRoute({
  path: "/v1/reports/offers/{offerId}/channels",
  fn: "report-channels",
  operationId: "getOfferChannelReport",
  summary: "The channel report of one offer (with money, journey and variant tests)",
  request: { path: offerIdPath, query: channelReportQuerySchema },
  ok: { description: "The channel report of the offer", schema: channelReportSchema },
});
