import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoFinishedPickups } from "../adapters/dynamo/pickup-store.ts";
import { systemClock } from "../adapters/system.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import type { PickupReportDeps } from "../use-cases/reports/pickup-report.ts";

/** The pickup report's dependencies (ended pickups, store names), built once per cold start. */
export function pickupReportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): PickupReportDeps {
  const tables = tablesFromEnv(env, "catalog", "incentives");
  const catalog = dynamoCatalogStore(documentClient, tables.catalog);
  return {
    pickups: dynamoFinishedPickups(documentClient, tables.incentives),
    catalog,
    clock: systemClock,
  };
}
