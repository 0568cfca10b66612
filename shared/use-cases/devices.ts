import type { AppKeyStore } from "../adapters/dynamo/app-key-store.ts";
import type { DeviceStore } from "../adapters/dynamo/device-store.ts";
import { type DeviceTokenKeys, issueDeviceToken, verifyDeviceToken } from "../auth/device-token.ts";
import type { DevicePrincipal } from "../auth/principal.ts";
import {
  applyDevicePatch,
  type Device,
  deviceView,
  type RefreshTokenInput,
  type RegisterDeviceInput,
  type UpdateDeviceInput,
} from "../domain/device.ts";
import { NotFoundError, UnauthorizedError } from "../errors.ts";
import type { Clock, Random } from "../ports.ts";

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

export interface DeviceDeps {
  devices: DeviceStore;
  appKeys: AppKeyStore;
  tokenKeys: DeviceTokenKeys;
  clock: Clock;
  random: Random;
  push?: PushRegistry | undefined;
  erasers?: DeviceDataEraser[];
}

/**
 * Registers a device for an app proven by its app key and returns a signed device token; the
 * device id is generated here, never chosen by the client.
 */
export async function registerDevice(
  deps: DeviceDeps,
  appKey: string | undefined,
  input: RegisterDeviceInput,
) {
  const app = appKey ? await deps.appKeys.find(appKey) : undefined;
  if (!app) throw new UnauthorizedError("A valid x-app-key header is required.");
  const now = deps.clock.now();
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
    openZones: 0,
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
 * Erases everything stored for a device (profile, visit state, counters, incentive links, push
 * endpoint). Afterwards its token no longer authorizes anything because the profile is gone.
 */
export async function eraseDevice(deps: DeviceDeps, deviceId: string) {
  const current = await deps.devices.get(deviceId);
  if (!current) throw new NotFoundError("The device is not registered.");
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
  if (!token) throw new UnauthorizedError("A device bearer token is required.");
  const { deviceId, issuedAt } = await verifyDeviceToken(
    deps.tokenKeys,
    token,
    Math.floor(deps.clock.now() / 1000),
  );
  const device = await deps.devices.get(deviceId);
  if (!device) throw new UnauthorizedError("The device token is invalid or expired.");
  // Revoked by a refresh with `revokeEarlier`: same 401 as any other refused token.
  if (device.tokensNotBefore !== undefined && issuedAt < device.tokensNotBefore) {
    throw new UnauthorizedError("The device token is invalid or expired.");
  }
  return {
    deviceId,
    consentLocation: device.consent.location,
    consentMarketing: device.consent.marketing,
    timeZone: device.timeZone,
    segments: device.segments,
    platform: device.platform,
    openZones: device.openZones ?? 0,
  };
}
