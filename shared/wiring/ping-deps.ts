import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoVisitStore } from "../adapters/dynamo/visit-store.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { decodeZone } from "../domain/geometry/codec.ts";
import { cellsForPoint } from "../domain/geometry/cover.ts";
import { compileZone } from "../domain/geometry/exact.ts";
import { MAX_FUTURE_SKEW_MS, MAX_PING_AGE_MS } from "../domain/ping.ts";
import { resolveVisitRules } from "../domain/visit/rules.ts";
import type { IngestDeps, ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";
import { ZoneMatcher } from "../use-cases/pings/zone-matcher.ts";
import { geoIndexFromConfig } from "./geo-index.ts";

export const pingConfigSchema = z.object({
  DEVICES_TABLE: configVars.tableName,
  CATALOG_TABLE: configVars.tableName,
  GEO_INDEX_TABLE: configVars.tableName,
  MATCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(60),
  MATCH_CACHE_MAX_CELLS: z.coerce.number().int().min(1000).default(200_000),
  VISIT_EXIT_TIMEOUT_SECONDS: configVars.seconds(900),
  VISIT_HYSTERESIS_M: configVars.number(25),
  VISIT_MIN_ACCURACY_FLOOR_M: configVars.number(50),
  VISIT_DRIVE_BY_SPEED_MPS: configVars.number(7),
  VISIT_TELEPORT_SPEED_KMH: configVars.number(300),
});

/**
 * Builds the ping path's dependencies once per cold start: the cached matcher lives as long as
 * the Lambda instance, which is what makes warm pings in no zone free.
 */
export function pingDepsFromEnv(
  sink: ZoneEventSink,
  env: Record<string, string | undefined> = process.env,
): IngestDeps {
  const config = readConfig(pingConfigSchema, env);
  const index = geoIndexFromConfig(config);
  const matcher = new ZoneMatcher({
    getCells: (cells) => index.getCells(cells),
    getHeads: (ids) => index.getHeads(ids),
    cellsForPoint,
    compile: (encoded) => compileZone(decodeZone(encoded)),
    clock: systemClock,
    ttlMs: config.MATCH_CACHE_TTL_SECONDS * 1000,
    maxCells: config.MATCH_CACHE_MAX_CELLS,
  });
  return {
    matcher,
    visits: dynamoVisitStore(documentClient, config.DEVICES_TABLE),
    sink,
    clock: systemClock,
    rules: resolveVisitRules({
      exitTimeoutS: config.VISIT_EXIT_TIMEOUT_SECONDS,
      hysteresisM: config.VISIT_HYSTERESIS_M,
      minAccuracyFloorM: config.VISIT_MIN_ACCURACY_FLOOR_M,
      driveBySpeedMps: config.VISIT_DRIVE_BY_SPEED_MPS,
      teleportSpeedKmh: config.VISIT_TELEPORT_SPEED_KMH,
      // The API rejects pings beyond these bounds; the reducer applies the same ones.
      maxFutureSkewS: MAX_FUTURE_SKEW_MS / 1000,
      maxPingAgeS: MAX_PING_AGE_MS / 1000,
    }),
  };
}
