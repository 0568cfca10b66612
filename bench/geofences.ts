/**
 * Benchmark data: geofences placed around real cities and pings around them with realistic GPS
 * noise. Zone `i` and ping `j` are pure functions of (seed, index), so the 1k set is a prefix of
 * the 10k set and workers can regenerate any zone instead of shipping it around.
 */
import { decodeZone, encodeZone } from "../shared/domain/geometry/codec.ts";
import { EARTH_RADIUS_M, wrapLon } from "../shared/domain/geometry/sphere.ts";
import type { CircleGeometry, ZoneGeometry } from "../shared/domain/geometry/types.ts";
import { CITIES, type City } from "./cities.ts";
import { intBetween, itemSeed, logUniform, mulberry32, type Rng } from "./rng.ts";

const RAD = Math.PI / 180;
/** Metres per degree of latitude on the sphere the geometry module uses. */
export const M_PER_DEG = EARTH_RADIUS_M * RAD;

/** The data mix, reported beside the figures. */
export const GEOFENCE_MIX = {
  footprintShare: 0.5,
  footprintRadiusM: [50, 300] as const,
  triggerRadiusM: [200, 2000] as const,
  footprintPolygonShare: 0.15,
  triggerPolygonShare: 0.1,
  /**
   * Distance from the city centre: density falling exponentially with distance (radius ~
   * Gamma(2), as store density does in cities), mean 6 km for the first 10,000 geofences, then
   * growing with the square root of the geofence's number (60 km by the millionth), capped at
   * 8 means: a growing deployment reaches suburbs and nearby towns instead of piling up downtown.
   */
  spreadMeanM: 6000,
  spreadGrowthFrom: 10_000,
  spreadMaxMeans: 8,
  /** Share of pings aimed at a geofence (within 1.5 radii of its centre); the rest anywhere in a city. */
  nearZonePingShare: 0.6,
} as const;

const ZONE_STREAM = 1;
const PING_STREAM = 2;

/** A generated geofence, exactly as the index would store it. */
export interface BenchZone {
  index: number;
  kind: "footprint" | "trigger";
  /** Geometry on the index's 1e-7° / 1 mm grid, so decode(encode(g)) is g. */
  geometry: ZoneGeometry;
  encoded: string;
  centerLat: number;
  centerLon: number;
  /** Circle radius, or the polygon's outer radius. */
  sizeM: number;
  /** Polygons: the closed shell with continuous longitudes (for the independent oracle). */
  ring?: number[][];
  city: number;
}

function round7(deg: number): number {
  return Math.round(deg * 1e7) / 1e7;
}

/**
 * The point `metres` away on the initial bearing (great circle on the module's sphere); the
 * longitude is continuous (not wrapped) so callers can keep rings unwrapped.
 */
export function destination(lat: number, lon: number, metres: number, bearingDeg: number) {
  const d = metres / EARTH_RADIUS_M;
  const phi1 = lat * RAD;
  const theta = bearingDeg * RAD;
  const phi2 = Math.asin(
    Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(theta),
  );
  const dLambda = Math.atan2(
    Math.sin(theta) * Math.sin(d) * Math.cos(phi1),
    Math.cos(d) - Math.sin(phi1) * Math.sin(phi2),
  );
  return { lat: phi2 / RAD, lon: lon + dLambda / RAD };
}

/** Mean distance from the city centre of geofence `index` (see GEOFENCE_MIX). */
export function spreadMeanM(index: number): number {
  return (
    GEOFENCE_MIX.spreadMeanM * Math.sqrt(Math.max(1, (index + 1) / GEOFENCE_MIX.spreadGrowthFrom))
  );
}

/**
 * A point in a city's area: the distance is Gamma(2)-distributed with the given mean, so the
 * density per km² falls exponentially from a finite peak at the centre; uniform bearing.
 */
function cityPoint(rnd: Rng, city: City, meanM: number) {
  const gamma2 = -Math.log(1 - rnd() * 0.999_999) - Math.log(1 - rnd() * 0.999_999);
  const d = Math.min(GEOFENCE_MIX.spreadMaxMeans * meanM, (meanM / 2) * gamma2);
  return destination(city.lat, city.lon, d, rnd() * 360);
}

/** A star-shaped ring (simple by construction, counter-clockwise) in unwrapped degrees. */
function starRing(rnd: Rng, lat: number, lon: number, radiusM: number, vertices: number) {
  const cos = Math.cos(lat * RAD);
  const ring: number[][] = [];
  for (let k = 0; k < vertices; k++) {
    const a = ((k + 0.6 * (rnd() - 0.5)) / vertices) * 2 * Math.PI;
    const r = radiusM * (0.65 + 0.35 * rnd());
    const x = lon + (r * Math.cos(a)) / (M_PER_DEG * cos);
    const y = round7(lat + (r * Math.sin(a)) / M_PER_DEG);
    // Store the wrapped, rounded longitude but keep the ring continuous around the centre.
    const wrapped = round7(wrapLon(x));
    ring.push([wrapped + 360 * Math.round((x - wrapped) / 360), y]);
  }
  ring.push([...(ring[0] as number[])]);
  return ring;
}

