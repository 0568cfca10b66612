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

/** Keys per block of the sampled top level (one sample per 64 keys: 512 bytes of keys). */
const BLOCK = 64;

/** Every BLOCK-th key: small enough to stay in cache, it narrows a search to one block. */
function sample(keys: Float64Array): Float64Array {
  const top = new Float64Array(Math.ceil(keys.length / BLOCK));
  for (let i = 0; i < top.length; i++) top[i] = keys[i * BLOCK] as number;
  return top;
}

/** Sorted-array cell → zones index over a fixed set of resolution slots. */
export class CompactCellIndex {
  /** Per slot, the sampled top level of `keys` (searched first). */
  private readonly tops: Float64Array[];

  private constructor(
    private readonly keys: Float64Array[],
    private readonly offsets: Uint32Array[],
    private readonly zoneLists: Uint32Array[],
  ) {
    this.tops = keys.map(sample);
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
      n += (this.tops[s] as Float64Array).byteLength;
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
   * Position of `key` in the slot's sorted keys, or -1. Searches the cached top level first,
   * then one 64-key block: a few cache misses instead of one per level of a plain binary search
   * over millions of keys.
   */
  find(slot: number, key: number): number {
    const top = this.tops[slot] as Float64Array;
    // Last sample ≤ key: its block is the only one that can hold the key.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((top[mid] as number) <= key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return -1;
    const slotKeys = this.keys[slot] as Float64Array;
    let a = (lo - 1) * BLOCK;
    let b = Math.min(slotKeys.length, a + BLOCK);
    while (a < b) {
      const mid = (a + b) >>> 1;
      if ((slotKeys[mid] as number) < key) a = mid + 1;
      else b = mid;
    }
    return a < slotKeys.length && slotKeys[a] === key ? a : -1;
  }

  /** CSR offsets of a slot: zones of cell i are zonesAt(slot)[offsetsAt(slot)[i] .. [i + 1]). */
  offsetsAt(slot: number): Uint32Array {
    return this.offsets[slot] as Uint32Array;
  }
}
