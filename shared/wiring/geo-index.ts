import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoGeoIndex } from "../adapters/dynamo/geo-index.ts";
import { decodeZone } from "../domain/geometry/codec.ts";
import { coverZone } from "../domain/geometry/cover.ts";
import type { ZoneDefinition } from "../domain/zone.ts";

/**
 * The geofence index adapter on the module-scope client: the one construction the ping path,
 * catalog writes and tests share. `cover` defaults to the geometry module's cover of the stored
 * (decoded) geometry; catalog writers pass a memoized one.
 */
export function geoIndexFromConfig(
  config: { GEO_INDEX_TABLE: string; CATALOG_TABLE: string },
  cover: (zone: ZoneDefinition) => string[] = (zone) => coverZone(decodeZone(zone.geometry)),
) {
  return dynamoGeoIndex(documentClient, {
    geoTable: config.GEO_INDEX_TABLE,
    catalogTable: config.CATALOG_TABLE,
    cover,
  });
}
