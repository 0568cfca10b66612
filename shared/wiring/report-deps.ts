import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoConversionReader } from "../adapters/dynamo/conversion-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tablesFromEnv, tableVars } from "../config/table-vars.ts";
import { rotatingCursorCodec } from "../http/cursor.ts";
import type { ConversionLogDeps } from "../use-cases/reports/conversions.ts";
import type { ReportDeps } from "../use-cases/reports/offer-report.ts";

const REPORT_TABLES = ["catalog", "conversions", "incentives"] as const;

/** The conversion reader and the catalog, which both the reports and the conversion log read. */
function reportAdapters(tables: { catalog: string; conversions: string; incentives: string }) {
  return {
    conversions: dynamoConversionReader(documentClient, tables),
    catalog: dynamoCatalogStore(documentClient, tables.catalog),
  };
}

/**
 * Dependencies of the offer and store reports, built once per cold start: counters and budget
 * (conversions, incentives) plus the catalog for ownership and offer facts.
 */
export function reportDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ReportDeps {
  const { conversions, catalog } = reportAdapters(tablesFromEnv(env, ...REPORT_TABLES));
  return { counters: conversions, catalog, clock: systemClock };
}

/**
 * Dependencies of the conversion log listing, built once per cold start; the cursor secret
 * signs page positions so they cannot be forged or moved to another tenant.
 */
export function conversionLogDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ConversionLogDeps {
  const config = readConfig(
    z.object({ ...tableVars(...REPORT_TABLES), CURSOR_SECRET: configVars.secret }),
    env,
  );
  const { conversions, catalog } = reportAdapters(tableNames(config));
  return {
    log: conversions,
    cursors: rotatingCursorCodec(currentSecret(env, "CURSOR_SECRET")),
    names: catalog,
  };
}
