/** Wiring of the channel report function (apart from the claim wiring: no report code there). */
import { dynamoTouchReader } from "../adapters/dynamo/touch-reader.ts";
import type { ChannelReportDeps } from "../use-cases/o2o/channel-report.ts";
import { catalogReportDeps, type DepsFromEnv } from "./catalog-report.ts";

/** Dependencies of the channel report (touch counters, catalog, clock), built once per cold start. */
export const channelReportDepsFromEnv: DepsFromEnv<ChannelReportDeps> = catalogReportDeps(
  "conversions",
  (client, table) => ({
    touches: dynamoTouchReader(client, table),
  }),
);
