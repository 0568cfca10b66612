import "../config/load-secrets.ts";
import { z } from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoAppKeyStore } from "../adapters/dynamo/app-key-store.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { deviceTokenKeys } from "../auth/device-token.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { DeviceDeps } from "../use-cases/devices.ts";

export const deviceConfigSchema = z.object({
  DEVICES_TABLE: configVars.tableName,
  CATALOG_TABLE: configVars.tableName,
  DEVICE_TOKEN_SECRETS: configVars.secret.describe("comma-separated, newest first"),
  DEVICE_TOKEN_TTL_SECONDS: configVars.seconds(180 * 24 * 3600),
});

/**
 * Builds the device use-case dependencies once per cold start from validated config and the
 * module-scope clients.
 */
export function deviceDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): DeviceDeps {
  const config = readConfig(deviceConfigSchema, env);
  return {
    devices: dynamoDeviceStore(documentClient, config.DEVICES_TABLE),
    appKeys: dynamoAppKeyStore(documentClient, config.CATALOG_TABLE),
    tokenKeys: deviceTokenKeys(config.DEVICE_TOKEN_SECRETS, config.DEVICE_TOKEN_TTL_SECONDS),
    clock: systemClock,
    random: systemRandom,
  };
}
