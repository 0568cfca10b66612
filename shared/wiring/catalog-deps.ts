import "../config/load-secrets.ts";
import { LocationClient } from "@aws-sdk/client-location";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoCatalogStore } from "../adapters/dynamo/catalog-store.ts";
import { dynamoImportJobs } from "../adapters/dynamo/import-jobs.ts";
import { dynamoStorePoints } from "../adapters/dynamo/store-points.ts";
import { amazonLocationGeocoder } from "../adapters/location/geocoder.ts";
import { systemClock, systemRandom } from "../adapters/system.ts";
import { currentSecret } from "../config/load-secrets.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableVars } from "../config/table-vars.ts";
import { memoizedZoneCover } from "../domain/catalog/zones.ts";
import { rotatingCursorCodec } from "../http/cursor.ts";
import type { CatalogDeps } from "../use-cases/catalog/deps.ts";
import type { ImportDeps } from "../use-cases/store-import.ts";
import { geoIndexFromConfig } from "./geo-index.ts";

/**
 * Amazon Location client, once per cold start. Few retries: a merchant waiting on a form is
 * better served by a quick 503 than by a long back-off.
 */
export const locationClient = new LocationClient({ maxAttempts: 2 });

export const catalogConfigSchema = z.object({
  ...tableVars("catalog", "geoIndex"),
  CURSOR_SECRET: configVars.secret,
  PLACE_INDEX_NAME: configVars.optionalString.describe("Amazon Location place index"),
});

/**
 * Builds the catalog use-case dependencies once per cold start from validated config and the
 * module-scope clients.
 */
export function catalogDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): CatalogDeps {
  const config = readConfig(catalogConfigSchema, env);
  const cover = memoizedZoneCover();
  return {
    catalog: dynamoCatalogStore(documentClient, config.CATALOG_TABLE),
    geoIndex: geoIndexFromConfig(config, cover),
    geocoder: amazonLocationGeocoder(locationClient, { placeIndex: config.PLACE_INDEX_NAME }),
    cursors: rotatingCursorCodec(currentSecret(env, "CURSOR_SECRET")),
    storePoints: dynamoStorePoints(documentClient, config.GEO_INDEX_TABLE),
    cover,
    clock: systemClock,
    random: systemRandom,
  };
}

/** Catalog dependencies plus the import job store (import routes and the import worker). */
export function importDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ImportDeps {
  const deps = catalogDepsFromEnv(env);
  const config = readConfig(catalogConfigSchema, env);
  return {
    ...deps,
    geoIndex: geoIndexFromConfig(config, deps.cover),
    storePoints: dynamoStorePoints(documentClient, config.GEO_INDEX_TABLE),
    imports: dynamoImportJobs(documentClient, config.CATALOG_TABLE),
  };
}
