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
}

const NO_MATCHES: MatchedZone[] = [];

/**
 * Finds the zones a batch of points may be inside. Each point costs one h3 `latLngToCell`; its
 * keys at every index resolution are derived by bit operations (cell-keys.ts) and looked up in a
 * byte-budgeted, per-instance cell cache keyed by numbers (cell-cache.ts), negative entries
 * included; all misses of a batch are fetched in one batched round. Zones are numbered once and
 * tested from flat arrays (zone-table.ts). A warm batch in no zone costs no database request and
 * allocates nothing per point.
 */
export class ZoneMatcher {
  private readonly cells: CellCache;
  private readonly zones = new ZoneTable();
  private readonly zoneBudget: number;
  private readonly heads = new Map<string, { zone: number | undefined; fetchedAt: number }>();
  private readonly pointLists = new Array<ZoneList | undefined>(KEYS_PER_POINT);
  private readonly pointKeys = new Uint32Array(2 * KEYS_PER_POINT);
  /** Per zone id number: the stamp of the last point that met it, and where in the output. */
  private seenStamp = new Int32Array(1024);
  private seenAt = new Int32Array(1024);
  private stamp = 0;
  /** Zone entries in the cells found by the last `lookupPoint`. */
  private zonesMet = 0;
  private readonly counters = { cellsRead: 0, readRounds: 0, flushes: 0, exactTests: 0 };

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
   * Computes the point's keys and writes its cells' cached lists into `lists[at…at + K)`;
   * returns the number of cells not cached and fresh (their slots left undefined).
   */
  private lookupPoint(
    lat: number,
    lon: number,
    lists: (ZoneList | undefined)[],
    at: number,
    freshSince: number,
  ): number {
    const keys = this.pointKeys;
    pointCellKeys(lat, lon, keys);
    let missing = 0;
    let zones = 0;
    for (let s = 0; s < KEYS_PER_POINT; s++) {
      const list = this.cells.get(keys[2 * s] as number, keys[2 * s + 1] as number, freshSince);
      lists[at + s] = list;
      if (list === undefined) missing++;
      else zones += list.length;
    }
    this.zonesMet = zones;
    return missing;
  }

  /**
   * The cached cell lists of every point (K per point, in order), with every miss of the batch
   * fetched in one batched read.
   */
  private async load(
    points: readonly { lat: number; lon: number }[],
    retry = true,
  ): Promise<(ZoneList | undefined)[]> {
    const lists = new Array<ZoneList | undefined>(points.length * KEYS_PER_POINT);
    const freshSince = this.freshSince();
    let misses: Map<string, { high: number; low: number; at: number[] }> | undefined;
    for (let p = 0; p < points.length; p++) {
      const point = points[p] as { lat: number; lon: number };
      const at = p * KEYS_PER_POINT;
      if (this.lookupPoint(point.lat, point.lon, lists, at, freshSince) === 0) continue;
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
    if (!misses) return lists;
    const now = this.deps.clock.now();
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
      for (const i of at) lists[i] = list;
    }
    if (retry && this.zones.bytes > this.zoneBudget) {
      // Zone numbers restart with the table: cached cells would name the wrong zones, so all
      // go. Rare (a whole region's zones changed, or a tiny budget); the batch is read again.
      this.counters.flushes++;
      this.flush();
      return this.load(points, false);
    }
    return lists;
  }

  private growSeen(idNumbers: number): void {
    const size = 2 ** Math.ceil(Math.log2(idNumbers));
    const stamps = new Int32Array(size);
    stamps.set(this.seenStamp);
    this.seenStamp = stamps;
    this.seenAt = new Int32Array(size);
  }

  /**
   * Writes into `out` the numbers of the zones whose cover holds the point (newest version of
   * each zone id, once) from its cell lists at `lists[at…at + K)`; returns their count.
   */
  private gather(lists: readonly (ZoneList | undefined)[], at: number, out: number[]): number {
    out.length = 0;
    // One non-empty cell (the common case): its zones are distinct ids already.
    let only = -1;
    for (let s = 0; s < KEYS_PER_POINT; s++) {
      if ((lists[at + s] as ZoneList).length === 0) continue;
      if (only >= 0) {
        only = -2;
        break;
      }
      only = s;
    }
    if (only >= 0) {
      const list = lists[at + only] as ZoneList;
      for (let j = 0; j < list.length; j++) out.push(list[j] as number);
      return out.length;
    }
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
    return out.length;
  }

  /**
   * Candidate zones per point (zones whose cover holds the point's cell, newest version of each),
   * with every cache miss of the batch fetched in one batched round.
   */
  async candidates(points: readonly { lat: number; lon: number }[]): Promise<MatchedZone[][]> {
    const lists = await this.load(points);
    const found: number[] = [];
    return points.map((_, p) => {
      if (this.gather(lists, p * KEYS_PER_POINT, found) === 0) return NO_MATCHES;
      return found.map((z) => this.zones.matchedAt(z));
    });
  }

  /**
   * The zones holding the point (exact test), as zone numbers written to `out`; returns their
   * count, or -1 when one of the point's cells is not cached and fresh (then call `prime`).
   * Synchronous and allocation-free: the per-point work of `candidates` (same lookups, same
   * cache, same counters) plus the exact test. The benchmark times this.
   */
  zonesHolding(lat: number, lon: number, out: number[]): number {
    const lists = this.pointLists;
    if (this.lookupPoint(lat, lon, lists, 0, this.freshSince()) > 0) return -1;
    if (this.zonesMet === 0) {
      // Most points: every cell empty.
      if (out.length !== 0) out.length = 0;
      return 0;
    }
    const n = this.gather(lists, 0, out);
    this.counters.exactTests += n;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const z = out[i] as number;
      if (this.zones.contains(z, lat, lon)) out[k++] = z;
    }
    out.length = k;
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
