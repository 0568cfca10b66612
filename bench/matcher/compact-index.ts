/**
 * The in-process form of the geofence cell index: for each index resolution, the distinct cell
 * keys in a sorted Float64Array with CSR offsets into a Uint32Array of zone numbers. It holds
 * exactly the (cell → zones) pairs DynamoDB would hold, in about 4 bytes per pair plus 12 bytes
 * per distinct cell, where a `Map<string, Zone[]>` costs well over 100 bytes per cell.
 */

/** Entries (cell key, zone) grouped by resolution slot, the raw material of an index. */
export interface CellEntries {
  slots: Uint8Array;
  keys: Float64Array;
  zones: Uint32Array;
  count: number;
}

/** Index of the first element ≥ key in a sorted array (its length if none). */
function lowerBound(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const TWO_32 = 4_294_967_296;

/** Bit of a key in a filter of 2^bits bits (multiplicative hash of its two 32-bit halves). */
function filterBit(key: number, shift: number): number {
  const lo = key % TWO_32;
  const hi = (key - lo) / TWO_32;
  return Math.imul((lo ^ Math.imul(hi, 0x27d4eb2d)) >>> 0, 0x9e3779b1) >>> shift;
}

/**
 * A one-hash bit filter with about 8 bits per key: a key that is not in the index is rejected
 * after one memory access 88 % of the time, instead of a binary search over millions of keys.
 */
function buildFilter(keys: Float64Array): { bits: Uint32Array; shift: number } {
  const log2 = Math.max(5, Math.min(31, Math.ceil(Math.log2(Math.max(1, keys.length) * 8))));
  const bits = new Uint32Array(2 ** (log2 - 5));
  const shift = 32 - log2;
  for (const key of keys) {
    const bit = filterBit(key, shift);
    bits[bit >>> 5] = (bits[bit >>> 5] as number) | (1 << (bit & 31));
  }
  return { bits, shift };
}

/** Sorted-array cell → zones index over a fixed set of resolution slots. */
export class CompactCellIndex {
  /** Per slot, the bit filter checked before any search. */
  private readonly filters: { bits: Uint32Array; shift: number }[];

  private constructor(
    private readonly keys: Float64Array[],
    private readonly offsets: Uint32Array[],
    private readonly zoneLists: Uint32Array[],
  ) {
    this.filters = keys.map(buildFilter);
  }

  /**
   * Builds the index from (slot, key, zone) entries in two passes per slot: sort and de-duplicate
   * the keys, then count and place the zones (which stay in entry order within a cell).
   */
  static build(entries: CellEntries, slotCount: number): CompactCellIndex {
    const keys: Float64Array[] = [];
    const offsets: Uint32Array[] = [];
    const zoneLists: Uint32Array[] = [];
    for (let s = 0; s < slotCount; s++) {
      let n = 0;
      for (let e = 0; e < entries.count; e++) if (entries.slots[e] === s) n++;
      const all = new Float64Array(n);
      let k = 0;
      for (let e = 0; e < entries.count; e++) {
        if (entries.slots[e] === s) all[k++] = entries.keys[e] as number;
      }
      all.sort();
      let unique = 0;
      for (let i = 0; i < n; i++) {
        if (i === 0 || all[i] !== all[unique - 1]) all[unique++] = all[i] as number;
      }
      const slotKeys = all.slice(0, unique);
      const offs = new Uint32Array(unique + 1);
      const cellOf = new Uint32Array(n);
      k = 0;
      for (let e = 0; e < entries.count; e++) {
        if (entries.slots[e] !== s) continue;
        const i = lowerBound(slotKeys, entries.keys[e] as number);
        cellOf[k++] = i;
        offs[i + 1] = (offs[i + 1] as number) + 1;
      }
      for (let i = 0; i < unique; i++) offs[i + 1] = (offs[i + 1] as number) + (offs[i] as number);
      const cursor = offs.slice(0, unique);
      const zones = new Uint32Array(n);
      k = 0;
      for (let e = 0; e < entries.count; e++) {
        if (entries.slots[e] !== s) continue;
        const i = cellOf[k++] as number;
        zones[cursor[i] as number] = entries.zones[e] as number;
        cursor[i] = (cursor[i] as number) + 1;
      }
      keys.push(slotKeys);
      offsets.push(offs);
      zoneLists.push(zones);
    }
    return new CompactCellIndex(keys, offsets, zoneLists);
  }

  /** Distinct cells over all resolutions. */
  get cells(): number {
    return this.keys.reduce((n, k) => n + k.length, 0);
  }

  /** (cell, zone) pairs: the number of geofence entries DynamoDB would hold. */
  get entries(): number {
    return this.zoneLists.reduce((n, z) => n + z.length, 0);
  }

  /** Bytes held by the typed arrays. */
  get bytes(): number {
    let n = 0;
    for (let s = 0; s < this.keys.length; s++) {
      n += (this.filters[s] as { bits: Uint32Array }).bits.byteLength;
      n += (this.keys[s] as Float64Array).byteLength;
      n += (this.offsets[s] as Uint32Array).byteLength;
      n += (this.zoneLists[s] as Uint32Array).byteLength;
    }
    return n;
  }

  /** Zone numbers of one slot (read with `range`). */
  zonesAt(slot: number): Uint32Array {
    return this.zoneLists[slot] as Uint32Array;
  }

  /**
   * Position of `key` in the slot's sorted keys, or -1. Most absent keys are rejected by the
   * bit filter; the rest are binary-searched.
   */
  find(slot: number, key: number): number {
    const filter = this.filters[slot] as { bits: Uint32Array; shift: number };
    const bit = filterBit(key, filter.shift);
    if (((filter.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    const slotKeys = this.keys[slot] as Float64Array;
    const i = lowerBound(slotKeys, key);
    return i < slotKeys.length && slotKeys[i] === key ? i : -1;
  }

  /** CSR offsets of a slot: zones of cell i are zonesAt(slot)[offsetsAt(slot)[i] .. [i + 1]). */
  offsetsAt(slot: number): Uint32Array {
    return this.offsets[slot] as Uint32Array;
  }
}
