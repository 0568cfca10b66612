/**
 * H3 cells as pairs of 32-bit words instead of strings, for the ping path's cell cache.
 *
 * An H3 cell index is 64 bits (https://h3geo.org/docs/library/index/cell): bit 63 reserved,
 * bits 59–62 the mode (1 = cell), bits 52–55 the resolution, bits 45–51 the base cell, then
 * fifteen 3-bit digits from resolution 1 (bits 42–44) to 15 (bits 0–2), the digits below the
 * cell's resolution all 7. So the parent at resolution r of a cell is the same index with the
 * resolution field set to r and digits r+1…15 set to 7: exactly h3's `cellToParent`, in a few
 * bit operations instead of a call into h3-js and a string per resolution.
 *
 * A ping therefore costs one `latLngToCellKey` at the finest index resolution (the numeric port
 * of h3's `latLngToCell` in domain/geometry/h3-cell.ts: same cell bit for bit, no string), and
 * its keys at every index resolution equal `cellsForPoint` (checked by
 * test/unit/pings/cell-keys.test.ts and again on every judged ping by the benchmark).
 */
import { latLngToCellKey } from "../../domain/geometry/h3-cell.ts";
import { FINEST_INDEX_RESOLUTION, INDEX_RESOLUTIONS } from "../../domain/geometry/point-cells.ts";

export { cellOfKey, keyOfCell } from "../../domain/geometry/point-cells.ts";

/** Number of keys per ping: one per index resolution, ascending. */
export const KEYS_PER_POINT = INDEX_RESOLUTIONS.length;

const RES_MASK_HIGH = 0xf << 20;
/** Scratch for the finest cell's two words. */
const finest = new Uint32Array(2);
/** Per index resolution: its field value and the unused-digit bits, per 32-bit word. */
const RES_FIELD = new Uint32Array(KEYS_PER_POINT);
const LOW_SEVENS = new Uint32Array(KEYS_PER_POINT);
const HIGH_SEVENS = new Uint32Array(KEYS_PER_POINT);
for (let s = 0; s < KEYS_PER_POINT; s++) {
  const res = INDEX_RESOLUTIONS[s] as number;
  const bits = 3 * (15 - res);
  RES_FIELD[s] = res << 20;
  LOW_SEVENS[s] = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  HIGH_SEVENS[s] = bits > 32 ? 2 ** (bits - 32) - 1 : 0;
}

/**
 * Writes the point's key at every index resolution (ascending, like `cellsForPoint`) into
 * `out` as (high word, low word) pairs: out[2s], out[2s + 1] for resolution slot s. `out` must
 * hold 2 × KEYS_PER_POINT words. One `latLngToCellKey` call, then bit operations; allocates
 * nothing.
 *
 * @throws RangeError when lat or lon is not finite.
 */
export function pointCellKeys(lat: number, lon: number, out: Uint32Array): void {
  latLngToCellKey(lat, lon, FINEST_INDEX_RESOLUTION, finest);
  const high = (finest[0] as number) & ~RES_MASK_HIGH;
  const low = finest[1] as number;
  for (let s = 0; s < KEYS_PER_POINT; s++) {
    out[2 * s] = high | (RES_FIELD[s] as number) | (HIGH_SEVENS[s] as number);
    out[2 * s + 1] = low | (LOW_SEVENS[s] as number);
  }
}
