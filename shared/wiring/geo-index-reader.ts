import { documentClient } from "../adapters/aws-clients.ts";
import { dynamoGeoIndex } from "../adapters/dynamo/geo-index.ts";
import type { GeoIndexConfig } from "./geo-index.ts";

/**
 * The geofence index as the ping path reads it: cells and zone heads only, without a cover
 * function. Apart from geo-index.ts on purpose: that module's default cover imports h3-js
 * (about 210 KB), which esbuild keeps in any bundle importing it; a reader locates points with
 * the numeric `latLngToCell` port instead (domain/geometry/point-cells.ts).
 */
export function geoIndexReaderFromConfig(
  config: GeoIndexConfig,
): Pick<ReturnType<typeof dynamoGeoIndex>, "getCells" | "getHeads"> {
  return dynamoGeoIndex(documentClient, {
    geoTable: config.GEO_INDEX_TABLE,
    catalogTable: config.CATALOG_TABLE,
  });
}
