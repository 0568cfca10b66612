import "../config/load-secrets.ts";
import * as z from "zod";
import { configuredAttestation } from "../adapters/attestation/configured.ts";
import { documentClient, snsClient } from "../adapters/aws-clients.ts";
import { dynamoAppKeyStore } from "../adapters/dynamo/app-key-store.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { dynamoIncentiveEraser } from "../adapters/dynamo/incentive-eraser.ts";
import { dynamoPickupEraser } from "../adapters/dynamo/pickup-store.ts";
import { dynamoRateLimiter } from "../adapters/dynamo/rate-limiter.ts";
import { snsPushRegistry } from "../adapters/sns/push-registry.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { currentSecret, secretEnv } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import { appServerSecret } from "../domain/app-key.ts";
import { countAbuse } from "../metrics.ts";
import { personPseudonym, pseudonymize } from "../privacy.ts";
import { DEFAULT_REGISTRATION_LIMITS, type DeviceDeps } from "../use-cases/devices.ts";
import { deviceTokenConfigShape, deviceTokenKeysFrom } from "./device-token-keys.ts";
import { windowLimitVars } from "./window-limits.ts";

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

const registrationLimits = windowLimitVars(
  DEFAULT_REGISTRATION_LIMITS,
  {
    perAddress: {
      env: "REGISTRATION_LIMIT_PER_ADDRESS",
      max: 1_000_000,
      describe: "Device registrations per source address (IPv6: per /64) and window",
    },
    perApp: {
      env: "REGISTRATION_LIMIT_PER_APP",
      max: 100_000_000,
      describe: "Device registrations per app and window",
    },
  },
  "REGISTRATION_LIMIT_WINDOW_SECONDS",
);

export const deviceConfigSchema = z.object({
  ...tableVars("devices", "catalog"),
  ...deviceTokenConfigShape,
  APNS_PLATFORM_APPLICATION_ARN: platformApplicationArn("APNS|APNS_SANDBOX"),
  FCM_PLATFORM_APPLICATION_ARN: platformApplicationArn("GCM"),
  /** Derives app server secrets and person/address pseudonyms; optional for the other device functions. */
  PSEUDONYM_KEY: configVars.optionalString,
  ...registrationLimits.shape,
  /**
   * Attestation configuration (JSON, see `attestationConfigSchema`) given directly: the local
   * runner and tests. Absent (and no ARN) = attestation off.
   */
  ATTESTATION_CONFIG: configVars.optionalString,
  /** Secrets Manager ARN of the attestation configuration (AWS); read on use, cached. */
  ATTESTATION_CONFIG_ARN: configVars.optionalString,
  /** How long a read attestation configuration is reused before Secrets Manager is asked again. */
  ATTESTATION_CONFIG_MAX_AGE_SECONDS: configVars.seconds(300),
});

/**
 * The attestation port from config: the secret (AWS, Powertools Parameters with a max age) wins
 * over the plain variable (local); neither = undefined (no device is attested).
 */
function attestationFromEnv(config: z.infer<typeof deviceConfigSchema>) {
  const arn = config.ATTESTATION_CONFIG_ARN;
  if (arn) {
    const maxAge = config.ATTESTATION_CONFIG_MAX_AGE_SECONDS;
    return configuredAttestation(() => secretEnv.read(arn, { maxAge, transform: "json" }), fetch);
  }
  const plain = config.ATTESTATION_CONFIG;
  if (plain) return configuredAttestation(async () => plain, fetch);
  return undefined;
}

/**
 * Builds the device use-case dependencies once per cold start from validated config and the
 * module-scope clients. Push endpoints are only managed when a platform application is configured,
 * so a deployment without mobile push never calls SNS from the device functions.
 */
export function deviceDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): DeviceDeps {
  const config = readConfig(deviceConfigSchema, env);
  const pseudonymKey = currentSecret(env, "PSEUDONYM_KEY");
  const pushConfigured =
    config.APNS_PLATFORM_APPLICATION_ARN !== undefined ||
    config.FCM_PLATFORM_APPLICATION_ARN !== undefined;
  return {
    devices: dynamoDeviceStore(documentClient, config.DEVICES_TABLE),
    appKeys: dynamoAppKeyStore(documentClient, config.CATALOG_TABLE),
    tokenKeys: deviceTokenKeysFrom(config, env),
    clock: systemClock,
    random: systemRandom,
    ...(config.PSEUDONYM_KEY
      ? {
          people: {
            serverSecret: (appId: string, generation: number) =>
              appServerSecret(pseudonymKey(), appId, generation),
            personRef: (appId: string, userId: string) =>
              personPseudonym(pseudonymKey(), appId, userId),
            addressRef: (bucket: string) => pseudonymize(pseudonymKey(), bucket, "address"),
          },
          registrationLimiter: dynamoRateLimiter(documentClient, config.DEVICES_TABLE),
          registrationLimits: registrationLimits.from(config),
          onThrottled: () => countAbuse("RegistrationsThrottled"),
        }
      : {}),
    attestation: attestationFromEnv(config),
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

export const eraseConfigSchema = deviceConfigSchema.extend(tableVars("incentives"));

/** The erasure's dependencies: the device deps plus the erasers of the other tables. */
export function eraseDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): DeviceDeps {
  const tables = tableNames(readConfig(eraseConfigSchema, env));
  return {
    ...deviceDepsFromEnv(env),
    erasers: [
      dynamoIncentiveEraser(documentClient, tables),
      dynamoPickupEraser(documentClient, tables),
    ],
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
    tokenKeys: deviceTokenKeysFrom(config, env),
    clock: systemClock,
  };
}
