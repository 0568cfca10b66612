import * as z from "zod";
import { documentClient, snsClient } from "../adapters/aws-clients.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { dynamoPickupStore } from "../adapters/dynamo/pickup-store.ts";
import { snsPickupChannels } from "../adapters/sns/pickup-channels.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import type { IncentiveSinkDeps } from "../use-cases/incentives/incentive-sink.ts";
import type { PublishDeps } from "../use-cases/pickups/pickups.ts";
import { zoneEventSinkFromEnv } from "./event-sink-deps.ts";

export const pickupPublisherConfigSchema = z.object({
  ...tableVars("devices", "incentives"),
  INCENTIVE_TOPIC_ARN: configVars.topicArn,
});

/**
 * The pickup publisher's dependencies (stream consumer), built once per cold start: the pickup
 * outbox, the topic and push, and the incentive step deciding cross-sells on arrival (offers
 * with trigger `pickup_arrived`), exactly as the ping path decides geofence sends.
 */
export function pickupPublishDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
  onOutcome?: IncentiveSinkDeps["onOutcome"],
): PublishDeps {
  const config = readConfig(pickupPublisherConfigSchema, env);
  const tables = tableNames(config);
  const devices = dynamoDeviceStore(documentClient, tables.devices);
  return {
    pickups: dynamoPickupStore(documentClient, tables),
    channels: snsPickupChannels(snsClient, {
      topicArn: config.INCENTIVE_TOPIC_ARN,
      endpointOf: async (deviceId) => (await devices.get(deviceId))?.pushEndpointArn,
    }),
    crossSell: {
      profiles: { get: (deviceId) => devices.get(deviceId) },
      sink: zoneEventSinkFromEnv(env, onOutcome),
      clock: systemClock,
    },
  };
}
