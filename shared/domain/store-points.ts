import { getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from "h3-js";
import { haversineM } from "./geometry/sphere.ts";

/** Store locations are bucketed in H3 res-6 cells (≈ 3.7 km edge) for "offers near me". */
export const STORE_POINT_RESOLUTION = 6;
const EDGE_M = getHexagonEdgeLengthAvg(STORE_POINT_RESOLUTION, "m");

/** The bucket key of a store location. */
export function storePointCell(lat: number, lon: number): string {
  return `P${STORE_POINT_RESOLUTION}#${latLngToCell(lat, lon, STORE_POINT_RESOLUTION)}`;
}

/**
 * Buckets that together hold every point within `radiusM` of the query point. Neighbouring
 * centres are ≥ √3·edge·(distortion ≈ 0.8) apart, so k rings of that spacing plus one spare ring
 * always reach past the radius.
 */
export function storePointCellsNear(lat: number, lon: number, radiusM: number): string[] {
  const k = Math.ceil(radiusM / (0.8 * EDGE_M)) + 1;
  return gridDisk(latLngToCell(lat, lon, STORE_POINT_RESOLUTION), k).map(
    (c) => `P${STORE_POINT_RESOLUTION}#${c}`,
  );
}

export interface StorePoint {
  merchantId: string;
  storeId: string;
  lat: number;
  lon: number;
}

/** Store points within the radius, nearest first, with their distance. */
export function nearestStores(
  points: readonly StorePoint[],
  lat: number,
  lon: number,
  radiusM: number,
): (StorePoint & { distanceM: number })[] {
  return points
    .map((p) => ({ ...p, distanceM: haversineM(lat, lon, p.lat, p.lon) }))
    .filter((p) => p.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.storeId < b.storeId ? -1 : 1));
}
