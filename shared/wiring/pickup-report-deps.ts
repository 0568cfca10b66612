import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoFinishedPickups } from "../adapters/dynamo/pickup-store.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { PickupReportDeps } from "../use-cases/reports/pickup-report.ts";

export const pickupReportConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  INCENTIVES_TABLE: configVars.tableName,
});

/** The pickup report's dependencies (ended pickups, store names), built once per cold start. */
export function pickupReportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PickupReportDeps {
  const config = readConfig(pickupReportConfigSchema, env);
  return {
    pickups: dynamoFinishedPickups(documentClient, config.INCENTIVES_TABLE),
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    clock: systemClock,
  };
}
