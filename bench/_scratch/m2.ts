import { cellToParent, h3IndexToSplitLong, latLngToCell } from "h3-js";
import { cellsForPoint } from "../../shared/domain/geometry/index.ts";

const N = 300000;
const lats = new Float64Array(N),
  lons = new Float64Array(N);
for (let i = 0; i < N; i++) {
  lats[i] = 48.8 + Math.random() * 0.2;
  lons[i] = 2.3 + Math.random() * 0.2;
}
function bench(name: string, f: (i: number) => number) {
  let s = 0;
  for (let i = 0; i < 20000; i++) s += f(i);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) s += f(i);
  console.log(name, (((performance.now() - t0) * 1000) / N).toFixed(3), "us", s > 0 ? "" : "");
}
const cells: string[] = [];
for (let i = 0; i < N; i++) cells.push(latLngToCell(lats[i]!, lons[i]!, 11));
bench("latLngToCell", (i) => latLngToCell(lats[i]!, lons[i]!, 11).length);
bench("cellsForPoint", (i) => cellsForPoint(lats[i]!, lons[i]!).length);
bench("cellToParent", (i) => cellToParent(cells[i]!, 7).length);
bench("split", (i) => h3IndexToSplitLong(cells[i]!)[0]);
bench("parseInt", (i) => {
  const s = cells[i]!;
  return parseInt(s.slice(0, 7), 16) + parseInt(s.slice(7), 16);
});
bench("haversine", (i) => {
  const la = (lats[i]! * Math.PI) / 180;
  return Math.sin(la) * Math.cos(lons[i]!) + Math.asin(0.3);
});
