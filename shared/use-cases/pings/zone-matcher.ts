import type { Clock } from "../../ports.ts";
import type { IndexedZone } from "../ports/geo-index-port.ts";
import { CellCache, type CellCacheStats, NO_ZONE_LIST, type ZoneList } from "./cell-cache.ts";
import { cellOfKey, KEYS_PER_POINT, pointCellKeys } from "./cell-keys.ts";
import { type MatchedZone, ZoneTable } from "./zone-table.ts";

export type { MatchedZone } from "./zone-table.ts";

export interface ZoneMatcherDeps {
  /** Batched cell reads from the geofence index (cells as H3 strings). */
  getCells(cells: string[]): Promise<Map<string, IndexedZone[]>>;
  /** Committed zone heads by id (for zones a device is in whose cells a ping did not touch). */
  getHeads(zoneIds: string[]): Promise<Map<string, IndexedZone>>;
  clock: Clock;
  /** How long a cached cell may be served (bounded staleness of catalog edits), ms. */
  ttlMs: number;
  /**
   * Memory the cache may use, bytes (cells and the zones they hold); see
   * `matchCacheBudgetBytes` for the default derived from the function's memory.
   */
  budgetBytes: number;
}

/** Share of the budget for cells; the rest holds the zones the cells name. */
const CELL_SHARE = 0.75;

/** Counters for metrics, tests and the benchmark (monotonic since the instance started). */
export interface ZoneMatcherStats extends CellCacheStats {
  /** Cells read from the index (cache misses fetched). */
  cellsRead: number;
  /** Batched read rounds (each one `getCells` call). */
  readRounds: number;
  /** Whole-cache flushes because the zones outgrew their share of the budget. */
  flushes: number;
  /** Exact tests run by `zonesHolding` (candidates tested). */
  exactTests: number;
  /** Points answered by their memo (one lookup instead of K; not counted in hits/misses). */
  memoHits: number;
}

const NO_MATCHES: MatchedZone[] = [];

/** Slot of the finest index resolution among a point's keys (the last one). */
const FINEST = KEYS_PER_POINT - 1;
/** High-word bit marking a point memo's key: bit 63 of the index, never set in an H3 cell. */
const MEMO_BIT = 0x80000000 | 0;

/**
 * Finds the zones a batch of points may be inside. Each point costs one `latLngToCellKey` (the
 * numeric port of h3's `latLngToCell`); its keys at every index resolution are derived by bit
 * operations (cell-keys.ts) and looked up in a byte-budgeted, per-instance cell cache keyed by
 * numbers (cell-cache.ts), negative entries included; all misses of a batch are fetched in one
 * batched round. The candidates gathered from a point's K cells are remembered under its finest
 * cell (a "memo" entry in the same cache, stamped with the oldest of the K fetch times, so it
 * expires with them): a warm point whose finest cell was seen within the TTL costs one lookup.
 * Zones are numbered once and tested from flat arrays (zone-table.ts). A warm batch in no zone
 * costs no database request and allocates nothing per point.
 */
export class ZoneMatcher {
  private readonly cells: CellCache;
  private readonly zones = new ZoneTable();
  private readonly zoneBudget: number;
  private readonly heads = new Map<string, { zone: number | undefined; fetchedAt: number }>();
  private readonly pointLists = new Array<ZoneList | undefined>(KEYS_PER_POINT);
  private readonly pointKeys = new Uint32Array(2 * KEYS_PER_POINT);
  private readonly pointTicks = new Int32Array(KEYS_PER_POINT);
  private readonly scratch: number[] = [];
  /** Per zone id number: the stamp of the last point that met it, and where in the output. */
  private seenStamp = new Int32Array(1024);
  private seenAt = new Int32Array(1024);
  private stamp = 0;
  private readonly counters = {
    cellsRead: 0,
    readRounds: 0,
    flushes: 0,
    exactTests: 0,
    memoHits: 0,
  };

