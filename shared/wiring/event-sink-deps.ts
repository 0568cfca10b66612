import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoAudienceStore } from "../adapters/dynamo/audience-store.ts";
import { systemRandom } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { PLATFORM_QUIET_HOURS } from "../domain/catalog/quiet-hours.ts";
import {
  type IncentiveSinkDeps,
  incentiveSink,
  type PickupArrivalSink,
} from "../use-cases/incentives/incentive-sink.ts";
import type { ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";
import { decisionAdapters, decisionConfigShape } from "./decision-adapters.ts";
import { deviceRefFromEnv } from "./device-ref.ts";

export const sinkConfigSchema = z.object({
  ...decisionConfigShape,
  FATIGUE_CAP_PER_DAY: configVars.integer(1, 100, 3),
});

/**
 * The chain that consumes zone events (incentive decisions with their conversion records, and
 * visits with attribution) and pickup arrivals (cross-sells, decided the same way). Built once
 * per cold start.
 */
export function zoneEventSinkFromEnv(
  env: Record<string, string | undefined> = process.env,
  onOutcome?: IncentiveSinkDeps["onOutcome"],
): ZoneEventSink & PickupArrivalSink {
  const config = readConfig(sinkConfigSchema, env);
  const { offers, store, journeys, settings } = decisionAdapters(config);
  return incentiveSink({
    offers,
    store,
    audiences: dynamoAudienceStore(documentClient, config.DEVICES_TABLE),
    journeys,
    random: systemRandom,
    deviceRef: deviceRefFromEnv(env),
    settings,
    // Quiet hours are per merchant and per offer (merchant settings, offer `quietHours`); this is
    // the platform default for merchants that never set theirs.
    decision: { fatigueCapPerDay: config.FATIGUE_CAP_PER_DAY, quietHours: PLATFORM_QUIET_HOURS },
    retentionDays: config.CONVERSION_RETENTION_DAYS,
    ...(onOutcome ? { onOutcome } : {}),
  });
}
