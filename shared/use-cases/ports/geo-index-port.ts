/** Port: IndexedZone, GeoIndex (implemented by shared/adapters/dynamo/geo-index-port.ts). */
import type { ZoneDefinition } from "../../domain/zone.ts";

/** An indexed zone as read back from a cell, with its version. */
export interface IndexedZone extends ZoneDefinition {
  version: number;
}

/**
 * Port: the H3 geofence index. Writes are versioned so a moved zone is never missing from the
 * index while it moves and no stale cell survives the move; reads fetch whole cells in batches.
 */
export interface GeoIndex {
  /** Indexes (or re-indexes) a zone; returns the number of cells written and the new version. */
  putZone(zone: ZoneDefinition): Promise<{ version: number; cells: number }>;
  /**
   * Indexes (or re-indexes) many zones with the same guarantees as `putZone`, in few requests:
   * heads read in batches, then intents, cells and heads each written in packed transactions.
   * A zone whose transaction is cancelled (changed concurrently) is redone with `putZone`.
   */
  putZones(zones: readonly ZoneDefinition[]): Promise<void>;
  /** Removes a zone from every cell it occupied (idempotent). */
  removeZone(zoneId: string): Promise<void>;
  /** Reads the zones of many cells in as few batched requests as possible. */
  getCells(cells: string[]): Promise<Map<string, IndexedZone[]>>;
}
