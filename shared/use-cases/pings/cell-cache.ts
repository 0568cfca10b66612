/**
 * The per-instance cache of geofence index cells, sized in bytes.
 *
 * Two generations of open-addressing hash tables keyed by the cell's two 32-bit words (see
 * cell-keys.ts), each a fixed set of typed arrays allocated up front: a lookup probes the current
 * generation, then the previous one (and moves a hit forward); an insert into a full current
 * generation drops the previous one and starts a new one. That keeps the recently used cells —
 * an approximation of LRU with no per-entry links — in memory that never grows past the budget.
 *
 * Per slot: high word, low word (Uint32), fetch time (Float64, ms) and a reference to the cell's
 * zone list (shared empty list for the common empty cell): 20 bytes, at most half the slots used,
 * two generations, so 40–80 bytes of budget per cached cell, plus the lists of non-empty cells
 * (counted as they are added). A generation starts at 4,096 slots and doubles up to its share
 * of the budget, so a cold start allocates almost nothing.
 */

/** A cell's zones as numbers in the matcher's zone table. Shared and read-only. */
export type ZoneList = Int32Array;

/** The list of a cell that holds no zone (most cells): one shared instance. */
export const NO_ZONE_LIST: ZoneList = new Int32Array(0);

/** Bytes per hash slot: two Uint32 words, a Float64 time, a (compressed) reference. */
const SLOT_BYTES = 4 + 4 + 8 + 4;
/** Bytes counted for a non-empty zone list besides its elements (typed-array object). */
const LIST_OVERHEAD_BYTES = 96;
/** Slots a generation starts with. */
const INITIAL_CAPACITY = 4096;

class Generation {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  readonly at: Float64Array;
  readonly lists: ZoneList[];
  readonly mask: number;
  size = 0;
  listBytes = 0;

  constructor(readonly capacity: number) {
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.at = new Float64Array(capacity);
    this.lists = new Array<ZoneList>(capacity).fill(NO_ZONE_LIST);
    this.mask = capacity - 1;
  }

  /** A generation of twice the capacity holding the same cells. */
  grown(): Generation {
    const g = new Generation(this.capacity * 2);
    for (let i = 0; i < this.capacity; i++) {
      const high = this.high[i] as number;
      if (high === 0) continue;
      const j = g.slot(high, this.low[i] as number);
      g.high[j] = high;
      g.low[j] = this.low[i] as number;
      g.at[j] = this.at[i] as number;
      g.lists[j] = this.lists[i] as ZoneList;
    }
    g.size = this.size;
    g.listBytes = this.listBytes;
    return g;
  }

  /** Slot of the key, or of the empty slot where it would go (the high word is never 0). */
  slot(high: number, low: number): number {
    let i = (Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const h = this.high[i] as number;
      if (h === 0 || (h === high && this.low[i] === low)) return i;
      i = (i + 1) & this.mask;
    }
  }
}

/** Hit, miss and size counters of a cell cache (monotonic since the instance started). */
export interface CellCacheStats {
  hits: number;
  misses: number;
  /** Cells dropped with a whole generation. */
  evicted: number;
}

/**
 * A byte-budgeted cell → zone list cache with a time to live.
 *
 * @param budgetBytes bytes the cache may use (typed arrays plus counted zone lists); at least
 *   64 KB. Each generation gets half; its capacity is the largest power of two that fits.
 */
export class CellCache {
  private current: Generation;
  private previous: Generation;
  /** Slots of a full-grown generation (a power of two). */
  private readonly maxCapacity: number;
  private readonly listBudget: number;
  readonly stats: CellCacheStats = { hits: 0, misses: 0, evicted: 0 };

  constructor(readonly budgetBytes: number) {
    if (!(budgetBytes >= 65_536)) throw new RangeError("cell cache budget must be ≥ 64 KB");
    // Per generation half the budget: three quarters for slots, a quarter for zone lists.
    const perGeneration = budgetBytes / 2;
    this.maxCapacity = 2 ** Math.floor(Math.log2((perGeneration * 0.75) / SLOT_BYTES));
    this.listBudget = perGeneration - this.maxCapacity * SLOT_BYTES;
    // Generations start small and double up to the budget: a cold start allocates little.
    const initial = Math.min(this.maxCapacity, INITIAL_CAPACITY);
    this.current = new Generation(initial);
    this.previous = new Generation(initial);
  }

  /** Cells a full-grown generation holds (the cache holds up to twice this). */
  get generationCells(): number {
    return this.maxCapacity >>> 1;
  }

  /** Cells currently held (both generations; a cell may be counted in both). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** Bytes the cache holds now (allocated tables plus counted lists). */
  get bytes(): number {
    return (
      (this.current.capacity + this.previous.capacity) * SLOT_BYTES +
      this.current.listBytes +
      this.previous.listBytes
    );
  }

  /**
   * The cell's zone list if cached and fetched at or after `freshSince` (ms), else undefined.
   * A hit in the previous generation is copied into the current one.
   */
  get(high: number, low: number, freshSince: number): ZoneList | undefined {
    const cur = this.current;
    let i = cur.slot(high, low);
    if (cur.high[i] !== 0) {
      if ((cur.at[i] as number) >= freshSince) {
        this.stats.hits++;
        return cur.lists[i];
      }
      this.stats.misses++;
      return undefined;
    }
    const prev = this.previous;
    i = prev.slot(high, low);
    if (prev.high[i] !== 0 && (prev.at[i] as number) >= freshSince) {
      this.stats.hits++;
      const list = prev.lists[i] as ZoneList;
      this.set(high, low, list, prev.at[i] as number);
      return list;
    }
    this.stats.misses++;
    return undefined;
  }

  /** Caches a cell's zone list as fetched at `fetchedAt` (ms). */
  set(high: number, low: number, list: ZoneList, fetchedAt: number): void {
    let cur = this.current;
    const listBytes = list.length === 0 ? 0 : LIST_OVERHEAD_BYTES + list.byteLength;
    let i = cur.slot(high, low);
    if (cur.high[i] === 0) {
      if (cur.size >= cur.capacity >>> 1) {
        if (cur.capacity < this.maxCapacity) this.current = cur.grown();
        else this.rotate();
        cur = this.current;
        i = cur.slot(high, low);
      } else if (cur.listBytes + listBytes > this.listBudget) {
        this.rotate();
        cur = this.current;
        i = cur.slot(high, low);
      }
    }
    if (cur.high[i] === 0) {
      cur.size++;
      cur.high[i] = high;
      cur.low[i] = low;
    } else {
      const old = cur.lists[i] as ZoneList;
      if (old.length > 0) cur.listBytes -= LIST_OVERHEAD_BYTES + old.byteLength;
    }
    cur.at[i] = fetchedAt;
    cur.lists[i] = list;
    cur.listBytes += listBytes;
  }

  /** Retires the previous generation and starts an empty current one at full size. */
  private rotate(): void {
    this.stats.evicted += this.previous.size;
    this.previous = this.current;
    this.current = new Generation(this.maxCapacity);
  }

  /** Drops every cell. */
  clear(): void {
    this.stats.evicted += this.size;
    const initial = Math.min(this.maxCapacity, INITIAL_CAPACITY);
    this.current = new Generation(initial);
    this.previous = new Generation(initial);
  }
}
