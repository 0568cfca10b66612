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

/**
 * The adapters every incentive decision goes through, whether a zone event or an online claim or
 * exposure triggers it: offers and merchant settings read through a warm cache of
 * `CATALOG_CACHE_TTL_SECONDS`, the decision store (grants, caps, budget, conversion records) and
 * the devices' journeys.
 */
export function decisionAdapters(config: {
  DEVICES_TABLE: string;
  CATALOG_TABLE: string;
  INCENTIVES_TABLE: string;
  CONVERSIONS_TABLE: string;
  CATALOG_CACHE_TTL_SECONDS: number;
}) {
  const cacheMs = config.CATALOG_CACHE_TTL_SECONDS * 1000;
  return {
    offers: cachedOfferReader(
      dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
      systemClock,
      cacheMs,
    ),
    store: dynamoDecisionStore(documentClient, {
      devices: config.DEVICES_TABLE,
      incentives: config.INCENTIVES_TABLE,
      conversions: config.CONVERSIONS_TABLE,
    }),
    journeys: dynamoJourneyStore(documentClient, config.DEVICES_TABLE, systemClock),
    settings: cachedMerchantSettings(
      dynamoMerchantSettingsStore(documentClient, config.CATALOG_TABLE),
      systemClock,
      cacheMs,
    ),
  };
}
