import "../config/load-secrets.ts";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoMerchantSettingsStore } from "../adapters/dynamo/merchant-settings-store.ts";
import { dynamoOfferStateReader } from "../adapters/dynamo/offer-state-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tablesFromEnv, tableVars } from "../config/table-vars.ts";
import { rotatingCursorCodec } from "../http/cursor.ts";
import type { CatalogDeps, CatalogReadDeps } from "../use-cases/catalog/deps.ts";

/**
 * The catalog's read routes (store and offer reads, listings): the catalog table and the cursor
 * key only. Apart from catalog-deps.ts on purpose: the writers' wiring brings the zone covers
 * (h3-js), the time zone map and the Amazon Location client, none of which a read needs.
 */
export const catalogReadConfigSchema = z.object({
  ...tableVars("catalog"),
  CURSOR_SECRET: configVars.secret,
});

/** Store and offer read dependencies, once per cold start. */
export function catalogReadDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogReadDeps {
  const config = readConfig(catalogReadConfigSchema, env);
  return {
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    cursors: rotatingCursorCodec(currentSecret(env, "CURSOR_SECRET")),
    clock: systemClock,
  };
}

/**
 * What an offer's derived `state` is computed from: budget counters (incentives table), store
 * zones and the merchant's default quiet hours.
 */
export function offerStateDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): Pick<CatalogDeps, "offerStates" | "merchantSettings"> {
  const tables = tablesFromEnv(env, "catalog", "incentives");
  return {
    merchantSettings: dynamoMerchantSettingsStore(documentClient, tables.catalog),
    offerStates: dynamoOfferStateReader(documentClient, tables),
  };
}

/** Offer read dependencies: the catalog reads plus what an offer's state derives from. */
export function offerReadDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogReadDeps {
  return { ...catalogReadDepsFromEnv(env), ...offerStateDepsFromEnv(env) };
}
