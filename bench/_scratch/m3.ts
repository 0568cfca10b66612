import { coverZoneDetailed } from "../../shared/domain/geometry/index.ts";

function star(n: number, r: number, lat: number, lon: number) {
  const ring: number[][] = [];
  for (let k = 0; k < n; k++) {
    const a = (k / n) * 2 * Math.PI;
    const rr = r * (0.8 + 0.2 * Math.sin(k * 0.37));
    ring.push([
      Math.round((lon + (rr * Math.cos(a)) / (111320 * Math.cos((lat * Math.PI) / 180))) * 1e7) /
        1e7,
      Math.round((lat + (rr * Math.sin(a)) / 111320) * 1e7) / 1e7,
    ]);
  }
  ring.push(ring[0]!);
  return ring;
}
for (const [name, g] of [
  ["200m", { type: "Circle", center: { lat: 48.85, lon: 2.35 }, radiusM: 200 }],
  ["2km", { type: "Circle", center: { lat: 48.85, lon: 2.35 }, radiusM: 2000 }],
  ["50km", { type: "Circle", center: { lat: 48.85, lon: 2.35 }, radiusM: 50000 }],
  ["poly1000", { type: "Polygon", coordinates: [star(1000, 1500, 48.85, 2.35)] }],
] as const) {
  const t0 = performance.now();
  const c = coverZoneDetailed(g as never);
  console.log(name, c.cells.length, c.baseResolution, (performance.now() - t0).toFixed(1), "ms");
}