  constructor(private readonly deps: ZoneMatcherDeps) {
    this.cells = new CellCache(deps.budgetBytes * CELL_SHARE, deps.clock.now());
    this.zoneBudget = deps.budgetBytes * (1 - CELL_SHARE);
  }

  /** Number of cells currently cached (for metrics and tests). */
  get cachedCells(): number {
    return this.cells.size;
  }

  /** Bytes the cache holds (cell tables, counted zone lists and zones). */
  get bytes(): number {
    return this.cells.bytes + this.zones.bytes;
  }

  /** Hits, misses, reads and evictions so far. */
  get stats(): ZoneMatcherStats {
    return { ...this.cells.stats, ...this.counters };
  }

  private freshSince(): number {
    return this.deps.clock.now() - this.deps.ttlMs;
  }

  /**
   * The point's memo: its candidate zones as gathered from its K cells, cached under its finest
   * cell's key with MEMO_BIT set (H3 never sets bit 63) and the oldest fetch tick of those
   * cells, so it is fresh exactly while all of them are. Computes the point's keys first.
   */
  private memo(lat: number, lon: number, since: number): ZoneList | undefined {
    const keys = this.pointKeys;
    pointCellKeys(lat, lon, keys);
    const list = this.cells.find(
      (keys[2 * FINEST] as number) | MEMO_BIT,
      keys[2 * FINEST + 1] as number,
      since,
      false,
    );
    if (list !== undefined) this.counters.memoHits++;
    return list;
  }

  /**
   * Looks up the K cells of the point whose keys `memo` just computed, writing their cached
   * lists into `lists[at…at + K)` and fetch ticks into `ticks`; returns the number of cells not
   * cached and fresh (their slots left undefined).
   */
  private lookupCells(
    lists: (ZoneList | undefined)[],
    ticks: Int32Array,
    at: number,
    since: number,
  ): number {
    const keys = this.pointKeys;
    let missing = 0;
    for (let s = 0; s < KEYS_PER_POINT; s++) {
      const list = this.cells.find(keys[2 * s] as number, keys[2 * s + 1] as number, since, true);
      lists[at + s] = list;
      if (list === undefined) missing++;
      else ticks[at + s] = this.cells.lastTick;
    }
    return missing;
  }

  /**
   * The candidates of a point whose K cell lists sit at `lists[at…at + K)` (all defined), as one
   * list, cached as the point's memo under the keys in `keys` (the point's own).
   */
  private remember(
    lists: readonly (ZoneList | undefined)[],
    ticks: Int32Array,
    at: number,
    keys: Uint32Array,
    scratch: number[],
  ): ZoneList {
    let oldest = ticks[at] as number;
    for (let s = 1; s < KEYS_PER_POINT; s++) oldest = Math.min(oldest, ticks[at + s] as number);
    const list = this.gather(lists, at, scratch);
    this.cells.setAtTick(
      (keys[2 * FINEST] as number) | MEMO_BIT,
      keys[2 * FINEST + 1] as number,
      list,
      oldest,
    );
    return list;
  }

