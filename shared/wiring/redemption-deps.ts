import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoRedemptionStore } from "../adapters/dynamo/redemption-store.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import { count, countAbuse } from "../metrics.ts";
import { DEFAULT_REDEMPTION_LIMITS, type RedemptionDeps } from "../use-cases/redemptions.ts";

export const redemptionConfigSchema = z.object({
  ...tableVars("catalog", "conversions", "incentives"),
  REDEMPTION_MAX_FAILURES: configVars
    .integer(1, 10_000, DEFAULT_REDEMPTION_LIMITS.maxFailures)
    .describe("Failed attempts per POS identity and window before 429"),
  REDEMPTION_MAX_STORE_FAILURES: configVars
    .integer(1, 100_000, DEFAULT_REDEMPTION_LIMITS.maxStoreFailures)
    .describe("Failed attempts per store (all tills) and window before 429 (alarmed)"),
  REDEMPTION_FAILURE_WINDOW_SECONDS: configVars.seconds(DEFAULT_REDEMPTION_LIMITS.windowMs / 1000),
  CONVERSION_RETENTION_DAYS: configVars.retentionDays,
});

/** Builds the redemption dependencies once per cold start from validated config. */
export function redemptionDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): RedemptionDeps {
  const config = readConfig(redemptionConfigSchema, env);
  const tables = tableNames(config);
  return {
    redemptions: dynamoRedemptionStore(documentClient, tables),
    catalog: dynamoCatalogStore(documentClient, tables.catalog),
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
