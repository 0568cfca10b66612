import * as z from "zod";
import type { Role } from "../auth/principal.ts";

/**
 * Merchant audiences: trusted segment memberships a merchant uploads for the people (asserted user
 * ids of an app) and devices it knows, so an offer's `segments` can target "vip" without trusting
 * what a phone says about itself. A membership counts only for the uploading merchant's offers.
 */

/** Who may change audiences: the merchant's admins (as for offers, which audiences gate). */
export const AUDIENCE_WRITE_ROLES: readonly Role[] = ["merchant-admin"];

/** Most members (user ids + device ids) one upload may carry. */
export const MAX_AUDIENCE_MEMBERS_PER_UPLOAD = 1_000;
/** Body limit of an upload: 1,000 ids of up to 200 bytes fit with room to spare. */
export const MAX_AUDIENCE_UPLOAD_BYTES = 256 * 1024;
/** Membership lifetime bounds (days) and default: memberships lapse unless uploaded again. */
export const AUDIENCE_TTL_DAYS = { min: 1, max: 400, default: 90 } as const;

/** The audience name: the segment name offers target (same alphabet as offer `segments`). */
export const audienceNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, "letters, digits, _ . : - only");

const userIdSchema = z
  .string()
  .min(1)
  .max(256)
  .describe("The user id the app's backend asserts for its user (the assertion's `sub`)");

const deviceIdSchema = z
  .string()
  .regex(/^dev_[A-Za-z0-9_-]{16,64}$/, "must be a device id (dev_…) as registration returned it");

/** `POST /v1/audiences/{audience}/members` body. */
export const audienceUploadSchema = z
  .strictObject({
    operation: z
      .enum(["add", "remove"])
      .default("add")
      .describe("`add` (or refresh) the members, or `remove` them"),
    appId: z
      .string()
      .regex(/^app_[A-Za-z0-9_-]{8,64}$/, "must be an app id (app_…)")
      .optional()
      .describe("The app whose user ids `userIds` are; required with `userIds`"),
    userIds: z.array(userIdSchema).max(MAX_AUDIENCE_MEMBERS_PER_UPLOAD).optional(),
    deviceIds: z.array(deviceIdSchema).max(MAX_AUDIENCE_MEMBERS_PER_UPLOAD).optional(),
    expiresInDays: z
      .number()
      .int()
      .min(AUDIENCE_TTL_DAYS.min)
      .max(AUDIENCE_TTL_DAYS.max)
      .default(AUDIENCE_TTL_DAYS.default)
      .describe("Days the added memberships last (default 90); ignored by `remove`"),
  })
  .superRefine((v, ctx) => {
    const users = v.userIds?.length ?? 0;
    const devices = v.deviceIds?.length ?? 0;
    if (users + devices === 0) {
      ctx.addIssue({ code: "custom", path: ["userIds"], message: "give userIds or deviceIds" });
    }
    if (users + devices > MAX_AUDIENCE_MEMBERS_PER_UPLOAD) {
      ctx.addIssue({
        code: "custom",
        path: ["deviceIds"],
        message: `at most ${MAX_AUDIENCE_MEMBERS_PER_UPLOAD} members per upload in all`,
      });
    }
    if (users > 0 && v.appId === undefined) {
      ctx.addIssue({ code: "custom", path: ["appId"], message: "is required with userIds" });
    }
  });
export type AudienceUpload = z.output<typeof audienceUploadSchema>;

/** What an upload answers. */
export interface AudienceUploadResult {
  audience: string;
  operation: "add" | "remove";
  /** Distinct people (user ids) and devices written. */
  people: number;
  devices: number;
  /** When the added memberships lapse (absent for `remove`). */
  expiresAt?: string;
}

/**
 * Key shapes. A membership lives in the partition its subject's caps live in (`capPartition`):
 * `PERSON#<personRef>` for an asserted user, `DEVICE#<deviceId>` for a device (erased with the
 * device). Sort key `AUD#<merchantId>#<audience>`, so one query reads a subject's memberships.
 */
export const audienceKeys = {
  prefix: "AUD#",
  membership: (partition: string, merchantId: string, audience: string) => ({
    pk: partition,
    sk: `AUD#${merchantId}#${audience}`,
  }),
  /** `[merchantId, audience]` back from a sort key (audience names contain no `#`). */
  parse: (sk: string): [string, string] | undefined => {
    const rest = sk.slice("AUD#".length);
    const at = rest.lastIndexOf("#");
    return at > 0 ? [rest.slice(0, at), rest.slice(at + 1)] : undefined;
  },
};

/**
 * Folds memberships into what `decide` takes (`audiences`: merchant → audience names), skipping
 * lapsed ones (DynamoDB TTL deletes expired items only eventually, up to days later).
 */
export function audiencesOf(
  memberships: readonly { merchantId: string; audience: string; expiresAtMs: number }[],
  nowMs: number,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of memberships) {
    if (m.expiresAtMs <= nowMs) continue;
    let set = out.get(m.merchantId);
    if (!set) {
      set = new Set();
      out.set(m.merchantId, set);
    }
    set.add(m.audience);
  }
  return out;
}

/** `POST /v1/audiences/{audience}/members` answer (`AudienceUploadResult`). */
export const audienceUploadResultSchema = z
  .object({
    audience: z.string(),
    operation: z.enum(["add", "remove"]),
    people: z.number().int().min(0).describe("Distinct user ids in the upload"),
    devices: z.number().int().min(0).describe("Distinct device ids in the upload"),
    expiresAt: z.iso.datetime().optional().describe("When added memberships lapse"),
  })
  .describe("What an audience upload wrote");
