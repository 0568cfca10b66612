import { createHash } from "node:crypto";
import {
  type DeviceTokenKeys,
  INVALID_DEVICE_TOKEN,
  issueDeviceToken,
  verifyDeviceToken,
} from "../auth/device-token.ts";
import { type DevicePrincipal, devicePrincipalOf } from "../auth/principal.ts";
import { verifyUserAssertion } from "../auth/user-assertion.ts";
import {
  applyDevicePatch,
  type Device,
  deviceView,
  type RefreshTokenInput,
  type RegisterDeviceInput,
  type UpdateDeviceInput,
} from "../domain/device.ts";
import { addressBucket } from "../domain/source-address.ts";
import { NotFoundError, TooManyRequestsError, UnauthorizedError } from "../errors.ts";
import { logger } from "../logger.ts";
import type { Clock, Random } from "../ports.ts";
import type { AppKeyStore } from "./ports/app-key-store.ts";
import type { DeviceStore } from "./ports/device-store.ts";
import type { RateLimiter } from "./ports/rate-limiter.ts";

/** Keeps a device's push endpoint in step with its token (SNS platform endpoints in AWS). */
export interface PushRegistry {
  /** Returns the endpoint ARN for the device's current token, or undefined when push is off. */
  sync(device: Device): Promise<string | undefined>;
  remove(endpointArn: string): Promise<void>;
}

/** Anything else holding data linked to a device, erased with it. */
export interface DeviceDataEraser {
  eraseDevice(deviceId: string): Promise<number>;
}

/**
 * Keyed derivations over the deployment's pseudonym key: the app's server secret (to verify the
 * assertions its backend signs), a person's pseudonym, and an address's pseudonym for limits.
 */
export interface PersonKeys {
  serverSecret(appId: string, generation: number): string;
  /** Stable, keyed pseudonym of (app, user id): the same person on every install of the app. */
  personRef(appId: string, userId: string): string;
  /** Keyed pseudonym of a source-address bucket (addresses are personal data). */
  addressRef(bucket: string): string;
}

/**
 * Port: checks a platform integrity token (Play Integrity, App Attest) for the app and nonce.
 * Implementations call the platform's verification service; `verified: false` carries why.
 */
export interface AttestationVerifier {
  verify(input: {
    platform: "ios" | "android" | "web";
    token: string;
    nonce: string;
    appId: string;
    nowMs: number;
  }): Promise<AttestationVerdict>;
}

/** What a verifier concluded about one attestation. */
export interface AttestationVerdict {
  verified: boolean;
  reason?: string | undefined;
  /**
   * For a verified proof: its stable identity (App Attest: the key id; Play Integrity: the
   * token) and the epoch ms until which it would verify again. Registration accepts each proof
   * once in that time, so one genuine attestation cannot attest a farm of replayed registrations.
   */
  replay?: { key: string; untilMs: number } | undefined;
}

/** Registration limits per source address (IPv6 by /64) and per app, in fixed windows. */
export interface RegistrationLimits {
  perAddress: number;
  perApp: number;
  windowMs: number;
}

/**
 * Defaults: 20 registrations per address per minute (a carrier NAT shares an address among many
 * phones, so this is far above one shopper and far below a farming script) and 6,000 per app per
 * minute (a launch-day peak of 100/s). Both are config (REGISTRATION_LIMIT_*).
 */
export const DEFAULT_REGISTRATION_LIMITS: RegistrationLimits = {
  perAddress: 20,
  perApp: 6_000,
  windowMs: 60_000,
};

export interface DeviceDeps {
  devices: DeviceStore;
  appKeys: AppKeyStore;
  tokenKeys: DeviceTokenKeys;
  clock: Clock;
  random: Random;
  push?: PushRegistry | undefined;
  erasers?: DeviceDataEraser[];
  /** Needed to accept user assertions and to limit per address; absent = neither. */
  people?: PersonKeys | undefined;
  /** Absent = attestation tokens are not checked and no device counts as attested. */
  attestation?: AttestationVerifier | undefined;
  registrationLimiter?: RateLimiter | undefined;
  registrationLimits?: RegistrationLimits | undefined;
  /** Called when a registration is refused by a limit (metrics, alarmed). */
  onThrottled?: ((scope: "address" | "app") => void) | undefined;
}

function throttled(scope: "address" | "app", windowEnd: number, now: number) {
  const retryAfterSeconds = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  const who = scope === "address" ? "this address" : "this app";
  return new TooManyRequestsError(
    `Too many device registrations from ${who}; retry in ${retryAfterSeconds} s.`,
    { extensions: { retryAfterSeconds, scope } },
  );
}

async function takeRegistrationSlot(
  deps: DeviceDeps,
  scope: "address" | "app",
  id: string,
  now: number,
): Promise<void> {
  const limiter = deps.registrationLimiter;
  if (!limiter) return;
  const limits = deps.registrationLimits ?? DEFAULT_REGISTRATION_LIMITS;
  const start = Math.floor(now / limits.windowMs) * limits.windowMs;
  const end = start + limits.windowMs;
  const limit = scope === "address" ? limits.perAddress : limits.perApp;
  if (!(await limiter.take(`REGISTER#${scope}#${id}`, limit, start, Math.ceil(end / 1000) + 60))) {
    deps.onThrottled?.(scope);
    throw throttled(scope, end, now);
  }
}

