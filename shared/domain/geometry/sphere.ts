/**
 * Spherical helpers shared by the exact tests and the cell cover. One Earth radius for
 * everything (the IUGG mean radius, the one @turf/distance uses) so distances agree.
 */

/** Mean Earth radius in metres (IUGG), as used by @turf/distance. */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** A unit vector in Earth-centred coordinates. */
export type Vec3 = [x: number, y: number, z: number];

/**
 * Great-circle distance in metres (haversine). Used instead of a planar formula because zones
 * sit anywhere, including next to a pole where longitude degrees shrink to nothing.
 */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Unit vector of a latitude/longitude: lets distances ignore the antimeridian entirely. */
export function unitVector(lat: number, lon: number): Vec3 {
  const phi = lat * RAD;
  const lambda = lon * RAD;
  const c = Math.cos(phi);
  return [c * Math.cos(lambda), c * Math.sin(lambda), Math.sin(phi)];
}

/**
 * Longitude folded into [-180, 180): zones and pings may arrive with either name of the
 * antimeridian, and the tests must treat them as one line.
 */
export function wrapLon(lon: number): number {
  const w = (((lon + 180) % 360) + 360) % 360;
  return w - 180;
}

/** Converts a chord length between unit vectors to metres along the sphere. */
export function chordToMetres(chord: number): number {
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, chord / 2));
}
