import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoMerchantSettingsStore } from "../adapters/dynamo/merchant-settings-store.ts";
import { dynamoOfferStateReader } from "../adapters/dynamo/offer-state-reader.ts";
import { tablesFromEnv } from "../config/table-vars.ts";
import type { CatalogDeps } from "../use-cases/catalog/deps.ts";
import { catalogDepsFromEnv } from "./catalog-deps.ts";

/**
 * Catalog dependencies of the offer routes that answer with an offer's derived `state`: the
 * catalog ones plus the budget counters (incentives table) and store zones it is computed from.
 */
export function offerDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogDeps {
  const tables = tablesFromEnv(env, "catalog", "incentives");
  return {
    ...catalogDepsFromEnv(env),
    merchantSettings: dynamoMerchantSettingsStore(documentClient, tables.catalog),
    offerStates: dynamoOfferStateReader(documentClient, tables),
  };
}
