import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoGeoIndex } from "../adapters/dynamo/geo-index.ts";
import { decodeZone } from "../domain/geometry/codec.ts";
import { coverZone } from "../domain/geometry/cover.ts";
import type { ZoneDefinition } from "../domain/zone.ts";

export interface GeoIndexConfig {
  GEO_INDEX_TABLE: string;
  CATALOG_TABLE: string;
}

/**
 * The geofence index adapter on the module-scope client, for writers (catalog writes, the store
 * import, tests seeding zones). `cover` defaults to the geometry module's cover of the stored
 * (decoded) geometry; catalog writers pass a memoized one. Computing covers needs h3-js.
 */
export function geoIndexFromConfig(
  config: GeoIndexConfig,
  cover: (zone: ZoneDefinition) => string[] = (zone) => coverZone(decodeZone(zone.geometry)),
) {
  return dynamoGeoIndex(documentClient, {
    geoTable: config.GEO_INDEX_TABLE,
    catalogTable: config.CATALOG_TABLE,
    cover,
  });
}
