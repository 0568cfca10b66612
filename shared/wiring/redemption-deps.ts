import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoRedemptionStore } from "../adapters/dynamo/redemption-store.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { count, countAbuse } from "../metrics.ts";
import { DEFAULT_REDEMPTION_LIMITS, type RedemptionDeps } from "../use-cases/redemptions.ts";

export const redemptionConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  CONVERSIONS_TABLE: configVars.tableName,
  INCENTIVES_TABLE: configVars.tableName,
  REDEMPTION_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_REDEMPTION_LIMITS.maxFailures)
    .describe("Failed attempts per POS identity and window before 429"),
  REDEMPTION_MAX_STORE_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(DEFAULT_REDEMPTION_LIMITS.maxStoreFailures)
    .describe("Failed attempts per store (all tills) and window before 429 (alarmed)"),
  REDEMPTION_FAILURE_WINDOW_SECONDS: configVars.seconds(DEFAULT_REDEMPTION_LIMITS.windowMs / 1000),
  CONVERSION_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3_650)
    .default(400)
    .describe("Days the conversion log keeps a record (TTL)"),
});

/** Builds the redemption dependencies once per cold start from validated config. */
export function redemptionDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): RedemptionDeps {
  const config = readConfig(redemptionConfigSchema, env);
  return {
    redemptions: dynamoRedemptionStore(documentClient, {
      incentives: config.INCENTIVES_TABLE,
      conversions: config.CONVERSIONS_TABLE,
    }),
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    clock: systemClock,
    random: systemRandom,
    limits: {
      maxFailures: config.REDEMPTION_MAX_FAILURES,
      maxStoreFailures: config.REDEMPTION_MAX_STORE_FAILURES,
      windowMs: config.REDEMPTION_FAILURE_WINDOW_SECONDS * 1000,
    },
    retentionDays: config.CONVERSION_RETENTION_DAYS,
    onLockout: (scope) =>
      countAbuse(scope === "store" ? "RedemptionStoreLockouts" : "RedemptionTillLockouts"),
    onRedeemed: () => count("Redemptions"),
  };
}
