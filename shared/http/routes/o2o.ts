/**
 * Online-to-offline routes: the merchant's claim links per channel and creative variant, claims
 * and exposures from the app, claims from a web page (the channel report: channel-reports.ts).
 */
import * as z from "zod";
import { CATALOG_READ_ROLES, CATALOG_WRITE_ROLES } from "../../auth/principal.ts";
import { claimInputSchema, linkInputSchema, linkPatchSchema } from "../../domain/o2o/link.ts";
import {
  claimResultSchema,
  exposureResultSchema,
  linkListSchema,
  linkViewSchema,
  webClaimResultSchema,
} from "../../openapi/o2o-views.ts";
import { defineRoute, type RouteAuth, type RouteDefinition } from "../route-contract.ts";
import { offerIdPath, problems, WRITE_PROBLEMS } from "./common.ts";

const linkPath = offerIdPath.extend({
  linkId: z.string().describe("The link id (`lk_…`)"),
});

/**
 * A route of the merchant about an offer's claim links, below `/v1/offers/{offerId}/links`
 * (`subpath` appended): merchant JWT, tag `claims`.
 */
function offerLinksRoute<const R extends Omit<RouteDefinition, "path" | "auth" | "tag">>(
  subpath: string,
  route: R,
) {
  return defineRoute({
    path: `/v1/offers/{offerId}/links${subpath}`,
    auth: "jwt",
    tag: "claims",
    ...route,
  });
}

export const createLinkRoute = offerLinksRoute("", {
  method: "POST",
  fn: "link-create",
  roles: CATALOG_WRITE_ROLES,
  operationId: "createLink",
  summary: "Create a claim link (channel, creative variant)",
  description:
    "A link of the offer for one channel (email, sms, social, web, display, in-app, qr, or " +
    "your own lower-case label) and creative variant. Its `token` (192 random bits) goes into " +
    "the URL or app deep link; the app claims it with POST /v1/claims. `allowWebClaims` lets " +
    "a plain web page claim it (POST /v1/claims/web). Another merchant's offer: 404.",
  bodyLimit: 4 * 1024,
  request: { path: offerIdPath, body: linkInputSchema },
  responses: {
    201: { description: "Created", schema: linkViewSchema },
    ...problems(...WRITE_PROBLEMS, 404, 409),
  },
});

export const listLinksRoute = offerLinksRoute("", {
  method: "GET",
  fn: "link-list",
  roles: CATALOG_READ_ROLES,
  operationId: "listLinks",
  summary: "The offer's claim links, oldest first",
  request: { path: offerIdPath },
  responses: {
    200: { description: "Every link with its state and token", schema: linkListSchema },
    ...problems(401, 403, 404),
  },
});

export const updateLinkRoute = offerLinksRoute("/{linkId}", {
  method: "PATCH",
  fn: "link-update",
  roles: CATALOG_WRITE_ROLES,
  operationId: "updateLink",
  summary: "Pause, resume, relabel or re-date a claim link",
  description: "Paused links answer claims with 409, expired ones with 410.",
  bodyLimit: 4 * 1024,
  request: { path: linkPath, body: linkPatchSchema },
  responses: {
    200: { description: "Updated", schema: linkViewSchema },
    ...problems(...WRITE_PROBLEMS, 404, 409),
  },
});

/**
 * A route that takes a claim link's token (`claimInputSchema`, at most 1 KB) from the app or a
 * web page: POST, answered 200 with `result`, or a problem for each status of `statuses`.
 */
function linkTokenRoute(route: {
  path: string;
  fn: string;
  auth: RouteAuth;
  rateLimit: number;
  operationId: string;
  summary: string;
  description: string;
  result: { description: string; schema: z.ZodType };
  statuses: readonly number[];
}) {
  const { result, statuses, ...rest } = route;
  return defineRoute({
    method: "POST",
    tag: "claims",
    ...rest,
    bodyLimit: 1024,
    request: { body: claimInputSchema },
    responses: { 200: result, ...problems(...statuses) },
  });
}

export const claimLinkRoute = linkTokenRoute({
  path: "/v1/claims",
  fn: "claim-create",
  auth: "device",
  rateLimit: 500,
  operationId: "claimLink",
  summary: "Claim a link from the app",
  description:
    "Assigns the person (asserted user, else the device) once per link with the offer's " +
    "holdout: `granted` with a single-use code (same budget, caps and consent rules as " +
    "geofence sends), `held_out` without incentive, or `suppressed` with the reason (no " +
    "marketing consent → `no_consent`). Re-claiming answers the first decision. 404 unknown " +
    "token, 409 paused link, 410 expired link, 429 past the attempt or guessing limits.",
  result: { description: "The decision", schema: claimResultSchema },
  statuses: [400, 401, 404, 409, 410, 413, 415, 429, 503],
});

export const claimLinkFromWebRoute = linkTokenRoute({
  path: "/v1/claims/web",
  fn: "claim-web",
  auth: "none",
  rateLimit: 100,
  operationId: "claimLinkFromWeb",
  summary: "Claim a link from a web page (no device)",
  description:
    "Links with `allowWebClaims` only (403 otherwise). A code to show at the till, attributed " +
    "by its redemption only (no holdout, no visit attribution) and reported apart. Limited per " +
    "source address (attempts, guesses, and codes per link per day: 429).",
  result: { description: "A code", schema: webClaimResultSchema },
  statuses: [400, 403, 404, 409, 410, 413, 415, 429, 503],
});

export const reportExposureRoute = linkTokenRoute({
  path: "/v1/exposures",
  fn: "exposure-create",
  auth: "device",
  rateLimit: 1000,
  operationId: "reportExposure",
  summary: "Report an in-app exposure (impression) of a link",
  description:
    "Call before showing a link's in-app message or banner. The person's first exposure is " +
    "assigned with the offer's holdout like a claim: `show` is true for treated people and " +
    "false for the control group (a ghost exposure). Later exposures answer the same.",
  result: { description: "Whether to show it", schema: exposureResultSchema },
  statuses: [400, 401, 404, 409, 410, 413, 415, 429],
});