/**
 * Registers a device for an app proven by its app key and returns a signed device token; the
 * device id is generated here, never chosen by the client.
 *
 * Abuse resistance, in order: (1) one slot of the source address's window (IPv6 by /64; unknown
 * app keys count too, so keys cannot be guessed at speed) and (2) one of the app's window, else
 * 429 with `Retry-After`; (3) a `userAssertion` must verify against the app's server secret
 * (401 naming `userAssertion` otherwise) and makes the device count as its person for caps and
 * holdouts, with the assertion's `segments` as trusted segments; (4) an `attestation` is checked by
 * the configured verifier and only marks the device attested when it passes (a failed one
 * registers the device unattested: offers with `requireAttestation` skip it), and each verified
 * proof attests one registration only (a replay registers unattested).
 */
export async function registerDevice(
  deps: DeviceDeps,
  appKey: string | undefined,
  input: RegisterDeviceInput,
  request: { sourceIp?: string | undefined } = {},
) {
  const now = deps.clock.now();
  if (deps.people && request.sourceIp) {
    const bucket = deps.people.addressRef(addressBucket(request.sourceIp));
    await takeRegistrationSlot(deps, "address", bucket, now);
  }
  const app = appKey ? await deps.appKeys.find(appKey) : undefined;
  if (!app) throw new UnauthorizedError("A valid x-app-key header is required.");
  await takeRegistrationSlot(deps, "app", app.appId, now);
  let person: { personRef: string; trustedSegments: string[] | undefined } | undefined;
  if (input.userAssertion !== undefined) {
    if (!deps.people || app.secretGeneration === undefined) {
      throw new UnauthorizedError("userAssertion: this app has no server secret", {
        issues: [{ path: "userAssertion", reason: "this app has no server secret" }],
      });
    }
    const asserted = await verifyUserAssertion(
      deps.people.serverSecret(app.appId, app.secretGeneration),
      input.userAssertion,
      { appId: app.appId, nowSeconds: Math.floor(now / 1000) },
    );
    person = {
      personRef: deps.people.personRef(app.appId, asserted.userId),
      trustedSegments: asserted.segments,
    };
  }
  let attested = false;
  if (input.attestation && deps.attestation) {
    const verdict = await deps.attestation.verify({
      platform: input.platform,
      token: input.attestation.token,
      nonce: input.attestation.nonce,
      appId: app.appId,
      nowMs: now,
    });
    attested = verdict.verified;
    if (attested && verdict.replay && deps.registrationLimiter) {
      // One registration per proof: a conditional counter (limit 1) until the proof expires.
      const key = createHash("sha256").update(verdict.replay.key).digest("base64url");
      const untilS = Math.ceil(verdict.replay.untilMs / 1000);
      attested = await deps.registrationLimiter.take(`ATTEST#${key}`, 1, 0, untilS);
      if (!attested) logger.warn("attestation replayed", { platform: input.platform });
    }
    if (!verdict.verified) logger.info("attestation refused", { reason: verdict.reason });
  }
  const nowIso = new Date(now).toISOString();
  let device: Device = {
    deviceId: deps.random.id("dev"),
    appId: app.appId,
    platform: input.platform,
    pushToken: input.pushToken,
    locale: input.locale,
    timeZone: input.timeZone,
    consent: input.consent,
    segments: [...new Set(input.segments ?? [])],
    ...(person ? { personRef: person.personRef } : {}),
    ...(person?.trustedSegments ? { trustedSegments: person.trustedSegments } : {}),
    ...(attested ? { attested: true } : {}),
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
  };
  if (deps.push && device.pushToken && device.consent.marketing) {
    device = { ...device, pushEndpointArn: await deps.push.sync(device) };
  }
  await deps.devices.create(device);
  const { token, expiresAt } = await issueDeviceToken(
    deps.tokenKeys,
    device.deviceId,
    Math.floor(now / 1000),
  );
  return {
    device: deviceView(device),
    token,
    tokenExpiresAt: new Date(expiresAt * 1000).toISOString(),
  };
}

/** Applies consent, token, locale or segment changes to the calling device. */
export async function updateDevice(deps: DeviceDeps, deviceId: string, patch: UpdateDeviceInput) {
  const current = await deps.devices.get(deviceId);
  if (!current) throw new UnauthorizedError("The device is no longer registered.");
  let next = applyDevicePatch(current, patch, new Date(deps.clock.now()).toISOString());
  if (deps.push) {
    const wantsPush = next.pushToken !== undefined && next.consent.marketing;
    if (!wantsPush && current.pushEndpointArn) {
      await deps.push.remove(current.pushEndpointArn);
      next = { ...next, pushEndpointArn: undefined };
    } else if (wantsPush) {
      next = { ...next, pushEndpointArn: await deps.push.sync(next) };
    }
  }
  await deps.devices.replace(next, current.version);
  return deviceView(next);
}

