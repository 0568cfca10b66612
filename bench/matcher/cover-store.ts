/**
 * Computes the real covers of the generated zones on every core (worker threads), size by size
 * within a time budget, and keeps them on disk as typed arrays so each matcher child process can
 * load the prefix it needs without recomputing anything.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CoverChunk, CoverTask } from "./cover-worker.ts";

const CHUNK = 500;

/** Covers of zones [0, zones) as loaded from disk. */
export interface Covers {
  zones: number;
  /** Cells per zone. */
  counts: Uint16Array;
  /** CPU milliseconds `coverZone` took per zone. */
  coverMs: Float32Array;
  /** Slot and key of every cell, zone after zone. */
  slots: Uint8Array;
  keys: Float64Array;
}

/** A size that was not covered, and why. */
export interface SkippedSize {
  size: number;
  reason: string;
}

/** What `computeCovers` did. */
export interface CoverRun {
  /** Zones covered (a prefix of the data set): the largest size that fit. */
  zones: number;
  sizes: number[];
  skipped: SkippedSize[];
  workers: number;
  wallMs: number;
  /** Sum of per-zone cover CPU ms over all covered zones. */
  cpuMs: number;
}

function files(dir: string) {
  return {
    counts: join(dir, "counts.u16"),
    coverMs: join(dir, "cover-ms.f32"),
    slots: join(dir, "slots.u8"),
    keys: join(dir, "keys.f64"),
  };
}

function write(path: string, a: ArrayBufferView): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function read<T>(path: string, make: (bytes: ArrayBuffer) => T): T {
  const b = readFileSync(path);
  const copy = new ArrayBuffer(b.byteLength);
  new Uint8Array(copy).set(b);
  return make(copy);
}

/** Loads the covers of the first `zones` zones written by `computeCovers`. */
export function loadCovers(dir: string, zones: number): Covers {
  const f = files(dir);
  const counts = read(f.counts, (b) => new Uint16Array(b)).slice(0, zones);
  if (counts.length < zones)
    throw new Error(`covers on disk hold ${counts.length} zones, not ${zones}`);
  const coverMs = read(f.coverMs, (b) => new Float32Array(b)).slice(0, zones);
  let cells = 0;
  for (let i = 0; i < zones; i++) cells += counts[i] as number;
  const slots = read(f.slots, (b) => new Uint8Array(b)).slice(0, cells);
  const keys = read(f.keys, (b) => new Float64Array(b)).slice(0, cells);
  return { zones, counts, coverMs, slots, keys };
}

/**
 * Covers zones for each size in ascending order, skipping a size (and every larger one) when the
 * rate measured so far says it would not finish within `budgetMs`. Writes the covered prefix to
 * `dir` and returns what was done.
 */
