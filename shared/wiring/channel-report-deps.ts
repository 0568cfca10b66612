/** Wiring of the channel report function (apart from the claim wiring: no report code there). */
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoTouchReader } from "../adapters/dynamo/touch-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import type { ChannelReportDeps } from "../use-cases/o2o/channel-report.ts";

/** Dependencies of the channel report, built once per cold start. */
export function channelReportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ChannelReportDeps {
  const tables = tablesFromEnv(env, "catalog", "conversions");
  const catalog = dynamoCatalogStore(documentClient, tables.catalog);
  return {
    touches: dynamoTouchReader(documentClient, tables.conversions),
    catalog,
    clock: systemClock,
  };
}
