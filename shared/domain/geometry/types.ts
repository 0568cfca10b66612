/**
 * Shapes of merchant zones (store footprints and offer trigger zones). Polygons follow
 * RFC 7946: positions are [lon, lat] (an optional altitude is ignored) and edges are straight
 * lines in longitude/latitude, which is also how the exact tests and the cell cover read them.
 */

/** A point on WGS 84, degrees. */
export interface LatLon {
  lat: number;
  lon: number;
}

/** A GeoJSON position: [lon, lat] or [lon, lat, altitude]; the altitude is ignored. */
export type Position = number[];

/** Every point within `radiusM` metres (great-circle distance) of `center`. */
export interface CircleGeometry {
  type: "Circle";
  center: LatLon;
  radiusM: number;
}

/** A GeoJSON Polygon: ring 0 is the shell, the other rings are holes. */
export interface PolygonGeometry {
  type: "Polygon";
  coordinates: Position[][];
}

/** A GeoJSON MultiPolygon: a point is inside when it is inside any of the polygons. */
export interface MultiPolygonGeometry {
  type: "MultiPolygon";
  coordinates: Position[][][];
}

export type ZoneGeometry = CircleGeometry | PolygonGeometry | MultiPolygonGeometry;

/** RFC 7946 bounding box [west, south, east, north]; west > east when it crosses ±180°. */
export type BBox = [west: number, south: number, east: number, north: number];

/** A zone prepared once for many exact tests (the hot path of ping matching). */
export interface CompiledZone {
  /** The normalised geometry (RFC 7946 winding, split at the antimeridian). */
  readonly geometry: ZoneGeometry;
  /** Circle radius, or the radius of the circle with the polygon's area, in metres. */
  readonly characteristicRadiusM: number;
  readonly bbox: BBox;
  /** Whether the point is inside; the boundary, and anything within 5 cm of it, is inside. */
  contains(lat: number, lon: number): boolean;
  /** Metres to the boundary: negative inside, positive outside; its sign is `contains`. */
  signedDistanceM(lat: number, lon: number): number;
  /** Metres from the point to the zone: 0 inside (cheaper than `signedDistanceM` there). */
  distanceM(lat: number, lon: number): number;
}
