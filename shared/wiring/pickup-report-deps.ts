import { dynamoFinishedPickups } from "../adapters/dynamo/pickup-store.ts";
import type { PickupReportDeps } from "../use-cases/reports/pickup-report.ts";
import { catalogReportDeps, type DepsFromEnv } from "./catalog-report.ts";

/** The pickup report's dependencies (ended pickups, store names), built once per cold start. */
export const pickupReportDepsFromEnv: DepsFromEnv<PickupReportDeps> = catalogReportDeps(
  "incentives",
  (client, table) => ({
    pickups: dynamoFinishedPickups(client, table),
  }),
);
