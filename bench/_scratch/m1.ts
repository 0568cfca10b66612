import { h3IndexToSplitLong, latLngToCell } from "h3-js";
import { cellsForPoint, coverZone, coverZoneDetailed } from "../../shared/domain/geometry/index.ts";

function rnd(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rnd(1);
for (const [lo, hi] of [
  [50, 300],
  [200, 2000],
]) {
  let cells = 0;
  const t0 = performance.now();
  const n = 300;
  for (let i = 0; i < n; i++) {
    const rad = lo * (hi / lo) ** r();
    const c = coverZone({
      type: "Circle",
      center: { lat: 48.8 + r() * 0.2, lon: 2.3 + r() * 0.2 },
      radiusM: Math.round(rad),
    });
    cells += c.length;
  }
  console.log(lo, hi, "ms/zone", (performance.now() - t0) / n, "cells/zone", cells / n);
}
let t0 = performance.now();
let s = 0;
for (let i = 0; i < 200000; i++) {
  s += cellsForPoint(48.8 + r() * 0.2, 2.3 + r() * 0.2).length;
}
console.log("cellsForPoint us", (performance.now() - t0) / 200, s);
t0 = performance.now();
for (let i = 0; i < 200000; i++) {
  const c = latLngToCell(48.8 + r() * 0.2, 2.3 + r() * 0.2, 11);
  s += h3IndexToSplitLong(c)[0];
}
console.log("latLngToCell+split us", (performance.now() - t0) / 200);
