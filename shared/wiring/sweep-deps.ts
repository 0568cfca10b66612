import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { dynamoVisitStore } from "../adapters/dynamo/visit-store.ts";
import { systemClock } from "../adapters/system.ts";
import { readConfig } from "../config/read-config.ts";
import { tableVars } from "../config/table-vars.ts";
import type { ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";
import type { SweepDeps } from "../use-cases/pings/sweep-visits.ts";
import { visitConfigShape, visitRulesFrom } from "./visit-rules.ts";

/** The sweeper reads the same visit rules as the ping path, and no geo index. */
export const sweepConfigSchema = z.object({
  ...tableVars("devices"),
  ...visitConfigShape,
});

/** Builds the sweeper's dependencies once per cold start. */
export function sweepDepsFromEnv(
  sink: ZoneEventSink,
  env: Record<string, string | undefined> = process.env,
): SweepDeps {
  const config = readConfig(sweepConfigSchema, env);
  const devices = dynamoDeviceStore(documentClient, config.DEVICES_TABLE);
  return {
    visits: dynamoVisitStore(documentClient, config.DEVICES_TABLE),
    profiles: { get: (deviceId) => devices.get(deviceId) },
    sink,
    rules: visitRulesFrom(config),
    clock: systemClock,
  };
}
