import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoConversionReader } from "../adapters/dynamo/conversion-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { rotatingCursorCodec } from "../http/cursor.ts";
import type { ConversionLogDeps } from "../use-cases/reports/conversions.ts";
import type { ReportDeps } from "../use-cases/reports/offer-report.ts";

export const reportConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  CONVERSIONS_TABLE: configVars.tableName,
  INCENTIVES_TABLE: configVars.tableName,
});

export const conversionLogConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  CONVERSIONS_TABLE: configVars.tableName,
  INCENTIVES_TABLE: configVars.tableName,
  CURSOR_SECRET: configVars.secret,
});

/**
 * Dependencies of the offer and store reports, built once per cold start: counters and budget
 * (conversions, incentives) plus the catalog for ownership and offer facts.
 */
export function reportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ReportDeps {
  const config = readConfig(reportConfigSchema, env);
  return {
    counters: dynamoConversionReader(documentClient, {
      conversions: config.CONVERSIONS_TABLE,
      incentives: config.INCENTIVES_TABLE,
    }),
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    clock: systemClock,
  };
}

/**
 * Dependencies of the conversion log listing, built once per cold start; the cursor secret
 * signs page positions so they cannot be forged or moved to another tenant.
 */
export function conversionLogDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ConversionLogDeps {
  const config = readConfig(conversionLogConfigSchema, env);
  return {
    log: dynamoConversionReader(documentClient, {
      conversions: config.CONVERSIONS_TABLE,
      incentives: config.INCENTIVES_TABLE,
    }),
    cursors: rotatingCursorCodec(currentSecret(env, "CURSOR_SECRET")),
    names: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
  };
}
