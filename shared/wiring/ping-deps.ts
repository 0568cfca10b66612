import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoVisitStore } from "../adapters/dynamo/visit-store.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { decodeZone } from "../domain/geometry/codec.ts";
import { cellsForPoint } from "../domain/geometry/cover.ts";
import { compileZone } from "../domain/geometry/exact.ts";
import type { IngestDeps, ZoneEventSink } from "../use-cases/pings/ingest-pings.ts";
import { ZoneMatcher } from "../use-cases/pings/zone-matcher.ts";
import { geoIndexFromConfig } from "./geo-index.ts";
import { visitConfigShape, visitRulesFrom } from "./visit-rules.ts";

export const pingConfigSchema = z.object({
  DEVICES_TABLE: configVars.tableName,
  CATALOG_TABLE: configVars.tableName,
  GEO_INDEX_TABLE: configVars.tableName,
  MATCH_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(60).default(60),
  MATCH_CACHE_MAX_CELLS: z.coerce.number().int().min(1000).default(200_000),
  ...visitConfigShape,
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
    rules: visitRulesFrom(config),
  };
}
