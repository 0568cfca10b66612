/**
 * H3 cells as numbers instead of strings, for an in-process index that fits a million geofences
 * in a small heap. An H3 index is 64 bits: mode and resolution above bit 52, then the base cell
 * and fifteen 3-bit digits, unused digits set to 7. Within one resolution, bits 0–51 identify the
 * cell, and 52 bits are exact in a double, so one Float64 per cell is a sortable key.
 *
 * A ping's keys are derived from its finest cell by setting the digits below each coarser
 * resolution to 7, which is exactly what h3's `cellToParent` does, so they equal
 * `cellsForPoint` (the bench re-checks that on every verified ping).
 */
import { INDEX_RESOLUTIONS } from "../../shared/domain/geometry/cover.ts";

const TWO_32 = 4_294_967_296;

/** Slot of each index resolution in per-resolution tables (ascending resolutions). */
export const RESOLUTION_SLOTS: readonly number[] = INDEX_RESOLUTIONS;

const SLOT_OF_RESOLUTION = new Int8Array(16).fill(-1);
RESOLUTION_SLOTS.forEach((r, s) => {
  SLOT_OF_RESOLUTION[r] = s;
});

/** A cell key and the slot (index resolution) it belongs to. */
export interface CellKey {
  slot: number;
  key: number;
}

/** Numeric key of an H3 cell string; throws for a resolution the index does not use. */
export function cellKey(cell: string): CellKey {
  const high = Number.parseInt(cell.slice(0, -8), 16);
  const low = Number.parseInt(cell.slice(-8), 16);
  const res = (high >>> 20) & 0xf;
  const slot = SLOT_OF_RESOLUTION[res] ?? -1;
  if (slot < 0)
    throw new RangeError(`cell ${cell} is at resolution ${res}, not an index resolution`);
  return { slot, key: (high & 0xfffff) * TWO_32 + low };
}
