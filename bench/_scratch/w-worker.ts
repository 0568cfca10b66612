import { parentPort } from "node:worker_threads";
import { cellsForPoint } from "../../shared/domain/geometry/cover.ts";

const x: number = 2;
parentPort?.on("message", (n: number) =>
  parentPort?.postMessage({ v: n * x, c: cellsForPoint(1, 2)[0] }),
);
