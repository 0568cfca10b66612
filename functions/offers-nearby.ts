import * as z from "zod";
import { documentClient } from "../shared/adapters/aws-clients.ts";
import { dynamoAudienceStore } from "../shared/adapters/dynamo/audience-store.ts";
import { dynamoCatalogStore } from "../shared/adapters/dynamo/catalog-store.ts";
import { dynamoJourneyStore } from "../shared/adapters/dynamo/journey-store.ts";
import {
  cachedMerchantSettings,
  dynamoMerchantSettingsStore,
} from "../shared/adapters/dynamo/merchant-settings-store.ts";
import { cachedOfferReader } from "../shared/adapters/dynamo/offer-reader.ts";
import { dynamoOfferStateReader } from "../shared/adapters/dynamo/offer-state-reader.ts";
import { dynamoStorePoints } from "../shared/adapters/dynamo/store-points.ts";
import { systemClock } from "../shared/adapters/system.ts";
import { devicePrincipal } from "../shared/auth/principal.ts";
import { configVars, readConfig } from "../shared/config/read-config.ts";
import { http, json } from "../shared/http/middleware.ts";
import { parseWith } from "../shared/http/parse.ts";
import type { HttpEvent, HttpResult } from "../shared/http/types.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { nearbyOffers, nearbyQuerySchema } from "../shared/use-cases/nearby-offers.ts";

const config = readConfig(
  z.object({
    CATALOG_TABLE: configVars.tableName,
    GEO_INDEX_TABLE: configVars.tableName,
    INCENTIVES_TABLE: configVars.tableName,
    DEVICES_TABLE: configVars.tableName,
  }),
);
const deps = {
  points: dynamoStorePoints(documentClient, config.GEO_INDEX_TABLE),
  offers: cachedOfferReader(
    dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    systemClock,
    60_000,
  ),
  clock: systemClock,
  audiences: dynamoAudienceStore(documentClient, config.DEVICES_TABLE),
  journeys: dynamoJourneyStore(documentClient, config.DEVICES_TABLE, systemClock),
  settings: cachedMerchantSettings(
    dynamoMerchantSettingsStore(documentClient, config.CATALOG_TABLE),
    systemClock,
    60_000,
  ),
  budgets: dynamoOfferStateReader(documentClient, {
    catalog: config.CATALOG_TABLE,
    incentives: config.INCENTIVES_TABLE,
  }),
};

/** GET /v1/offers/nearby?lat&lon&radiusM — live offers of stores nearby, nearest first. */
export const handler = lambdaHandler<HttpEvent, HttpResult>()
  .use(http())
  .handler(async (event) => {
    const device = devicePrincipal(event);
    const query = parseWith(nearbyQuerySchema, event.queryStringParameters ?? {});
    const offers = await nearbyOffers(deps, device, query);
    return json(200, { offers }, { "cache-control": "private, max-age=30" });
  });
