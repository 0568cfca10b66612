import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoRedemptionStore } from "../adapters/dynamo/redemption-store.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import { count, countAbuse } from "../metrics.ts";
import { DEFAULT_REDEMPTION_LIMITS, type RedemptionDeps } from "../use-cases/redemptions.ts";
import { windowLimitVars } from "./window-limits.ts";

const redemptionLimits = windowLimitVars(
  DEFAULT_REDEMPTION_LIMITS,
  {
    maxFailures: {
      env: "REDEMPTION_MAX_FAILURES",
      max: 10_000,
      describe: "Failed attempts per POS identity and window before 429",
    },
    maxStoreFailures: {
      env: "REDEMPTION_MAX_STORE_FAILURES",
      max: 100_000,
      describe: "Failed attempts per store (all tills) and window before 429 (alarmed)",
    },
  },
  "REDEMPTION_FAILURE_WINDOW_SECONDS",
);

export const redemptionConfigSchema = z.object({
  ...tableVars("catalog", "conversions", "incentives"),
  ...redemptionLimits.shape,
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
    limits: redemptionLimits.from(config),
    retentionDays: config.CONVERSION_RETENTION_DAYS,
    onLockout: (scope) =>
      countAbuse(scope === "store" ? "RedemptionStoreLockouts" : "RedemptionTillLockouts"),
    onRedeemed: () => count("Redemptions"),
  };
}
