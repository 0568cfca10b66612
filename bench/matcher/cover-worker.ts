/**
 * Worker thread: computes the real covers (`coverZone` on the decoded stored geometry, exactly
 * what the geo index adapter writes to DynamoDB) for a range of generated zones and sends them
 * back as numeric cell keys in transferable typed arrays.
 */
import { parentPort } from "node:worker_threads";
import { decodeZone } from "../../shared/domain/geometry/codec.ts";
import { coverZone } from "../../shared/domain/geometry/cover.ts";
import { benchZone } from "../geofences.ts";
import { cellKey } from "./cell-keys.ts";

/** A range of zones to cover. */
export interface CoverTask {
  seed: number;
  start: number;
  end: number;
}

/** Covers of zones [start, end): per zone its cell count and thread CPU ms, then all cells in order. */
export interface CoverChunk {
  start: number;
  end: number;
  counts: Uint16Array<ArrayBuffer>;
  coverMs: Float32Array<ArrayBuffer>;
  slots: Uint8Array<ArrayBuffer>;
  keys: Float64Array<ArrayBuffer>;
}

/** Covers one range of zones (exported for in-process use and tests). */
export function coverRange(task: CoverTask): CoverChunk {
  const n = task.end - task.start;
  const counts = new Uint16Array(n);
  const coverMs = new Float32Array(n);
  const slots: number[] = [];
  const keys: number[] = [];
  for (let i = 0; i < n; i++) {
    const zone = benchZone(task.seed, task.start + i);
    const t0 = process.threadCpuUsage();
    const cells = coverZone(decodeZone(zone.encoded));
    const t1 = process.threadCpuUsage(t0);
    coverMs[i] = (t1.user + t1.system) / 1000;
    counts[i] = cells.length;
    for (const cell of cells) {
      const k = cellKey(cell);
      slots.push(k.slot);
      keys.push(k.key);
    }
  }
  return {
    start: task.start,
    end: task.end,
    counts,
    coverMs,
    slots: Uint8Array.from(slots),
    keys: Float64Array.from(keys),
  };
}

parentPort?.on("message", (task: CoverTask) => {
  const chunk = coverRange(task);
  parentPort?.postMessage(chunk, [
    chunk.counts.buffer,
    chunk.coverMs.buffer,
    chunk.slots.buffer,
    chunk.keys.buffer,
  ]);
});
