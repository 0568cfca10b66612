/**
 * One matcher size, in its own process (`node --expose-gc`) so heap figures start from a clean
 * slate: builds Footfall's compact index from the precomputed covers, flatbush from the bench's
 * own boxes, times every engine warm over the same pings, and judges all answers.
 *
 * Usage: node --expose-gc --import tsx bench/matcher/child.ts '<MatcherChildOptions JSON>'
 */
import { writeFileSync } from "node:fs";
import type { IndexedZone } from "../../shared/adapters/dynamo/geo-index-port.ts";
import { cellsForPoint } from "../../shared/domain/geometry/cover.ts";
import {
  cellOfKey,
  KEYS_PER_POINT,
  pointCellKeys,
} from "../../shared/use-cases/pings/cell-keys.ts";
import {
  MATCH_CACHE_MEMORY_SHARE,
  matchCacheBudgetBytes,
  ZoneMatcher,
} from "../../shared/use-cases/pings/zone-matcher.ts";
import { benchPing, benchZone } from "../geofences.ts";
import { cellKey, RESOLUTION_SLOTS } from "./cell-keys.ts";
import { CompactCellIndex } from "./compact-index.ts";
import { loadCovers } from "./cover-store.ts";
import {
  BruteForceEngine,
  boxHolds,
  type Engine,
  FlatbushEngine,
  FootfallEngine,
  ReferenceOracle,
  turfVerdict,
  zoneBox,
} from "./engines.ts";
import { NaiveMapEngine } from "./naive-map.ts";
import { measurePostgis, type PostgisResult } from "./postgis.ts";
import { ZoneStore } from "./zone-store.ts";

/** What the parent asks one child to measure. */
export interface MatcherChildOptions {
  size: number;
  seed: number;
  pings: number;
  coversDir: string;
  /** Time brute force (small sizes only). */
  bruteForce: boolean;
  /** Build and time the naive string-keyed map too. */
  naiveMap: boolean;
  /** Pings judged against the reference oracle. */
  referencePings: number;
  /** Pings judged by the independent turf oracle. */
  turfPings: number;
  /** A running PostGIS cluster to answer the same pings (optional stage, postgis.ts). */
  postgis?: { socketDir: string; port: number; version: string };
  /** Timed passes per engine (the median is reported). */
  passes: number;
  outFile: string;
}

