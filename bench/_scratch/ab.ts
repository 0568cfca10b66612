import { computeCovers, loadCovers } from "../matcher/cover-store.ts";
import { CompactCellIndex } from "../matcher/compact-index.ts";
import { pingKeys, RESOLUTION_SLOTS } from "../matcher/cell-keys.ts";
import { benchPing } from "../geofences.ts";
const N = Number(process.argv[2] ?? 10000);
const dir = "/tmp/bx/ab-covers";
if (process.argv[3] !== "reuse") await computeCovers({ seed: 20261124, sizes: [N], budgetMs: 1e6, dir });
const c = loadCovers(dir, N);
const zones = new Uint32Array(c.keys.length);
for (let z = 0, at = 0; z < N; z++) { zones.fill(z, at, at + c.counts[z]!); at += c.counts[z]!; }
const idx = CompactCellIndex.build({ slots: c.slots, keys: c.keys, zones, count: c.keys.length }, RESOLUTION_SLOTS.length);
const P = 50000; const K = new Float64Array(P * 5); const kb = new Float64Array(5);
for (let j = 0; j < P; j++) { const p = benchPing(20261124, j, N); pingKeys(p.lat, p.lon, kb); K.set(kb, j * 5); }
function lb(a: Float64Array, key: number) { let lo = 0, hi = a.length; while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m]! < key) lo = m + 1; else hi = m; } return lo; }
const keys = (idx as unknown as { keys: Float64Array[] }).keys;
for (let rep = 0; rep < 3; rep++) {
  let s = 0; let t0 = process.threadCpuUsage();
  for (let j = 0; j < P; j++) for (let q = 0; q < 5; q++) { const a = keys[q]!; const i = lb(a, K[j*5+q]!); s += (i < a.length && a[i] === K[j*5+q]) ? i : -1; }
  let t = process.threadCpuUsage(t0); const old = (t.user + t.system) / P;
  let s2 = 0; t0 = process.threadCpuUsage();
  for (let j = 0; j < P; j++) for (let q = 0; q < 5; q++) s2 += idx.find(q, K[j*5+q]!);
  t = process.threadCpuUsage(t0); const neu = (t.user + t.system) / P;
  console.log(`N=${N} per ping (5 lookups): plain ${old.toFixed(3)} µs, sampled ${neu.toFixed(3)} µs, same=${s === s2}`);
}