  /**
   * Candidate zone lists of every point (deduplicated zone numbers), with every cache miss of
   * the batch fetched in one batched read.
   */
  private async load(
    points: readonly { lat: number; lon: number }[],
    retry = true,
  ): Promise<ZoneList[]> {
    const out = new Array<ZoneList>(points.length);
    const since = this.cells.sinceTick(this.freshSince());
    let lists: (ZoneList | undefined)[] | undefined;
    let ticks: Int32Array | undefined;
    let pointKeys: Uint32Array | undefined;
    let misses: Map<string, { high: number; low: number; at: number[] }> | undefined;
    const pending: number[] = [];
    for (let p = 0; p < points.length; p++) {
      const point = points[p] as { lat: number; lon: number };
      const memo = this.memo(point.lat, point.lon, since);
      if (memo !== undefined) {
        out[p] = memo;
        continue;
      }
      lists ??= new Array<ZoneList | undefined>(points.length * KEYS_PER_POINT);
      ticks ??= new Int32Array(points.length * KEYS_PER_POINT);
      pointKeys ??= new Uint32Array(points.length * 2 * KEYS_PER_POINT);
      pointKeys.set(this.pointKeys, p * 2 * KEYS_PER_POINT);
      pending.push(p);
      const at = p * KEYS_PER_POINT;
      if (this.lookupCells(lists, ticks, at, since) === 0) continue;
      misses ??= new Map();
      for (let s = 0; s < KEYS_PER_POINT; s++) {
        if (lists[at + s] !== undefined) continue;
        const high = this.pointKeys[2 * s] as number;
        const low = this.pointKeys[2 * s + 1] as number;
        const cell = cellOfKey(high, low);
        const miss = misses.get(cell);
        if (miss) miss.at.push(at + s);
        else misses.set(cell, { high, low, at: [at + s] });
      }
    }
    if (!lists || !ticks || !pointKeys) return out;
    if (misses) {
      const now = this.deps.clock.now();
      const nowTick = this.cells.tickOf(now);
      const fetched = await this.deps.getCells([...misses.keys()]);
      this.counters.cellsRead += misses.size;
      this.counters.readRounds++;
      for (const [cell, { high, low, at }] of misses) {
        const found = fetched.get(cell) ?? [];
        let list = NO_ZONE_LIST;
        if (found.length > 0) {
          list = new Int32Array(found.length);
          for (let i = 0; i < found.length; i++) list[i] = this.zones.add(found[i] as IndexedZone);
        }
        this.cells.set(high, low, list, now);
        for (const i of at) {
          lists[i] = list;
          ticks[i] = nowTick;
        }
      }
      if (retry && this.zones.bytes > this.zoneBudget) {
        // Zone numbers restart with the table: cached cells would name the wrong zones, so all
        // go. Rare (a whole region's zones changed, or a tiny budget); the batch is read again.
        this.counters.flushes++;
        this.flush();
        return this.load(points, false);
      }
    }
    const scratch: number[] = [];
    for (const p of pending) {
      const keys = pointKeys.subarray(p * 2 * KEYS_PER_POINT, (p + 1) * 2 * KEYS_PER_POINT);
      out[p] = this.remember(lists, ticks, p * KEYS_PER_POINT, keys, scratch);
    }
    return out;
  }

  private growSeen(idNumbers: number): void {
    const size = 2 ** Math.ceil(Math.log2(idNumbers));
    const stamps = new Int32Array(size);
    stamps.set(this.seenStamp);
    this.seenStamp = stamps;
    this.seenAt = new Int32Array(size);
  }

