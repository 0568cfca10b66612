/**
 * A store import worker in its own process, for crash tests: runs one job against the engines
 * named in its environment until the job is finished (or it is killed). Writes `ready` on
 * standard output once its modules are loaded, so the parent can time its kill from there.
 * Usage: node --import tsx test/support/import-worker-child.ts <merchantId> <jobId>
 */
import { runImportJob } from "../../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../../shared/wiring/catalog-deps.ts";

const [merchantId, jobId] = process.argv.slice(2);
if (!merchantId || !jobId) throw new Error("usage: import-worker-child <merchantId> <jobId>");
const deps = importDepsFromEnv();
process.stdout.write("ready\n");
for (;;) {
  // The same owner on every restart, as a retried stream record keeps its event id.
  const outcome = await runImportJob(deps, merchantId, jobId, "crash-test", Date.now() + 900_000);
  if (outcome === "finished" || outcome === "gone") break;
  await new Promise((r) => setTimeout(r, 200));
}
process.exit(0);
