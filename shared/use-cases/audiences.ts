import { type MerchantPrincipal, requireRole } from "../auth/principal.ts";
import {
  AUDIENCE_WRITE_ROLES,
  type AudienceUpload,
  type AudienceUploadResult,
  audienceNameSchema,
} from "../domain/audience.ts";
import { capPartition } from "../domain/incentive.ts";
import { ServiceUnavailableError, ValidationError } from "../errors.ts";
import type { Clock } from "../ports.ts";

/** One membership as stored: whose partition, which merchant's audience, until when. */
export interface AudienceMembership {
  merchantId: string;
  audience: string;
  /** Epoch ms at which the membership lapses. */
  expiresAtMs: number;
}

/** Port: reads the memberships of subjects (cap partitions: `PERSON#…` or `DEVICE#…`). */
export interface AudienceReader {
  memberships(partitions: readonly string[]): Promise<AudienceMembership[]>;
}

/** Port: writes memberships (idempotent: a re-upload refreshes the expiry). */
export interface AudienceStore extends AudienceReader {
  add(
    partitions: readonly string[],
    merchantId: string,
    audience: string,
    expiresAtMs: number,
  ): Promise<void>;
  remove(partitions: readonly string[], merchantId: string, audience: string): Promise<void>;
}

export interface AudienceDeps {
  audiences: AudienceStore;
  clock: Clock;
  /** Keyed pseudonym of (app, user id): the same `personRef` registration derives. */
  personRef?: ((appId: string, userId: string) => string) | undefined;
}

/**
 * Adds (or refreshes) or removes members of one of the calling merchant's audiences. Members are
 * named by the app's user id (pseudonymized here with the deployment key exactly as a user
 * assertion is, so the raw id is never stored) or by device id. The merchant comes from the
 * token only; memberships count only for that merchant's offers. Throws ForbiddenError (403)
 * without a role of `AUDIENCE_WRITE_ROLES`, ValidationError (400)
 * naming `audience`, and ServiceUnavailableError (503) when user ids are sent to a deployment
 * without a pseudonym key.
 */
export async function uploadAudienceMembers(
  deps: AudienceDeps,
  principal: MerchantPrincipal,
  audience: string,
  input: AudienceUpload,
): Promise<AudienceUploadResult> {
  requireRole(principal, AUDIENCE_WRITE_ROLES);
  const name = audienceNameSchema.safeParse(audience);
  if (!name.success) {
    throw ValidationError.field("audience", name.error.issues[0]?.message ?? "invalid");
  }
  const userIds = [...new Set(input.userIds ?? [])];
  const deviceIds = [...new Set(input.deviceIds ?? [])];
  if (userIds.length > 0 && !deps.personRef) {
    throw new ServiceUnavailableError(
      "User ids cannot be matched: no pseudonym key is configured.",
    );
  }
  const people = userIds.map((userId) =>
    capPartition({ deviceId: "", personRef: deps.personRef?.(input.appId ?? "", userId) }),
  );
  const devices = deviceIds.map((deviceId) => capPartition({ deviceId }));
  const partitions = [...new Set([...people, ...devices])];
  const result: AudienceUploadResult = {
    audience: name.data,
    operation: input.operation,
    people: userIds.length,
    devices: deviceIds.length,
  };
  if (input.operation === "remove") {
    await deps.audiences.remove(partitions, principal.merchantId, name.data);
    return result;
  }
  const expiresAtMs = deps.clock.now() + input.expiresInDays * 86_400_000;
  await deps.audiences.add(partitions, principal.merchantId, name.data, expiresAtMs);
  return { ...result, expiresAt: new Date(expiresAtMs).toISOString() };
}