/** Geofence `index` of the data set `seed`. */
export function benchZone(seed: number, index: number): BenchZone {
  const rnd = mulberry32(itemSeed(seed, ZONE_STREAM, index));
  const cityIndex = Math.floor(rnd() * CITIES.length);
  const city = CITIES[cityIndex] as City;
  const c = cityPoint(rnd, city, spreadMeanM(index));
  const footprint = rnd() < GEOFENCE_MIX.footprintShare;
  const [rMin, rMax] = footprint ? GEOFENCE_MIX.footprintRadiusM : GEOFENCE_MIX.triggerRadiusM;
  const sizeM = Math.round(logUniform(rnd, rMin, rMax) * 1000) / 1000;
  const polygon =
    rnd() < (footprint ? GEOFENCE_MIX.footprintPolygonShare : GEOFENCE_MIX.triggerPolygonShare);
  const centerLat = round7(c.lat);
  const centerLon = round7(wrapLon(c.lon));
  let geometry: ZoneGeometry;
  let ring: number[][] | undefined;
  if (polygon) {
    ring = starRing(
      rnd,
      centerLat,
      centerLon,
      sizeM,
      footprint ? intBetween(rnd, 4, 10) : intBetween(rnd, 6, 16),
    );
    geometry = {
      type: "Polygon",
      coordinates: [ring.map(([x, y]) => [round7(wrapLon(x as number)), y as number])],
    };
  } else {
    geometry = { type: "Circle", center: { lat: centerLat, lon: centerLon }, radiusM: sizeM };
  }
  const encoded = encodeZone(geometry);
  return {
    index,
    kind: footprint ? "footprint" : "trigger",
    geometry: polygon ? geometry : (decodeZone(encoded) as CircleGeometry),
    encoded,
    centerLat,
    centerLon,
    sizeM,
    ...(ring ? { ring } : {}),
    city: cityIndex,
  };
}

/** A ping as a phone reports it. */
export interface BenchPing {
  lat: number;
  lon: number;
  accuracyM: number;
}

/**
 * Horizontal accuracy as phones report it: mostly 3–15 m outdoors, 15–50 m in urban canyons,
 * sometimes 50–200 m (indoors, Wi-Fi fixes).
 */
export function gpsAccuracyM(rnd: Rng): number {
  const u = rnd();
  if (u < 0.7) return logUniform(rnd, 3, 15);
  if (u < 0.95) return logUniform(rnd, 15, 50);
  return logUniform(rnd, 50, 200);
}

/**
 * Moves a true position by a GPS error: the reported accuracy is the 68 % radius, so the error
 * is Rayleigh-distributed with sigma = accuracy / 1.51 in a uniform direction.
 */
export function addGpsNoise(rnd: Rng, lat: number, lon: number, accuracyM: number) {
  const sigma = accuracyM / 1.51;
  const error = sigma * Math.sqrt(-2 * Math.log(1 - rnd() * 0.999_999_999));
  const p = destination(lat, lon, error, rnd() * 360);
  return { lat: Math.max(-90, Math.min(90, p.lat)), lon: wrapLon(p.lon) };
}

/**
 * Ping `index` for a data set of `zoneCount` geofences: either aimed at one of them (inside or
 * just around it) or anywhere in a city's area, then blurred by GPS noise.
 */
export function benchPing(seed: number, index: number, zoneCount: number): BenchPing {
  const rnd = mulberry32(itemSeed(seed, PING_STREAM, index));
  let truth: { lat: number; lon: number };
  if (rnd() < GEOFENCE_MIX.nearZonePingShare) {
    const zone = benchZone(seed, Math.floor(rnd() * zoneCount));
    truth = destination(
      zone.centerLat,
      zone.centerLon,
      zone.sizeM * 1.5 * Math.sqrt(rnd()),
      rnd() * 360,
    );
  } else {
    // Background pings spread like the geofences: around a city, at a random geofence's scale.
    const scale = spreadMeanM(Math.floor(rnd() * zoneCount));
    truth = cityPoint(rnd, CITIES[Math.floor(rnd() * CITIES.length)] as City, scale);
  }
  const accuracyM = gpsAccuracyM(rnd);
  return { ...addGpsNoise(rnd, truth.lat, wrapLon(truth.lon), accuracyM), accuracyM };
}
