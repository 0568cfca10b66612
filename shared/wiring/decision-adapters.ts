import type * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoDecisionStore } from "../adapters/dynamo/decision-store.ts";
import { dynamoJourneyStore } from "../adapters/dynamo/journey-store.ts";
import {
  cachedMerchantSettings,
  dynamoMerchantSettingsStore,
} from "../adapters/dynamo/merchant-settings-store.ts";
import { cachedOfferReader } from "../adapters/dynamo/offer-reader.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";

/**
 * The config every function that decides an incentive reads (zone events, pickup arrivals,
 * online claims and exposures): its four tables, the pseudonym key of device references, the
 * conversion log's retention (days) and the catalog cache's time to live (seconds, 0 to 60).
 */
export const decisionConfigShape = {
  ...tableVars("devices", "catalog", "incentives", "conversions"),
  PSEUDONYM_KEY: configVars.secret,
  CONVERSION_RETENTION_DAYS: configVars.retentionDays,
  CATALOG_CACHE_TTL_SECONDS: configVars.integer(0, 60, 60),
};

/**
 * The adapters every incentive decision goes through, whether a zone event or an online claim or
 * exposure triggers it: offers and merchant settings read through a warm cache of
 * `CATALOG_CACHE_TTL_SECONDS`, the decision store (grants, caps, budget, conversion records) and
 * the devices' journeys.
 */
export function decisionAdapters(config: z.output<z.ZodObject<typeof decisionConfigShape>>) {
  const cacheMs = config.CATALOG_CACHE_TTL_SECONDS * 1000;
  const tables = tableNames(config);
  return {
    offers: cachedOfferReader(
      dynamoCatalogStore(documentClient, tables.catalog),
      systemClock,
      cacheMs,
    ),
    store: dynamoDecisionStore(documentClient, tables),
    journeys: dynamoJourneyStore(documentClient, tables.devices, systemClock),
    settings: cachedMerchantSettings(
      dynamoMerchantSettingsStore(documentClient, tables.catalog),
      systemClock,
      cacheMs,
    ),
  };
}
