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
import { latLngToCell } from "h3-js";
import { FINEST_INDEX_RESOLUTION, INDEX_RESOLUTIONS } from "../../shared/domain/geometry/cover.ts";

const TWO_32 = 4_294_967_296;

/** Slot of each index resolution in per-resolution tables (ascending resolutions). */
export const RESOLUTION_SLOTS: readonly number[] = INDEX_RESOLUTIONS;

/** Per slot: bits of unused digits to force to 1, split over the low and high 32-bit words. */
const LOW_MASKS = new Uint32Array(RESOLUTION_SLOTS.length);
const HIGH_MASKS = new Uint32Array(RESOLUTION_SLOTS.length);
for (let s = 0; s < RESOLUTION_SLOTS.length; s++) {
  const bits = 3 * (15 - (RESOLUTION_SLOTS[s] as number));
  LOW_MASKS[s] = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  HIGH_MASKS[s] = bits > 32 ? 2 ** (bits - 32) - 1 : 0;
}

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

/**
 * Writes the ping's key for every slot into `out` (length = number of slots), from one call to
 * h3's `latLngToCell` at the finest index resolution.
 */
export function pingKeys(lat: number, lon: number, out: Float64Array): void {
  const cell = latLngToCell(lat, lon, FINEST_INDEX_RESOLUTION);
  const high = Number.parseInt(cell.slice(0, -8), 16) & 0xfffff;
  const low = Number.parseInt(cell.slice(-8), 16);
  for (let s = 0; s < out.length; s++) {
    const lo = (low | (LOW_MASKS[s] as number)) >>> 0;
    const hi = (high | (HIGH_MASKS[s] as number)) >>> 0;
    out[s] = hi * TWO_32 + lo;
  }
}
