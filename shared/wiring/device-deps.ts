import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient, snsClient } from "../adapters/aws-clients.ts";
import { dynamoAppKeyStore } from "../adapters/dynamo/app-key-store.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { snsPushRegistry } from "../adapters/sns/push-registry.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { deviceTokenKeys } from "../auth/device-token.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { DeviceDeps } from "../use-cases/devices.ts";

/** An optional SNS platform application ARN of the given platform(s); empty means "push off". */
const platformApplicationArn = (platforms: string) =>
  configVars.optionalString.pipe(
    z
      .string()
      .regex(
        new RegExp(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:app/(${platforms})/[^/]+$`),
        `must be an SNS platform application ARN (${platforms.replaceAll("|", " or ")})`,
      )
      .optional(),
  );

export const deviceConfigSchema = z.object({
  DEVICES_TABLE: configVars.tableName,
  CATALOG_TABLE: configVars.tableName,
  DEVICE_TOKEN_SECRETS: configVars.secret.describe("comma-separated, newest first"),
  DEVICE_TOKEN_TTL_SECONDS: configVars.seconds(180 * 24 * 3600),
  APNS_PLATFORM_APPLICATION_ARN: platformApplicationArn("APNS|APNS_SANDBOX"),
  FCM_PLATFORM_APPLICATION_ARN: platformApplicationArn("GCM"),
});

/**
 * Builds the device use-case dependencies once per cold start from validated config and the
 * module-scope clients. Push endpoints are only managed when a platform application is configured,
 * so a deployment without mobile push never calls SNS from the device functions.
 */
export function deviceDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): DeviceDeps {
  const config = readConfig(deviceConfigSchema, env);
  const pushConfigured =
    config.APNS_PLATFORM_APPLICATION_ARN !== undefined ||
    config.FCM_PLATFORM_APPLICATION_ARN !== undefined;
  return {
    devices: dynamoDeviceStore(documentClient, config.DEVICES_TABLE),
    appKeys: dynamoAppKeyStore(documentClient, config.CATALOG_TABLE),
    tokenKeys: deviceTokenKeys(config.DEVICE_TOKEN_SECRETS, config.DEVICE_TOKEN_TTL_SECONDS),
    clock: systemClock,
    random: systemRandom,
    ...(pushConfigured
      ? {
          push: snsPushRegistry(snsClient, {
            apnsPlatformApplicationArn: config.APNS_PLATFORM_APPLICATION_ARN,
            fcmPlatformApplicationArn: config.FCM_PLATFORM_APPLICATION_ARN,
          }),
        }
      : {}),
  };
}

/**
 * What the device authorizer needs, and nothing more: the device store, the token keys and the
 * clock. Kept apart from `deviceDepsFromEnv` so the authorizer's bundle carries no SNS client
 * (push endpoints are managed by the device routes, never by the authorizer).
 */
export function deviceAuthDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Pick<DeviceDeps, "devices" | "tokenKeys" | "clock"> {
  const config = readConfig(deviceConfigSchema, env);
  return {
    devices: dynamoDeviceStore(documentClient, config.DEVICES_TABLE),
    tokenKeys: deviceTokenKeys(config.DEVICE_TOKEN_SECRETS, config.DEVICE_TOKEN_TTL_SECONDS),
    clock: systemClock,
  };
}