export async function computeCovers(options: {
  seed: number;
  sizes: readonly number[];
  budgetMs: number;
  dir: string;
  workers?: number;
  log?: (line: string) => void;
  /**
   * Keep covers here and reuse them in later runs with the same seed (`--covers-dir`): covers
   * depend only on the seed and the zone number, and a million of them take tens of CPU-minutes.
   */
  keepDir?: string;
  /** Covers already computed for zones [0, from.zones): only the zones after them are covered. */
  from?: Covers;
}): Promise<CoverRun & { reusedFrom?: string }> {
  if (options.keepDir) {
    const meta = join(options.keepDir, "meta.json");
    const largest = Math.max(...options.sizes);
    if (existsSync(meta)) {
      const kept = JSON.parse(readFileSync(meta, "utf8")) as CoverRun & { seed: number };
      if (kept.seed === options.seed && kept.zones >= largest) {
        options.log?.(
          `covers: reusing ${kept.zones.toLocaleString("en-US")} from ${options.keepDir}`,
        );
        mkdirSync(options.dir, { recursive: true });
        for (const name of Object.values(files(options.keepDir))) {
          copyFileSync(name, join(options.dir, basename(name)));
        }
        const sizes = options.sizes.filter((s) => s <= kept.zones).sort((a, b) => a - b);
        return { ...kept, sizes, skipped: [], reusedFrom: options.keepDir };
      }
      if (kept.seed === options.seed && kept.zones > 0) {
        // Fewer kept than asked: keep them and cover only the zones after them (within the
        // budget); what fits is appended to the kept covers, so the next run starts further on.
        const prefix = loadCovers(options.keepDir, kept.zones);
        const { keepDir, ...rest } = options;
        const more = await computeCovers({ ...rest, from: prefix });
        if (more.zones > kept.zones) {
          for (const name of Object.values(files(options.dir))) {
            copyFileSync(name, join(keepDir, basename(name)));
          }
          writeFileSync(
            meta,
            JSON.stringify({
              ...more,
              wallMs: kept.wallMs + more.wallMs,
              cpuMs: kept.cpuMs + more.cpuMs,
              seed: options.seed,
            }),
          );
        }
        options.log?.(
          `covers: reused ${kept.zones.toLocaleString("en-US")} from ${keepDir}, now ${more.zones.toLocaleString("en-US")}`,
        );
        return {
          ...more,
          sizes: options.sizes.filter((s) => s <= more.zones).sort((a, b) => a - b),
          cpuMs: kept.cpuMs + more.cpuMs,
          reusedFrom: keepDir,
        };
      }
    }
    const { keepDir, ...rest } = options;
    const run = await computeCovers(rest);
    mkdirSync(keepDir, { recursive: true });
    for (const name of Object.values(files(options.dir))) {
      copyFileSync(name, join(keepDir, basename(name)));
    }
    writeFileSync(meta, JSON.stringify({ ...run, seed: options.seed }));
    return run;
  }
  const workerCount = options.workers ?? Math.max(1, availableParallelism());
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const chunks: CoverChunk[] = [];
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(new URL("./cover-worker.ts", import.meta.url)),
  );
  const started = performance.now();
  const first = options.from?.zones ?? 0;
  let covered = first;
  let cpuMs = 0;
  const done: number[] = [];
  const skipped: SkippedSize[] = [];
  try {
    for (const size of sizes) {
      const elapsed = performance.now() - started;
      if (size <= first) {
        done.push(size);
        continue;
      }
      // The rate measured so far in this run, or (before any) the kept covers' CPU rate spread
      // over the workers.
      let priorCpu = 0;
      if (options.from) for (const ms of options.from.coverMs) priorCpu += ms;
      const perZoneCpuBefore = first > 0 ? priorCpu / first : 0;
      if (covered > first || perZoneCpuBefore > 0) {
        const perZoneWall =
          covered > first ? elapsed / (covered - first) : perZoneCpuBefore / workerCount;
        const estimate = (size - covered) * perZoneWall * 1.05;
        if (elapsed + estimate > options.budgetMs) {
          const perZoneCpu = covered > first ? cpuMs / (covered - first) : perZoneCpuBefore;
          for (const s of sizes.filter((x) => x >= size)) {
            const cpuS = (perZoneCpu * (s - covered)) / 1000;
            skipped.push({
              size: s,
              reason:
                `covers for the ${(s - covered).toLocaleString("en-US")} zones after the first ${covered.toLocaleString("en-US")} need about ${Math.round(cpuS)} CPU-s ` +
                `(${perZoneCpu.toFixed(2)} ms per zone measured), about ${Math.round(cpuS / workerCount)} s ` +
                `on ${workerCount} worker(s): beyond the ${Math.round(options.budgetMs / 1000)} s budget`,
            });
          }
          break;
        }
      }
      const tasks: CoverTask[] = [];
      for (let s = covered; s < size; s += CHUNK) {
        tasks.push({ seed: options.seed, start: s, end: Math.min(size, s + CHUNK) });
      }
      // Past 1.25 × the budget a size is abandoned (the estimate was wrong, or the load rose).
      const deadline = started + options.budgetMs * 1.25;
      let abandoned = false;
      const sizeChunks: CoverChunk[] = [];
      await Promise.all(
        workers.map(async (w) => {
          for (let task = tasks.shift(); task; task = tasks.shift()) {
            if (performance.now() > deadline) {
              abandoned = true;
              tasks.length = 0;
              break;
            }
            const chunk = await new Promise<CoverChunk>((resolve, reject) => {
              w.once("message", resolve);
              w.once("error", reject);
              w.postMessage(task);
            });
            w.removeAllListeners("error");
            sizeChunks.push(chunk);
          }
        }),
      );
      if (abandoned) {
        for (const s of sizes.filter((x) => x >= size)) {
          skipped.push({
            size: s,
            reason: `covers for ${size.toLocaleString("en-US")} zones were abandoned past 1.25 × the ${Math.round(options.budgetMs / 1000)} s budget (the rate measured on smaller sizes predicted they would fit)`,
          });
        }
        break;
      }
      for (const chunk of sizeChunks) {
        chunks.push(chunk);
        for (const ms of chunk.coverMs) cpuMs += ms;
      }
      covered = size;
      done.push(size);
      options.log?.(
        `covers: ${size.toLocaleString("en-US")} zones after ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  chunks.sort((a, b) => a.start - b.start);
  const counts = new Uint16Array(covered);
  const coverMs = new Float32Array(covered);
  const prefix = options.from;
  let cells = prefix ? prefix.keys.length : 0;
  for (const c of chunks) cells += c.keys.length;
  const slots = new Uint8Array(cells);
  const keys = new Float64Array(cells);
  let at = 0;
  if (prefix) {
    counts.set(prefix.counts);
    coverMs.set(prefix.coverMs);
    slots.set(prefix.slots);
    keys.set(prefix.keys);
    at = prefix.keys.length;
  }
  for (const c of chunks) {
    counts.set(c.counts, c.start);
    coverMs.set(c.coverMs, c.start);
    slots.set(c.slots, at);
    keys.set(c.keys, at);
    at += c.keys.length;
  }
  mkdirSync(options.dir, { recursive: true });
  const f = files(options.dir);
  write(f.counts, counts);
  write(f.coverMs, coverMs);
  write(f.slots, slots);
  write(f.keys, keys);
  return {
    zones: covered,
    sizes: done,
    skipped,
    workers: workerCount,
    wallMs: performance.now() - started,
    cpuMs,
  };
}
