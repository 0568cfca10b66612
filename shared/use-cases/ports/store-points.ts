/** Port: StorePoints (implemented by shared/adapters/dynamo/store-points.ts). */
import type { StorePoint } from "../../domain/store-points.ts";

/** Port: store locations bucketed by H3 cell, for "offers near me". */
export interface StorePoints {
  put(point: StorePoint, previous?: { lat: number; lon: number } | undefined): Promise<void>;
  /**
   * `put` for many stores (bulk import): one update per bucket for all of its stores, in packed
   * transactions; a store that moved also leaves its previous bucket.
   */
  putMany(
    points: readonly { point: StorePoint; previous?: { lat: number; lon: number } | undefined }[],
  ): Promise<void>;
  remove(storeId: string, at: { lat: number; lon: number }): Promise<void>;
  inCells(cells: string[]): Promise<StorePoint[]>;
}
