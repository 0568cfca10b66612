/**
 * Claim links: how an offer reaches shoppers online. A merchant creates, per offer, links tagged
 * with a channel (e-mail, SMS, social, web, display, in-app, QR, or its own label) and a creative
 * variant; each link carries an unguessable token the merchant puts in a URL or an app deep link.
 * The app claims (or reports an exposure of) the link with the token; a plain web page can claim
 * it without a device when the link allows it.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { displayText } from "../text.ts";

/** The standard channels; any other lower-case label is the merchant's own channel. */
export const STANDARD_CHANNELS = [
  "email",
  "sms",
  "social",
  "web",
  "display",
  "in-app",
  "qr",
] as const;

/** The channel geofence sends are reported under (not available for links). */
export const GEOFENCE_CHANNEL = "geofence";

/** The channel pickup cross-sells (offers firing on a pickup order's arrival) are reported under. */
export const PICKUP_CHANNEL = "pickup";

/** Variant of geofence sends of an offer that defines no message variants. */
export const DEFAULT_VARIANT = "default";

/** Bytes of randomness in a link token: 192 bits, above the 128 bits OWASP asks for. */
export const LINK_TOKEN_BYTES = 24;

/** A link token as it appears in URLs: base64url of `LINK_TOKEN_BYTES` bytes. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Links per offer. */
export const MAX_LINKS_PER_OFFER = 200;

export const channelSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,31}$/,
    "must be a channel: email, sms, social, web, display, in-app, qr, or your own lower-case label (letters, digits, dashes; up to 32)",
  )
  .refine((c) => c !== GEOFENCE_CHANNEL, `"${GEOFENCE_CHANNEL}" is reserved for geofence sends`)
  .refine((c) => c !== PICKUP_CHANNEL, `"${PICKUP_CHANNEL}" is reserved for pickup cross-sells`)
  .describe(
    `Channel of the link: ${STANDARD_CHANNELS.join(", ")}, or the merchant's own lower-case label`,
  );

export const variantIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
    "must be 1–40 letters, digits, dots, dashes or underscores, starting with a letter or digit",
  );

export const linkTokenSchema = z
  .string({ error: "must be a link token" })
  .regex(LINK_TOKEN_PATTERN, "must be a link token (32 base64url characters)");

/** Body of a claim, a web claim and an exposure report. */
export const claimInputSchema = z
  .strictObject({ token: linkTokenSchema.describe("The claim link's token") })
  .describe("A claim (or exposure) of a claim link");

export const linkInputSchema = z
  .strictObject({
    channel: channelSchema,
    variant: variantIdSchema.describe("The creative variant this link carries (your label)"),
    label: displayText({ min: 1, max: 120 })
      .optional()
      .describe('Free text for your own bookkeeping, e.g. "November newsletter, hero banner"'),
    expiresAt: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 instant" })
      .optional()
      .describe(
        "After this instant claims of the link are refused (410); omit for the offer's life",
      ),
    allowWebClaims: z
      .boolean()
      .optional()
      .describe(
        "Accept claims from a plain web page without a device (code shown at the till; attributed by redemption only). Default false",
      ),
  })
  .describe("A claim link of an offer: channel, creative variant, optional expiry");
export type LinkInput = z.output<typeof linkInputSchema>;

export const linkPatchSchema = z
  .strictObject({
    status: z.enum(["active", "paused"]).optional().describe("Pause or resume the link"),
    expiresAt: z.iso
      .datetime({ offset: true, error: "must be an ISO 8601 instant" })
      .nullable()
      .optional()
      .describe("New expiry; null removes it"),
    label: displayText({ min: 1, max: 120 }).nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, "must change at least one member")
  .describe("Changes to a claim link");
export type LinkPatch = z.output<typeof linkPatchSchema>;

/** A claim link as stored (catalog table). */
export interface Link {
  merchantId: string;
  offerId: string;
  linkId: string;
  channel: string;
  variant: string;
  label?: string | undefined;
  /** The secret token; the lookup item stores only its SHA-256. */
  token: string;
  status: "active" | "paused";
  /** UTC ISO instant after which claims are refused. */
  expiresAt?: string | undefined;
  allowWebClaims: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Whether the link accepts claims now: `active`, or why not. */
export type LinkState = "active" | "paused" | "expired";

export function linkState(link: Pick<Link, "status" | "expiresAt">, nowMs: number): LinkState {
  if (link.expiresAt !== undefined && Date.parse(link.expiresAt) <= nowMs) return "expired";
  return link.status;
}

/** A fresh token from `LINK_TOKEN_BYTES` random bytes (base64url, no padding). */
export function newLinkToken(bytes: (n: number) => Uint8Array): string {
  return Buffer.from(bytes(LINK_TOKEN_BYTES)).toString("base64url");
}

/**
 * SHA-256 of a token (base64url): the lookup key, so a read of the table does not hand out
 * claimable tokens of every merchant.
 */
export function linkTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** Catalog keys of links: per offer, and the token lookup. */
export const linkKeys = {
  link: (merchantId: string, offerId: string, linkId: string) => ({
    pk: `LINKS#${merchantId}#${offerId}`,
    sk: `LINK#${linkId}`,
  }),
  offerPartition: (merchantId: string, offerId: string) => `LINKS#${merchantId}#${offerId}`,
  token: (tokenHash: string) => ({ pk: `LINKTOKEN#${tokenHash}`, sk: "LINKTOKEN" }),
};

/** The link as the merchant API returns it. */
export function linkView(link: Link, nowMs: number) {
  return {
    linkId: link.linkId,
    offerId: link.offerId,
    channel: link.channel,
    variant: link.variant,
    label: link.label ?? null,
    token: link.token,
    status: link.status,
    state: linkState(link, nowMs),
    expiresAt: link.expiresAt ?? null,
    allowWebClaims: link.allowWebClaims,
    createdAt: link.createdAt,
    updatedAt: link.updatedAt,
    version: link.version,
  };
}
export type LinkView = ReturnType<typeof linkView>;
