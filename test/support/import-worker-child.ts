/**
 * A store import worker in its own process, for crash tests: runs one job against the engines
 * named in its environment until the job is finished, then writes how many DynamoDB requests it
 * sent (`requests <n>`) on standard output. With IMPORT_KILL_AT_REQUEST=<k> it kills itself
 * with SIGKILL a few milliseconds after sending its k-th request, while that request (and any
 * others in flight) may or may not have been applied: a crash at a chosen point of the run.
 * Usage: node --import tsx test/support/import-worker-child.ts <merchantId> <jobId>
 */
import { dynamoClient } from "../../shared/adapters/aws-clients.ts";
import { runImportJob } from "../../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../../shared/wiring/catalog-deps.ts";

const [merchantId, jobId] = process.argv.slice(2);
if (!merchantId || !jobId) throw new Error("usage: import-worker-child <merchantId> <jobId>");
const killAt = Number(process.env.IMPORT_KILL_AT_REQUEST ?? 0);
let requests = 0;
dynamoClient.middlewareStack.add(
  (next) => async (args) => {
    requests++;
    if (requests === killAt) setTimeout(() => process.kill(process.pid, "SIGKILL"), 3);
    return next(args);
  },
  { step: "initialize", name: "crashTestKill" },
);
const deps = importDepsFromEnv();
for (;;) {
  // The same owner on every restart, as a retried stream record keeps its event id.
  const outcome = await runImportJob(deps, merchantId, jobId, "crash-test", Date.now() + 900_000);
  if (outcome === "finished" || outcome === "gone") break;
  await new Promise((r) => setTimeout(r, 200));
}
process.stdout.write(`requests ${requests}\n`);
process.exit(0);