  /**
   * The numbers of the zones whose cover holds the point (newest version of each zone id, once)
   * from its cell lists at `lists[at…at + K)`. One non-empty cell (the common case) gives its
   * own list; several are merged into a new one (`scratch` is working space).
   */
  private gather(
    lists: readonly (ZoneList | undefined)[],
    at: number,
    scratch: number[],
  ): ZoneList {
    let only = -1;
    for (let s = 0; s < KEYS_PER_POINT; s++) {
      if ((lists[at + s] as ZoneList).length === 0) continue;
      if (only >= 0) {
        only = -2;
        break;
      }
      only = s;
    }
    // No non-empty cell (most points), or one: its zones are distinct ids already.
    if (only === -1) return NO_ZONE_LIST;
    if (only >= 0) return lists[at + only] as ZoneList;
    const out = scratch;
    out.length = 0;
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.seenStamp.fill(0);
      this.stamp = 1;
    }
    for (let s = 0; s < KEYS_PER_POINT; s++) {
      const list = lists[at + s] as ZoneList;
      for (let j = 0; j < list.length; j++) {
        const n = list[j] as number;
        const id = this.zones.idNumber(n);
        if (id >= this.seenStamp.length) this.growSeen(id + 1);
        if (this.seenStamp[id] === this.stamp) {
          // Another version of the same zone (a move in progress): keep the newest.
          const i = this.seenAt[id] as number;
          if (this.zones.version(out[i] as number) < this.zones.version(n)) out[i] = n;
          continue;
        }
        this.seenStamp[id] = this.stamp;
        this.seenAt[id] = out.length;
        out.push(n);
      }
    }
    return Int32Array.from(out);
  }

  /**
   * Candidate zones per point (zones whose cover holds the point's cell, newest version of each),
   * with every cache miss of the batch fetched in one batched round.
   */
  async candidates(points: readonly { lat: number; lon: number }[]): Promise<MatchedZone[][]> {
    const lists = await this.load(points);
    return lists.map((list) => {
      if (list.length === 0) return NO_MATCHES;
      const found = new Array<MatchedZone>(list.length);
      for (let i = 0; i < list.length; i++) found[i] = this.zones.matchedAt(list[i] as number);
      return found;
    });
  }

  /**
   * The zones holding the point (exact test), as zone numbers written to `out`; returns their
   * count, or -1 when one of the point's cells is not cached and fresh (then call `prime`).
   * Synchronous: the per-point work of `candidates` (same memo, lookups, cache and counters)
   * plus the exact test; allocation-free when the point's memo is fresh. The benchmark times
   * this.
   */
  zonesHolding(lat: number, lon: number, out: number[]): number {
    const since = this.cells.sinceTick(this.freshSince());
    let list = this.memo(lat, lon, since);
    if (list === undefined) {
      if (this.lookupCells(this.pointLists, this.pointTicks, 0, since) > 0) return -1;
      list = this.remember(this.pointLists, this.pointTicks, 0, this.pointKeys, this.scratch);
    }
    let k = 0;
    if (list.length > 0) {
      this.counters.exactTests += list.length;
      for (let i = 0; i < list.length; i++) {
        const z = list[i] as number;
        if (this.zones.contains(z, lat, lon)) out[k++] = z;
      }
    }
    if (out.length !== k) out.length = k;
    return k;
  }

  /** Zone number (as written by `zonesHolding`) → zone. */
  zoneAt(n: number): MatchedZone {
    return this.zones.matchedAt(n);
  }

  /** Loads the cells of these points into the cache (one batched read for the misses). */
  async prime(points: readonly { lat: number; lon: number }[]): Promise<void> {
    await this.load(points);
  }

  /**
   * Zones by id for visits a device has open whose zone no ping of the batch touched (to measure
   * how far outside it the device now is). Deleted zones come back absent.
   */
  async zonesById(zoneIds: readonly string[]): Promise<Map<string, MatchedZone>> {
    const freshSince = this.freshSince();
    const found = new Map<string, MatchedZone>();
    const missing: string[] = [];
    for (const id of new Set(zoneIds)) {
      const cached = this.heads.get(id);
      if (cached !== undefined && cached.fetchedAt >= freshSince) {
        if (cached.zone !== undefined) found.set(id, this.zones.matchedAt(cached.zone));
      } else missing.push(id);
    }
    if (missing.length > 0) {
      const now = this.deps.clock.now();
      const heads = await this.deps.getHeads(missing);
      for (const id of missing) {
        const head = heads.get(id);
        const zone = head ? this.zones.add(head) : undefined;
        this.heads.set(id, { zone, fetchedAt: now });
        if (zone !== undefined) found.set(id, this.zones.matchedAt(zone));
      }
    }
    return found;
  }

  private flush(): void {
    this.cells.clear();
    this.zones.clear();
    this.heads.clear();
  }

  /** Drops every cached entry (tests, or after a catalog change in the same instance). */
  clear(): void {
    this.flush();
  }
}

/** Share of the function's memory the match cache may use by default. */
export const MATCH_CACHE_MEMORY_SHARE = 0.25;

/**
 * Default cache budget: a quarter of the Lambda function's memory (AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
 * MB, set by Lambda; 1024 MB assumed elsewhere), leaving the rest to the runtime, the SDK and the
 * batch being served. Bytes.
 */
export function matchCacheBudgetBytes(functionMemoryMb: number): number {
  return Math.floor(functionMemoryMb * 1024 * 1024 * MATCH_CACHE_MEMORY_SHARE);
}