/** Figures for one size (one row of `matcher` in results.json, plus details). */
export interface MatcherChildResult {
  geofences: number;
  pings: number;
  footfallUsPerPing: number;
  /** Part of Footfall's time spent computing the ping's H3 keys (`pointCellKeys`, as shipped). */
  footfallKeysUsPerPing: number;
  flatbushUsPerPing: number;
  bruteForceUsPerPing: number | null;
  naiveMapUsPerPing: number | null;
  /** The same passes timed by the wall clock (inflated when other work shares the cores). */
  wallUsPerPing: {
    footfall: number;
    flatbush: number;
    bruteForce: number | null;
    naiveMap: number | null;
  };
  footfallHeapBytesPerGeofence: number;
  /** The shipped matcher's cache in this size (budget as deployed, what it held, what it read). */
  cache: {
    budgetBytes: number;
    functionMemoryMb: number;
    memoryShare: number;
    /** Bytes the cache counts against its budget after the warm-up. */
    bytesCounted: number;
    /** Heap growth from building the matcher through the warm-up (cache, zones, compiled polygons). */
    heapBytes: number;
    /** Heap of the stand-in table (not part of Footfall's footprint in production). */
    tableStandInBytes: number;
    cachedCells: number;
    /** Cells read through the port on the cold pass, and the batched rounds. */
    cellsRead: number;
    readRounds: number;
    /** Share of cell lookups served from the cache during the cold pass (batches of 50). */
    coldHitRate: number;
    /** Share of pings answered by their memo (one lookup) on a warm replay of the same pings. */
    warmMemoHitRate: number;
    evicted: number;
    flushes: number;
  };
  footfallHeapBytesPerGeofenceBeforeQueries: number;
  flatbushHeapBytesPerGeofence: number;
  naiveMapHeapBytesPerGeofence: number | null;
  footfallIndexBuildMs: number;
  flatbushBuildMs: number;
  coverCpuMs: number;
  cellEntries: number;
  distinctCells: number;
  polygons: number;
  candidatesPerPing: { footfall: number; flatbush: number };
  zonesPerPing: number;
  pingsInSomeZone: number;
  mismatches: number;
  /** The same zones and pings in PostGIS (null when the stage is skipped). */
  postgis: PostgisResult | null;
  mismatchDetail: {
    footfallVsFlatbush: number;
    footfallVsReference: number;
    flatbushVsReference: number;
    bruteForceVsReference: number;
    naiveMapVsReference: number;
    pingKeysVsCellsForPoint: number;
    referenceVsTurf: number;
  };
  checked: {
    crossCheckPings: number;
    referencePings: number;
    turfPings: number;
    turfUndecided: number;
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap plus array buffers after full collections (typed arrays live outside the JS heap). */
function memory(): number {
  if (!gc) throw new Error("run with node --expose-gc");
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/** Microseconds per ping of one pass over pings [from, to): thread CPU time and wall time. */
interface PassTime {
  cpu: number;
  wall: number;
  /** Queries the figures average over. */
  queries: number;
}

/**
 * Thread CPU time is accounted in scheduler ticks here (a few ms), so a pass repeats the pings
 * until at least this much CPU time has accumulated: the tick then costs under 2 %.
 */
const MIN_PASS_CPU_US = 250_000;

function cpuUs(since: NodeJS.CpuUsage): number {
  const c = process.threadCpuUsage(since);
  return c.user + c.system;
}

function pass(
  engine: Engine,
  lats: Float64Array,
  lons: Float64Array,
  to: number,
  from = 0,
): PassTime {
  const out: number[] = [];
  let found = 0;
  let queries = 0;
  const c0 = process.threadCpuUsage();
  const t0 = performance.now();
  do {
    for (let i = from; i < to; i++)
      found += engine.query(lats[i] as number, lons[i] as number, out);
    queries += to - from;
  } while (cpuUs(c0) < MIN_PASS_CPU_US);
  const wall = ((performance.now() - t0) * 1000) / queries;
  if (found < 0) throw new Error("unreachable");
  return { cpu: cpuUs(c0) / queries, wall, queries };
}

/**
 * Pings per window. The shipped matcher's cache has a byte budget (`matchCacheBudgetBytes` of
 * the ping function's memory), not room for every cell the whole ping set touches: at 1,000,000
 * geofences 50,000 scattered pings touch more cells than it holds, and a warm Lambda only ever
 * holds its recent working set. So the Footfall engine is primed (untimed, through its own port,
 * as ingest reads cells) window by window and timed on each window while warm; every engine is
 * timed over the same windows so the comparison stays like for like.
 */
const WINDOW = 5_000;

/**
 * Calls `fn` on consecutive windows of pings [0, n), each after the Footfall engine's cache was
 * primed with that window's cells (untimed).
 */
async function forWindows(
  footfall: FootfallEngine,
  lats: Float64Array,
  lons: Float64Array,
  n: number,
  fn: (from: number, to: number) => void,
): Promise<void> {
  const out: number[] = [];
  for (let from = 0; from < n; from += WINDOW) {
    const to = Math.min(n, from + WINDOW);
    // When the zone table outgrows its budget the matcher drops its whole cache (zone numbers
    // restart), possibly halfway through this window's batches: prime again from the empty
    // cache, which the window alone fits.
    for (let attempt = 0; ; attempt++) {
      const flushes = footfall.matcher.stats.flushes;
      await footfall.prime(lats.subarray(from, to), lons.subarray(from, to), to - from);
      if (footfall.matcher.stats.flushes === flushes) break;
      if (attempt === 2) {
        throw new Error(`the zones of ${to - from} pings do not fit the matcher's zone budget`);
      }
    }
    // Untimed: compiles the polygons of zones the window meets (a warm Lambda has them).
    for (let i = from; i < to; i++) footfall.query(lats[i] as number, lons[i] as number, out);
    fn(from, to);
  }
}

/** One timed pass of `engine` over pings [0, n), window by window (see WINDOW). */
async function windowedPass(
  footfall: FootfallEngine,
  engine: Engine,
  lats: Float64Array,
  lons: Float64Array,
  n: number,
): Promise<PassTime> {
  let cpu = 0;
  let wall = 0;
  let queries = 0;
  await forWindows(footfall, lats, lons, n, (from, to) => {
    const t = pass(engine, lats, lons, to, from);
    cpu += t.cpu * t.queries;
    wall += t.wall * t.queries;
    queries += t.queries;
  });
  return { cpu: cpu / queries, wall: wall / queries, queries };
}

/** Thread CPU µs per ping of computing the H3 keys alone (the floor under Footfall's time). */
function keysPass(lats: Float64Array, lons: Float64Array, n: number): number {
  const keys = new Uint32Array(2 * KEYS_PER_POINT);
  let sum = 0;
  let queries = 0;
  const c0 = process.threadCpuUsage();
  do {
    for (let i = 0; i < n; i++) {
      pointCellKeys(lats[i] as number, lons[i] as number, keys);
      sum += keys[0] as number;
    }
    queries += n;
  } while (cpuUs(c0) < MIN_PASS_CPU_US);
  if (Number.isNaN(sum)) throw new Error("unreachable");
  return cpuUs(c0) / queries;
}

/** Median of several passes, by CPU time (what the engine costs, whatever else runs). */
function medianPass(runs: PassTime[]): PassTime {
  return {
    cpu: median(runs.map((r) => r.cpu)),
    wall: median(runs.map((r) => r.wall)),
    queries: median(runs.map((r) => r.queries)),
  };
}

function sameAnswers(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.every((v, i) => v === y[i]);
}

function disagreements(
  a: Engine,
  b: Engine,
  lats: Float64Array,
  lons: Float64Array,
  n: number,
  from = 0,
): number {
  const oa: number[] = [];
  const ob: number[] = [];
  let bad = 0;
  for (let i = from; i < n; i++) {
    a.query(lats[i] as number, lons[i] as number, oa);
    b.query(lats[i] as number, lons[i] as number, ob);
    if (!sameAnswers(oa, ob)) bad++;
  }
  return bad;
}

/** Runs one size and returns its figures. */
/** The Lambda memory the matcher's cache budget is derived from (infra/function-specs.ts). */
const PING_FUNCTION_MEMORY_MB = 1024;

/**
 * A stand-in for the DynamoDB geo table behind the matcher's `getCells` port: the compact index
 * of the real covers, answering with the zones as the adapter would return them. Not timed.
 */
function standInTable(index: CompactCellIndex, seed: number) {
  const zones = new Map<number, IndexedZone>();
  const indexed = (z: number): IndexedZone => {
    let zone = zones.get(z);
    if (!zone) {
      const b = benchZone(seed, z);
      zone = {
        zoneId: String(z),
        version: 1,
        kind: b.kind,
        merchantId: "m",
        storeId: `s${z}`,
        geometry: b.encoded,
        characteristicRadiusM: b.sizeM,
        dwellSeconds: 0,
      };
      zones.set(z, zone);
    }
    return zone;
  };
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    async getCells(cells: string[]): Promise<Map<string, IndexedZone[]>> {
      reads++;
      const out = new Map<string, IndexedZone[]>();
      for (const cell of cells) {
        const { slot, key } = cellKey(cell);
        const i = index.find(slot, key);
        const list: IndexedZone[] = [];
        if (i >= 0) {
          const offsets = index.offsetsAt(slot);
          const zs = index.zonesAt(slot);
          for (let j = offsets[i] as number; j < (offsets[i + 1] as number); j++) {
            list.push(indexed(zs[j] as number));
          }
        }
        out.set(cell, list);
      }
      return out;
    },
  };
}

export async function runMatcherSize(o: MatcherChildOptions): Promise<MatcherChildResult> {
  const n = o.size;
  // Inputs first (pings, boxes, covers): they are not part of any engine's footprint.
  const lats = new Float64Array(o.pings);
  const lons = new Float64Array(o.pings);
  for (let j = 0; j < o.pings; j++) {
    const p = benchPing(o.seed, j, n);
    lats[j] = p.lat;
    lons[j] = p.lon;
  }
  const boxes = new Float64Array(4 * n);
  let covers: ReturnType<typeof loadCovers> | undefined = loadCovers(o.coversDir, n);
  const coverCpuMs = covers.coverMs.reduce((s, v) => s + v, 0);
  const entryZones = new Uint32Array(covers.keys.length);
  for (let z = 0, at = 0; z < n; z++) {
    const c = covers.counts[z] as number;
    entryZones.fill(z, at, at + c);
    at += c;
  }

  const before = memory();
  const store = new ZoneStore(n);
  for (let z = 0; z < n; z++) {
    const zone = benchZone(o.seed, z);
    store.set(z, zone);
    zoneBox(zone, boxes, z);
  }
  const t0 = performance.now();
  const index = CompactCellIndex.build(
    { slots: covers.slots, keys: covers.keys, zones: entryZones, count: covers.keys.length },
    RESOLUTION_SLOTS.length,
  );
  const footfallIndexBuildMs = performance.now() - t0;
  const table = standInTable(index, o.seed);
  const tableBytes = memory() - before;
  const budgetBytes = matchCacheBudgetBytes(PING_FUNCTION_MEMORY_MB);
  const matcher = new ZoneMatcher({
    getCells: (cells) => table.getCells(cells),
    getHeads: async () => new Map(),
    clock: { now: () => 0 },
    ttlMs: 60_000,
    budgetBytes,
  });
  const footfall = new FootfallEngine(matcher);
  const m0 = memory();
  const structureBytes = m0 - before;
  // Cold pass: the pings' cells read through the port in batches of 50, as ingest reads them.
  await footfall.prime(lats, lons, o.pings);
  const coldStats = matcher.stats;
  // Warm-up: compiles the polygons the pings touch, as a warm Lambda would have.
  await windowedPass(footfall, footfall, lats, lons, o.pings);
  const afterWarm = memory();
  const matcherHeapBytes = afterWarm - m0;
  const footfallBytes = afterWarm - before;

  const t1 = performance.now();
  const flatbush = new FlatbushEngine(boxes, store);
  const flatbushBuildMs = performance.now() - t1;
  const flatbushBytes = memory() - afterWarm;
  // Inputs stay referenced until here so every heap figure has the same baseline.
  covers = undefined;
  await windowedPass(footfall, flatbush, lats, lons, o.pings);

  const footfallRuns: PassTime[] = [];
  const flatbushRuns: PassTime[] = [];
  for (let r = 0; r < o.passes; r++) {
    footfallRuns.push(await windowedPass(footfall, footfall, lats, lons, o.pings));
    flatbushRuns.push(await windowedPass(footfall, flatbush, lats, lons, o.pings));
  }
  const keyRuns: number[] = [];
  for (let r = 0; r < o.passes; r++) keyRuns.push(keysPass(lats, lons, o.pings));

  const brute = new BruteForceEngine(store);
  let bruteForceTime: PassTime | null = null;
  if (o.bruteForce) {
    const m = Math.max(200, Math.min(o.pings, Math.floor(2e7 / n)));
    pass(brute, lats, lons, Math.min(m, 200));
    const runs: PassTime[] = [];
    for (let r = 0; r < o.passes; r++) runs.push(pass(brute, lats, lons, m));
    bruteForceTime = medianPass(runs);
  }

  // Judging: footfall and flatbush agree on every ping; a sample is judged by the reference.
  // The warm replay's memo hits are counted over this pass's own queries only (one per ping):
  // priming and the untimed compile pass of each window query the matcher too.
  let footfallVsFlatbush = 0;
  let warmMemoHits = 0;
  await forWindows(footfall, lats, lons, o.pings, (from, to) => {
    const memoBefore = matcher.stats.memoHits;
    footfallVsFlatbush += disagreements(footfall, flatbush, lats, lons, to, from);
    warmMemoHits += matcher.stats.memoHits - memoBefore;
  });
  const warmMemoHitRate = warmMemoHits / o.pings;
  const reference = new ReferenceOracle(boxes, n, (z) => benchZone(o.seed, z));
  const refN = Math.min(o.referencePings, o.pings);
  let footfallVsReference = 0;
  await forWindows(footfall, lats, lons, refN, (from, to) => {
    footfallVsReference += disagreements(footfall, reference, lats, lons, to, from);
  });
  const flatbushVsReference = disagreements(flatbush, reference, lats, lons, refN);
  const bruteN = Math.min(refN, Math.max(50, Math.floor(5e7 / n)));
  const bruteForceVsReference = disagreements(brute, reference, lats, lons, bruteN);
  let pingKeysVsCellsForPoint = 0;
  const keys = new Uint32Array(2 * KEYS_PER_POINT);
  for (let i = 0; i < o.pings; i++) {
    pointCellKeys(lats[i] as number, lons[i] as number, keys);
    const expected = cellsForPoint(lats[i] as number, lons[i] as number);
    if (expected.some((c, s) => c !== cellOfKey(keys[2 * s] as number, keys[2 * s + 1] as number)))
      pingKeysVsCellsForPoint++;
  }

  let referenceVsTurf = 0;
  let turfUndecided = 0;
  const turfN = Math.min(o.turfPings, o.pings);
  const refOut: number[] = [];
  for (let i = 0; i < turfN; i++) {
    const lat = lats[i] as number;
    const lon = lons[i] as number;
    reference.query(lat, lon, refOut);
    const inside = new Set(refOut);
    let wrong = false;
    for (let z = 0; z < n; z++) {
      if (!boxHolds(boxes, z, lat, lon)) continue;
      const verdict = turfVerdict(benchZone(o.seed, z), lat, lon);
      if (verdict === undefined) {
        turfUndecided++;
        continue;
      }
      if (verdict !== inside.has(z)) wrong = true;
    }
    if (wrong) referenceVsTurf++;
  }

  let naiveMapTime: PassTime | null = null;
  let naiveMapBytes: number | null = null;
  let naiveMapVsReference = 0;
  if (o.naiveMap) {
    const c = loadCovers(o.coversDir, n);
    const m0 = memory();
    const naive = NaiveMapEngine.build(c, store);
    naiveMapBytes = memory() - m0;
    pass(naive, lats, lons, o.pings);
    const runs: PassTime[] = [];
    for (let r = 0; r < o.passes; r++) runs.push(pass(naive, lats, lons, o.pings));
    naiveMapTime = medianPass(runs);
    naiveMapVsReference = disagreements(naive, reference, lats, lons, refN);
  }

  // One plain pass per engine for the per-ping counts.
  const out: number[] = [];
  let zonesFound = 0;
  let pingsInSomeZone = 0;
  const testsBefore = matcher.stats.exactTests;
  flatbush.candidatesTested = 0;
  await forWindows(footfall, lats, lons, o.pings, (from, to) => {
    for (let i = from; i < to; i++) {
      const k = footfall.query(lats[i] as number, lons[i] as number, out);
      flatbush.query(lats[i] as number, lons[i] as number, out);
      zonesFound += k;
      if (k > 0) pingsInSomeZone++;
    }
  });

  let postgis: PostgisResult | null = null;
  if (o.postgis) {
    const answers: number[][] = [];
    await forWindows(footfall, lats, lons, o.pings, (from, to) => {
      for (let i = from; i < to; i++) {
        footfall.query(lats[i] as number, lons[i] as number, out);
        answers.push([...out]);
      }
    });
    postgis = measurePostgis({
      server: o.postgis,
      zones: (z) => benchZone(o.seed, z),
      n,
      boxes,
      lats,
      lons,
      pings: o.pings,
      footfall: answers,
      passes: o.passes,
    });
  }

  const detail = {
    footfallVsFlatbush,
    footfallVsReference,
    flatbushVsReference,
    bruteForceVsReference,
    naiveMapVsReference,
    pingKeysVsCellsForPoint,
    referenceVsTurf,
  };
  return {
    geofences: n,
    pings: o.pings,
    footfallUsPerPing: medianPass(footfallRuns).cpu,
    footfallKeysUsPerPing: median(keyRuns),
    flatbushUsPerPing: medianPass(flatbushRuns).cpu,
    bruteForceUsPerPing: bruteForceTime?.cpu ?? null,
    naiveMapUsPerPing: naiveMapTime?.cpu ?? null,
    wallUsPerPing: {
      footfall: medianPass(footfallRuns).wall,
      flatbush: medianPass(flatbushRuns).wall,
      bruteForce: bruteForceTime?.wall ?? null,
      naiveMap: naiveMapTime?.wall ?? null,
    },
    footfallHeapBytesPerGeofence: matcherHeapBytes / n,
    cache: {
      budgetBytes,
      functionMemoryMb: PING_FUNCTION_MEMORY_MB,
      memoryShare: MATCH_CACHE_MEMORY_SHARE,
      bytesCounted: matcher.bytes,
      heapBytes: matcherHeapBytes,
      tableStandInBytes: tableBytes,
      cachedCells: matcher.cachedCells,
      cellsRead: coldStats.cellsRead,
      readRounds: coldStats.readRounds,
      coldHitRate: coldStats.hits / Math.max(1, coldStats.hits + coldStats.misses),
      warmMemoHitRate,
      evicted: matcher.stats.evicted,
      flushes: matcher.stats.flushes,
    },
    footfallHeapBytesPerGeofenceBeforeQueries: matcher.bytes / n,
    flatbushHeapBytesPerGeofence: flatbushBytes / n,
    naiveMapHeapBytesPerGeofence: naiveMapBytes === null ? null : naiveMapBytes / n,
    footfallIndexBuildMs,
    flatbushBuildMs,
    coverCpuMs,
    cellEntries: index.entries,
    distinctCells: index.cells,
    polygons: store.polygons,
    candidatesPerPing: {
      footfall: (matcher.stats.exactTests - testsBefore) / o.pings,
      flatbush: flatbush.candidatesTested / o.pings,
    },
    zonesPerPing: zonesFound / o.pings,
    pingsInSomeZone: pingsInSomeZone / o.pings,
    mismatches: Object.values(detail).reduce((s, v) => s + v, 0) + (postgis?.disagreements ?? 0),
    postgis,
    mismatchDetail: detail,
    checked: { crossCheckPings: o.pings, referencePings: refN, turfPings: turfN, turfUndecided },
  };
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as MatcherChildOptions;
  const result = await runMatcherSize(options);
  writeFileSync(options.outFile, JSON.stringify(result));
}