/**
 * The calling device's own record. The authorizer's decision is cached (up to 60 s in AWS), so
 * the profile is read again: an erased device gets 401 here too.
 */
export async function getOwnDevice(deps: Pick<DeviceDeps, "devices">, deviceId: string) {
  const device = await deps.devices.get(deviceId);
  if (!device || device.erasingAt !== undefined) {
    throw new UnauthorizedError("The device is no longer registered.");
  }
  return deviceView(device);
}

/**
 * Issues a fresh device token (full TTL from now) to a device holding a valid one, so an app
 * can refresh before expiry without registering again (which would lose its device id, visits
 * and caps). Earlier tokens keep working until their own expiry, so concurrent requests and a
 * second copy of the app do not break; with `revokeEarlier` they are refused from now on (the
 * authorizer compares their `iat` with the device's `tokensNotBefore`; an API Gateway cached
 * allow lasts at most its 60 s TTL). An erased (or erasing) device gets 401, never a token.
 */
export async function refreshDeviceToken(
  deps: Pick<DeviceDeps, "devices" | "tokenKeys" | "clock">,
  deviceId: string,
  input: RefreshTokenInput,
) {
  const device = await deps.devices.get(deviceId);
  if (!device || device.erasingAt !== undefined) {
    throw new UnauthorizedError("The device is no longer registered.");
  }
  const nowSeconds = Math.floor(deps.clock.now() / 1000);
  if (input.revokeEarlier) {
    const next: Device = {
      ...device,
      tokensNotBefore: nowSeconds,
      version: device.version + 1,
      updatedAt: new Date(deps.clock.now()).toISOString(),
    };
    await deps.devices.replace(next, device.version);
  }
  const { token, expiresAt } = await issueDeviceToken(deps.tokenKeys, deviceId, nowSeconds);
  return { token, tokenExpiresAt: new Date(expiresAt * 1000).toISOString() };
}

/**
 * Erases everything stored for a device (profile, visit state, counters, attribution handles,
 * incentives with their codes, push endpoint). The profile is first marked `erasingAt`, so no
 * write can create anything for the device from then on, even one authorized by a token the API
 * cache still holds; then the other stores are erased, then the partition. A failed erasure can
 * be retried (the profile goes last). Afterwards the token no longer authorizes anything.
 */
export async function eraseDevice(deps: DeviceDeps, deviceId: string) {
  const current = await deps.devices.get(deviceId);
  if (!current) throw new NotFoundError("The device is not registered.");
  if (!(await deps.devices.markErasing(deviceId, deps.clock.now()))) {
    throw new NotFoundError("The device is not registered.");
  }
  if (deps.push && current.pushEndpointArn) await deps.push.remove(current.pushEndpointArn);
  let erased = 0;
  for (const eraser of deps.erasers ?? []) erased += await eraser.eraseDevice(deviceId);
  erased += await deps.devices.erase(deviceId);
  return { erasedItems: erased };
}

/**
 * The device authorizer's decision: the token must verify and the device must still exist, so an
 * erased device's token is refused. Returns the context handlers read with `devicePrincipal`.
 */
export async function authorizeDevice(
  deps: Pick<DeviceDeps, "devices" | "tokenKeys" | "clock">,
  token: string | undefined,
): Promise<DevicePrincipal> {
  const { deviceId, issuedAt } = await verifiedDeviceToken(deps, token);
  const device = admitDevice(await deps.devices.get(deviceId), issuedAt);
  return devicePrincipalOf(device);
}

/**
 * Step one of every device check, pure CPU: the bearer token must be present and verify
 * (signature, issuer, audience, expiry; see `verifyDeviceToken`). Runs before any read, so a
 * flood of missing, forged or expired tokens costs no DynamoDB request.
 *
 * @throws UnauthorizedError "A device bearer token is required." / "The device token expired at
 *   <ISO 8601>; …" (a genuine token past its `exp`) / "The device token is invalid or expired."
 */
export async function verifiedDeviceToken(
  deps: Pick<DeviceDeps, "tokenKeys" | "clock">,
  token: string | undefined,
): Promise<{ deviceId: string; issuedAt: number }> {
  if (!token) throw new UnauthorizedError("A device bearer token is required.");
  return verifyDeviceToken(deps.tokenKeys, token, Math.floor(deps.clock.now() / 1000));
}

/**
 * Step two, on the profile read for the token's device: the device must be registered, not
 * being erased, and the token must not be revoked (issued before `tokensNotBefore`, set by a
 * refresh with `revokeEarlier`). Every refusal is the same 401 as a bad token, so a caller learns
 * nothing about which check failed.
 *
 * @throws UnauthorizedError "The device token is invalid or expired."
 */
export function admitDevice(device: Device | undefined, issuedAt: number): Device {
  if (!device || device.erasingAt !== undefined) {
    throw new UnauthorizedError(INVALID_DEVICE_TOKEN);
  }
  if (device.tokensNotBefore !== undefined && issuedAt < device.tokensNotBefore) {
    throw new UnauthorizedError(INVALID_DEVICE_TOKEN);
  }
  return device;
}
