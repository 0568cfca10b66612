import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoVisitStore } from "../adapters/dynamo/visit-store.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { DeviceIngestDeps, ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";
import { matchCacheBudgetBytes, ZoneMatcher } from "../use-cases/pings/zone-matcher.ts";
import { deviceTokenConfigShape, deviceTokenKeysFrom } from "./device-token-keys.ts";
import { geoIndexReaderFromConfig } from "./geo-index-reader.ts";
import { pickupTrackerFromEnv } from "./pickup-deps.ts";
import { visitConfigShape, visitRulesFrom } from "./visit-rules.ts";

export const pingConfigSchema = z.object({
  DEVICES_TABLE: configVars.tableName,
  CATALOG_TABLE: configVars.tableName,
  GEO_INDEX_TABLE: configVars.tableName,
  // The device authorizer's keys: POST /v1/pings verifies device tokens itself.
  ...deviceTokenConfigShape,
  MATCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(60),
  /** Cache budget in MB; default a quarter of the function's memory (MATCH_CACHE_MEMORY_SHARE). */
  MATCH_CACHE_MB: z.coerce.number().int().min(1).max(8192).optional(),
  /** Set by Lambda: the function's memory, MB (1024 when absent: local runs and tests). */
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: z.coerce.number().int().min(128).default(1024),
  ...visitConfigShape,
});

/**
 * Builds the ping path's dependencies once per cold start: the cached matcher lives as long as
 * the Lambda instance, which is what makes warm pings in no zone free.
 */
export function pingDepsFromEnv(
  sink: ZoneEventSink,
  env: Record<string, string | undefined> = process.env,
): DeviceIngestDeps {
  const config = readConfig(pingConfigSchema, env);
  const index = geoIndexReaderFromConfig(config);
  const matcher = new ZoneMatcher({
    getCells: (cells) => index.getCells(cells),
    getHeads: (ids) => index.getHeads(ids),
    clock: systemClock,
    ttlMs: config.MATCH_CACHE_TTL_SECONDS * 1000,
    budgetBytes:
      config.MATCH_CACHE_MB !== undefined
        ? config.MATCH_CACHE_MB * 1024 * 1024
        : matchCacheBudgetBytes(config.AWS_LAMBDA_FUNCTION_MEMORY_SIZE),
  });
  const pickups = pickupTrackerFromEnv(matcher, env);
  const visits = dynamoVisitStore(documentClient, config.DEVICES_TABLE);
  return {
    matcher,
    ...(pickups ? { pickups } : {}),
    visits,
    snapshots: visits,
    tokenKeys: deviceTokenKeysFrom(config, env),
    sink,
    clock: systemClock,
    rules: visitRulesFrom(config),
  };
}
