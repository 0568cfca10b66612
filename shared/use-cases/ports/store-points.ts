/** Port: StorePoints (implemented by shared/adapters/dynamo/store-points.ts). */
import type { StorePoint } from "../../domain/store-points.ts";

/** Port: store locations bucketed by H3 cell, for "offers near me". */
export interface StorePoints {
  put(point: StorePoint, previous?: { lat: number; lon: number } | undefined): Promise<void>;
  remove(storeId: string, at: { lat: number; lon: number }): Promise<void>;
  inCells(cells: string[]): Promise<StorePoint[]>;
}
