/**
 * Routes of the merchant's back office: redemption at the till (POS role), the conversion log
 * and the reports (marketing roles).
 */
import { POS_ROLES } from "../../auth/principal.ts";
import { conversionQuerySchema } from "../../domain/reports/conversion-query.ts";
import { journeyReportQuerySchema } from "../../domain/reports/journey-report.ts";
import {
  comparisonQuerySchema,
  offerReportQuerySchema,
  storeReportQuerySchema,
} from "../../domain/reports/report-query.ts";
import { journeyReportSchema } from "../../openapi/journey-views.ts";
import {
  conversionPageSchema,
  offerComparisonSchema,
  offerReportSchema,
  redemptionResultSchema,
  storeReportSchema,
} from "../../openapi/report-views.ts";
import { redemptionInputSchema } from "../../use-cases/redemptions.ts";
import { defineRoute } from "../route-contract.ts";
import { reportRoute } from "./builders.ts";
import { acceptHeader, offerIdPath, problems, storeIdPath, WRITE_PROBLEMS } from "./common.ts";

export const redeemRoute = defineRoute({
  method: "POST",
  path: "/v1/redemptions",
  fn: "redemption-create",
  auth: "jwt",
  rateLimit: 50,
  roles: POS_ROLES,
  operationId: "redeemCode",
  tag: "redemptions",
  summary: "Redeem a code at the till",
  description:
    "A POS of the merchant in the token redeems `{code, storeId}` (or `storeCode`); returns " +
    "the offer title. 404 unknown code or store, 409 reused or offer not live, 410 expired, " +
    "429 (with `Retry-After`) after repeated misses from the till or at the store.",
  bodyLimit: 4 * 1024,
  request: { body: redemptionInputSchema },
  responses: {
    200: { description: "Redeemed", schema: redemptionResultSchema },
    ...problems(...WRITE_PROBLEMS, 404, 409, 410, 429, 503),
  },
});

export const listConversionsRoute = reportRoute({
  path: "/v1/conversions",
  fn: "conversions-list",
  operationId: "listConversions",
  summary: "The footfall conversion log, newest first",
  description:
    "JSON pages with a cursor, or `Accept: text/csv` for every page as CSV. A CSV body stops " +
    "at 100,000 rows or 5 MB; then `x-footfall-truncated: true` and `x-footfall-next-cursor` " +
    "say where to resume. Devices appear only as a pseudonymous `deviceRef`.",
  request: { query: conversionQuerySchema, headers: acceptHeader },
  ok: {
    description: "A page of the log (or CSV)",
    schema: conversionPageSchema,
    csv: true,
    headers: {
      "x-footfall-truncated": "CSV only: true when a cap stopped the export",
      "x-footfall-next-cursor": "CSV only: the cursor to resume from",
    },
  },
});

export const compareOffersRoute = reportRoute({
  path: "/v1/reports/offers",
  fn: "report-offers",
  operationId: "compareOffers",
  summary: "Every offer of a period side by side",
  description:
    "Offers valid at some point of the range (deleted ones included, with their name and " +
    "`state`), each with sends, visit rates, lift and its 95 % interval, incremental visits, " +
    "spend and cost per incremental visit. `Accept: text/csv` gives one line per offer.",
  request: { query: comparisonQuerySchema, headers: acceptHeader },
  ok: { description: "The comparison", schema: offerComparisonSchema, csv: true },
});

export const offerReportRoute = reportRoute({
  path: "/v1/reports/offers/{offerId}",
  fn: "report-offer",
  operationId: "getOfferReport",
  summary: "Funnel, lift, incremental visits and money of one offer",
  description:
    "From the counters only. Rows per store-local day, ISO week, month or store (with names " +
    "and store codes); periods without activity only with `includeEmpty=true`. A deleted " +
    "offer answers with its name and `state: deleted`. `Accept: text/csv` gives the rows.",
  request: { path: offerIdPath, query: offerReportQuerySchema, headers: acceptHeader },
  ok: { description: "The offer report", schema: offerReportSchema, csv: true },
});

export const storeReportRoute = reportRoute({
  path: "/v1/reports/stores/{storeId}",
  fn: "report-store",
  operationId: "getStoreReport",
  summary: "Visits and attributed visits of one store",
  request: { path: storeIdPath, query: storeReportQuerySchema },
  ok: { description: "The store report", schema: storeReportSchema },
});

export const journeyReportRoute = reportRoute({
  path: "/v1/reports/journey",
  // Served by the store report's function: the same counters (the stack's resource budget).
  fn: "report-store",
  operationId: "getJourneyReport",
  summary: "Visitors by journey stage, repeat visits and lapses; an offer's repeat-visit lift",
  description:
    "From the counters only, per merchant (with a row per store) or for one `storeId`: journey " +
    "visits by stage, people entering each stage, repeat-visit rate with its interval, median " +
    "days between visits, lapsed regulars. With `offerId`: its attributed visits that were " +
    "first vs returning, and the lift of sends over holdouts in repeat visits within the " +
    "attribution window and in the 30 days after it, with intervals.",
  request: { query: journeyReportQuerySchema },
  ok: { description: "The journey report", schema: journeyReportSchema },
  notFound: true,
});
