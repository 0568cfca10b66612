import { type DeviceTokenKeys, rotatingDeviceTokenKeys } from "../auth/device-token.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars } from "../config/read-config.ts";

/**
 * The config of device token verification, shared by every function that checks device tokens
 * (the device authorizer, the device routes, and ping-ingest, which verifies them itself).
 */
export const deviceTokenConfigShape = {
  DEVICE_TOKEN_SECRETS: configVars.secret.describe("comma-separated, newest first"),
  /** Lifetime of an issued token (default 180 days). */
  DEVICE_TOKEN_TTL_SECONDS: configVars.seconds(180 * 24 * 3600),
};

/**
 * The token keys following the rotating `DEVICE_TOKEN_SECRETS` (see shared/config/load-secrets.ts):
 * a key prepended or dropped in Secrets Manager applies to warm instances within its max age.
 */
export function deviceTokenKeysFrom(
  config: { DEVICE_TOKEN_TTL_SECONDS: number },
  env: Record<string, string | undefined>,
): DeviceTokenKeys {
  return rotatingDeviceTokenKeys(
    currentSecret(env, "DEVICE_TOKEN_SECRETS"),
    config.DEVICE_TOKEN_TTL_SECONDS,
  );
}
