import { Worker } from "node:worker_threads";

console.log("execArgv", process.execArgv);
const w = new Worker(new URL("./w-worker.ts", import.meta.url));
w.on("message", (m) => {
  console.log("got", m);
  w.terminate();
});
w.on("error", (e) => console.error("err", e));
w.postMessage(21);
