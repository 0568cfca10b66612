/**
 * Zod descriptions of what the online-to-offline API returns: claim links, claims, exposures and
 * web claims. Kept apart from the catalog views so the claim and exposure functions do not bundle
 * the catalog's geometry and time-zone modules with their route definitions.
 */
import * as z from "zod";

/** The link a touch came through: its offer and the channel and variant it was made for. */
const viaLink = {
  offerId: z.string(),
  linkId: z.string().describe("lk_…"),
  channel: z.string(),
  variant: z.string(),
};

/** A claim link as returned by the merchant API. */
export const linkViewSchema = z
  .object({
    ...viaLink,
    label: z.string().nullable(),
    token: z
      .string()
      .describe("192 random bits, base64url: put it in the URL or deep link the shopper opens"),
    status: z.enum(["active", "paused"]),
    state: z.enum(["active", "paused", "expired"]).describe("Whether claims are accepted now"),
    expiresAt: z.string().nullable(),
    allowWebClaims: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .describe("A claim link");

export const linkListSchema = z.object({ items: z.array(linkViewSchema) });

export const claimResultSchema = z
  .object({
    claimId: z.string().nullable(),
    ...viaLink,
    outcome: z
      .enum(["granted", "held_out", "suppressed"])
      .describe("granted: a code; held_out: the control group (no incentive); suppressed: refused"),
    reason: z
      .string()
      .nullable()
      .describe(
        "Why a claim was refused: no_consent, budget, cap_total, cap_day, cooldown, not_live, segment",
      ),
    code: z.string().nullable(),
    codeKind: z.enum(["unique", "static"]).nullable(),
    expiresAt: z.string().nullable(),
    title: z.string().nullable(),
    body: z.string().nullable(),
    deepLink: z.string().nullable(),
    notice: z.string().nullable().describe("Text to show instead of an incentive"),
  })
  .describe("The answer to a claim; a re-claim answers the first decision again");

export const exposureResultSchema = z
  .object({
    exposureId: z.string().nullable(),
    ...viaLink,
    outcome: z.enum(["treated", "held_out", "suppressed"]),
    show: z
      .boolean()
      .describe("Show the message only when true (the control group is not shown it)"),
    reason: z.string().nullable(),
    repeat: z.boolean().describe("The person was assigned on an earlier exposure of this link"),
  })
  .describe("The answer to an exposure report");

export const webClaimResultSchema = z
  .object({
    claimId: z.string(),
    ...viaLink,
    code: z.string(),
    codeKind: z.enum(["unique", "static"]),
    expiresAt: z.string().nullable(),
    title: z.string(),
    body: z.string(),
  })
  .describe("A code for a claim from a web page: show it at the till");
