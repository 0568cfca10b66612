/**
 * The per-instance cache of geofence index cells, sized in bytes.
 *
 * Two generations of open-addressing hash tables keyed by the cell's two 32-bit words (see
 * cell-keys.ts), each a fixed set of typed arrays allocated up front: a lookup probes the current
 * generation, then the previous one (and moves a hit forward); an insert into a full current
 * generation drops the previous one and starts a new one. That keeps the recently used cells —
 * an approximation of LRU with no per-entry links — in memory that never grows past the budget.
 *
 * Per slot: high word, low word, fetch time (tenths of a second) and a has-list flag as four Int32
 * words side by side, and a reference to the zone list of a cell that has zones: 20 bytes, at most half the slots used,
 * two generations, so 40–80 bytes of budget per cached cell, plus the lists of non-empty cells
 * (counted as they are added). A generation starts at 4,096 slots and doubles up to its share
 * of the budget, so a cold start allocates almost nothing.
 */

/** A cell's zones as numbers in the matcher's zone table. Shared and read-only. */
export type ZoneList = Int32Array;

/** The list of a cell that holds no zone (most cells): one shared instance. */
export const NO_ZONE_LIST: ZoneList = new Int32Array(0);

/** Bytes per hash slot: four Int32 words and a (compressed) reference. */
const SLOT_BYTES = 4 * 4 + 4;
/** Bytes counted for a non-empty zone list besides its elements (typed-array object). */
const LIST_OVERHEAD_BYTES = 96;
/** Slots a generation starts with. */
const INITIAL_CAPACITY = 4096;

/** Int32 words per slot: high word, low word, fetch time, whether `lists` holds a list. */
const W = 4;

/**
 * One hash table. A slot's words sit together in one Int32Array (16 bytes, one cache line), so a
 * lookup of an empty cell — the common case — touches one line; only cells with zones go on to
 * their list. Times are tenths of a second since `epoch` (enough for 6 years in 31 bits).
 */
class Generation {
  readonly words: Int32Array;
  /** Zone list per slot, for slots whose fourth word is 1. */
  readonly lists: (ZoneList | undefined)[];
  readonly mask: number;
  private readonly shift: number;
  size = 0;
  listBytes = 0;

  constructor(readonly capacity: number) {
    this.words = new Int32Array(W * capacity);
    this.lists = new Array<ZoneList | undefined>(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
  }

  /** A generation of twice the capacity holding the same cells. */
  grown(): Generation {
    const g = new Generation(this.capacity * 2);
    const w = this.words;
    for (let i = 0; i < this.capacity; i++) {
      const high = w[W * i] as number;
      if (high === 0) continue;
      const j = g.slot(high, w[W * i + 1] as number);
      g.words.set(w.subarray(W * i, W * i + W), W * j);
      if (w[W * i + 3] === 1) g.lists[j] = this.lists[i];
    }
    g.size = this.size;
    g.listBytes = this.listBytes;
    return g;
  }

  /** Slot of the key, or of the empty slot where it would go (the high word is never 0). */
  slot(high: number, low: number): number {
    // Multiplicative hashing keeps the product's top bits: the low bits of a cell's low word are
    // its unused digits (all ones), so low product bits would crowd every cell into few slots.
    let i = Math.imul(low ^ Math.imul(high, 0x27d4eb2d), 0x9e3779b1) >>> this.shift;
    const w = this.words;
    for (;;) {
      const h = w[W * i] as number;
      if (h === 0 || (h === high && w[W * i + 1] === low)) return i;
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

  /** Time origin of stored fetch times, ms. */
  private readonly epoch: number;

  /**
   * @param budgetBytes bytes the cache may use; at least 64 KB.
   * @param epochMs time origin for stored fetch times (ms; the clock's time at construction).
   */
  constructor(
    readonly budgetBytes: number,
    epochMs = 0,
  ) {
    this.epoch = epochMs;
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

  /** Tenths of a second since the cache was built (the stored time unit). */
  private tick(ms: number): number {
    return Math.floor((ms - this.epoch) / 100);
  }

  /**
   * The cell's zone list if cached and fetched at or after `freshSince` (ms), else undefined.
   * A hit in the previous generation is copied into the current one. `high` and `low` are the
   * key's words as signed or unsigned 32-bit numbers.
   */
  get(high: number, low: number, freshSince: number): ZoneList | undefined {
    return this.find(high, low, this.sinceTick(freshSince), true);
  }

  /** `freshSince` (ms) in the stored time unit, for `find`. */
  sinceTick(freshSince: number): number {
    return freshSince === Number.NEGATIVE_INFINITY ? -(2 ** 31) : this.tick(freshSince);
  }

  /**
   * `get` with the freshness bound already in ticks (`sinceTick`); on a hit `lastTick` holds the
   * entry's fetch tick. `count` says whether the lookup goes into `stats` (hits and misses).
   */
  find(high: number, low: number, since: number, count: boolean): ZoneList | undefined {
    high |= 0;
    low |= 0;
    const cur = this.current;
    let i = cur.slot(high, low);
    let w = cur.words;
    if (w[W * i] !== 0) {
      const at = w[W * i + 2] as number;
      if (at >= since) {
        if (count) this.stats.hits++;
        this.lastTick = at;
        return w[W * i + 3] === 1 ? cur.lists[i] : NO_ZONE_LIST;
      }
      if (count) this.stats.misses++;
      return undefined;
    }
    const prev = this.previous;
    i = prev.slot(high, low);
    w = prev.words;
    if (w[W * i] !== 0 && (w[W * i + 2] as number) >= since) {
      if (count) this.stats.hits++;
      const at = w[W * i + 2] as number;
      const list = w[W * i + 3] === 1 ? (prev.lists[i] as ZoneList) : NO_ZONE_LIST;
      this.put(high, low, list, at);
      this.lastTick = at;
      return list;
    }
    if (count) this.stats.misses++;
    return undefined;
  }

  /** Fetch tick of the entry the last successful `find` or `get` returned. */
  lastTick = 0;

  /** Caches a cell's zone list as fetched at `fetchedAt` (ms). */
  set(high: number, low: number, list: ZoneList, fetchedAt: number): void {
    this.put(high | 0, low | 0, list, this.tick(fetchedAt));
  }

  /** `set` with the fetch time in ticks (an entry derived from others keeps their oldest tick). */
  setAtTick(high: number, low: number, list: ZoneList, tick: number): void {
    this.put(high | 0, low | 0, list, tick);
  }

  /** `fetchedAt` (ms) in the stored time unit. */
  tickOf(fetchedAt: number): number {
    return this.tick(fetchedAt);
  }

  private put(high: number, low: number, list: ZoneList, at: number): void {
    let cur = this.current;
    const listBytes = list.length === 0 ? 0 : LIST_OVERHEAD_BYTES + list.byteLength;
    let i = cur.slot(high, low);
    if (cur.words[W * i] === 0) {
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
    const w = cur.words;
    if (w[W * i] === 0) {
      cur.size++;
      w[W * i] = high;
      w[W * i + 1] = low;
    } else if (w[W * i + 3] === 1) {
      const old = cur.lists[i] as ZoneList;
      cur.listBytes -= LIST_OVERHEAD_BYTES + old.byteLength;
    }
    w[W * i + 2] = at;
    if (list.length > 0) {
      w[W * i + 3] = 1;
      cur.lists[i] = list;
      cur.listBytes += listBytes;
    } else {
      w[W * i + 3] = 0;
      cur.lists[i] = undefined;
    }
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
