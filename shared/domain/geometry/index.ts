/**
 * Zone geometry (pure): validation, RFC 7946 normalisation, exact point tests, the compact
 * index codec and conservative H3 cell covers.
 *
 * How the pieces fit: validate with `parseZoneGeometry`, store `encodeZone(geometry)`, index
 * the zone under every cell of `coverZone(geometry)`; for a ping, look up
 * `cellsForPoint(lat, lon)` and run `compileZone(decodeZone(stored)).contains` on the
 * candidates. The cover is computed from the decoded geometry, so no point the exact test
 * accepts is ever missing from the index.
 */
export { decodeZone, encodeZone } from "./codec.ts";
export {
  cellBudget,
  cellsForPoint,
  coverZone,
  coverZoneDetailed,
  DESCENDANT_REACH,
  FINEST_INDEX_RESOLUTION,
  INDEX_RESOLUTIONS,
  MAX_COVER_CELLS,
  pointInCover,
  type ZoneCover,
} from "./cover.ts";
export { BOUNDARY_TOLERANCE_M, compileZone } from "./exact.ts";
export { normalizeZoneGeometry } from "./normalize.ts";
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
