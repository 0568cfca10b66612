/**
 * The index keys of a point, without h3-js: the functions that only locate points (the ping
 * path, nearby offers, catalog reads) bundle the numeric `latLngToCell` port (h3-cell.ts) and
 * these bit operations instead of the 210 KB emscripten build the covers need (cover.ts).
 *
 * An H3 cell index is 64 bits (https://h3geo.org/docs/library/index/cell): bit 63 reserved,
 * bits 59–62 the mode (1 = cell), bits 52–55 the resolution, bits 45–51 the base cell, then
 * fifteen 3-bit digits from resolution 1 (bits 42–44) to 15 (bits 0–2), the digits below the
 * cell's resolution all 7. The parent at resolution r is the same index with the resolution
 * field set to r and digits r+1…15 set to 7: h3's `cellToParent` in a few bit operations.
 */
import { latLngToCellKey } from "./h3-cell.ts";

/**
 * H3 resolutions of the index, ascending. Each ping looks up one key per resolution. Res 5
 * (≈250 km² cells) carries the interior of the largest zones (20,000 km²); res 7 (≈5 km²) city
 * districts; res 9 (≈0.1 km²) and res 10 (≈15,000 m²) the common 100 m – 2 km trigger zones
 * (without res 10 a 200 m circle gets either ~80 res-11 cells or 6 res-9 cells covering 4.5×
 * its area; with it, ~35 cells covering 1.4×);
 * res 11 (≈2,000 m², 29 m edge) store footprints, about the size of a GPS fix's uncertainty.
 */
export const INDEX_RESOLUTIONS: readonly number[] = [5, 7, 9, 10, 11];

/** The resolution pings are located at; coarser keys are its ancestors. */
export const FINEST_INDEX_RESOLUTION = 11;

/** The H3 string of a key (lower-case hex, as h3-js writes it and the geo index stores it). */
export function cellOfKey(high: number, low: number): string {
  return high.toString(16) + low.toString(16).padStart(8, "0");
}

/** The key of an H3 string: [high word, low word]. */
export function keyOfCell(cell: string): [high: number, low: number] {
  const split = cell.length - 8;
  return [Number.parseInt(cell.slice(0, split), 16) >>> 0, Number.parseInt(cell.slice(split), 16)];
}

/** Scratch for one cell's two words. */
const scratch = new Uint32Array(2);

/**
 * The H3 cell (string, as h3-js writes it) at resolution `res` (0–15) containing the point
 * (degrees): h3-js `latLngToCell(lat, lon, res)`, bit for bit (test/unit/geometry/h3-cell.test.ts).
 *
 * @throws RangeError when lat or lon is not finite or res is not an integer from 0 to 15.
 */
export function latLngToCell(lat: number, lon: number, res: number): string {
  latLngToCellKey(lat, lon, res, scratch);
  return cellOfKey(scratch[0] as number, scratch[1] as number);
}

/**
 * The parent at resolution `res` of the cell (high, low) of a finer resolution, as an H3
 * string: h3-js `cellToParent`.
 */
function parentOfKey(high: number, low: number, res: number): string {
  const bits = 3 * (15 - res);
  const lowSevens = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const highSevens = bits > 32 ? 2 ** (bits - 32) - 1 : 0;
  const parentHigh = ((high & ~(0xf << 20)) | (res << 20) | highSevens) >>> 0;
  return cellOfKey(parentHigh, (low | lowSevens) >>> 0);
}

/**
 * The point's index keys, one per INDEX_RESOLUTIONS entry (ascending): the finest cell and its
 * ancestors (`cellToParent`, not `latLngToCell` at each resolution; see cover.ts). A zone may
 * cover the point only if one of them is in its cover.
 *
 * @throws RangeError when lat or lon is not finite.
 */
export function cellsForPoint(lat: number, lon: number): string[] {
  latLngToCellKey(lat, lon, FINEST_INDEX_RESOLUTION, scratch);
  const high = scratch[0] as number;
  const low = scratch[1] as number;
  return INDEX_RESOLUTIONS.map((r) => parentOfKey(high, low, r));
}

/** Whether any of the point's index keys is in the cover (what an index lookup would find). */
export function pointInCover(lat: number, lon: number, cover: ReadonlySet<string>): boolean {
  return cellsForPoint(lat, lon).some((c) => cover.has(c));
}
