import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoMerchantSettingsStore } from "../adapters/dynamo/merchant-settings-store.ts";
import { dynamoOfferStateReader } from "../adapters/dynamo/offer-state-reader.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import type { CatalogDeps } from "../use-cases/catalog/deps.ts";
import { catalogDepsFromEnv } from "./catalog-deps.ts";

export const offerConfigSchema = z.object({
  CATALOG_TABLE: configVars.tableName,
  INCENTIVES_TABLE: configVars.tableName,
});

/**
 * Catalog dependencies of the offer routes that answer with an offer's derived `state`: the
 * catalog ones plus the budget counters (incentives table) and store zones it is computed from.
 */
export function offerDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogDeps {
  const config = readConfig(offerConfigSchema, env);
  return {
    ...catalogDepsFromEnv(env),
    merchantSettings: dynamoMerchantSettingsStore(documentClient, config.CATALOG_TABLE),
    offerStates: dynamoOfferStateReader(documentClient, {
      catalog: config.CATALOG_TABLE,
      incentives: config.INCENTIVES_TABLE,
    }),
  };
}
