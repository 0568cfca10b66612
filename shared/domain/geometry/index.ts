/**
 * Zone geometry (pure): validation, RFC 7946 normalisation, exact point tests, the compact
 * index codec and conservative H3 cell covers.
 *
 * How the pieces fit: validate with `parseZoneGeometry`, store `encodeZone(geometry)`, index
 * the zone under every cell of `coverZone(geometry)`; for a ping, look up
 * `cellsForPoint(lat, lon)` and run `compileZone(decodeZone(stored)).contains` on the
 * candidates. The cover is computed from the decoded geometry, so no point the exact test
 * accepts is ever missing from the index.
 *
 * The covers (`coverZone`, cover.ts) are not re-exported here: they need h3-js (about 210 KB),
 * which only the functions that index zones bundle. Import them from cover.ts.
 */
export { decodeZone, encodeZone } from "./codec.ts";
export { BOUNDARY_TOLERANCE_M, compileZone } from "./exact.ts";
export { normalizeZoneGeometry } from "./normalize.ts";
export {
  cellsForPoint,
  FINEST_INDEX_RESOLUTION,
  INDEX_RESOLUTIONS,
  pointInCover,
} from "./point-cells.ts";
export {
  circleSchema,
  MAX_ZONE_AREA_M2,
  MAX_ZONE_VERTICES,
  MIN_POLYGON_AREA_M2,
  multiPolygonSchema,
  parseZoneGeometry,
  polygonSchema,
  type RadiusBounds,
  zodIssuesToFieldIssues,
  zoneGeometrySchema,
} from "./schema.ts";
export { EARTH_RADIUS_M, haversineM } from "./sphere.ts";
export type {
  BBox,
  CircleGeometry,
  CompiledZone,
  LatLon,
  MultiPolygonGeometry,
  PolygonGeometry,
  Position,
  ZoneGeometry,
} from "./types.ts";
