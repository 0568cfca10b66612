/** Wiring of the channel report function (apart from the claim wiring: no report code there). */
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoTouchReader } from "../adapters/dynamo/touch-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { ChannelReportDeps } from "../use-cases/o2o/channel-report.ts";

export const channelReportConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  CONVERSIONS_TABLE: configVars.tableName,
});

/** Dependencies of the channel report, built once per cold start. */
export function channelReportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ChannelReportDeps {
  const config = readConfig(channelReportConfigSchema, env);
  return {
    touches: dynamoTouchReader(documentClient, config.CONVERSIONS_TABLE),
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    clock: systemClock,
  };
}
