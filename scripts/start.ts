import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { SQSClient } from "@aws-sdk/client-sqs";
import { buildDashboard } from "./build-dashboard.ts";
import { loadOrCreateDevKey, mintMerchantToken } from "./local/dev-jwt.ts";
import { startLocalStack } from "./local/environment.ts";
import { ensureDeadLetterQueue, sqsOnFailureDestination } from "./local/on-failure.ts";
import { watchQueue } from "./local/queue-watcher.ts";
import { startSchedules } from "./local/scheduler.ts";
import { seedDemo } from "./local/seed.ts";
import { createLocalServer } from "./local/server.ts";
import { startStreamPoller } from "./local/stream-poller.ts";

const { values } = parseArgs({
  options: {
    "in-memory": { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
  },
});
const dataDir = resolve(import.meta.dirname, "..", ".footfall");
const port = Number(process.env.PORT ?? 3000);
const log = (line: string) => console.log(`[footfall] ${line}`);

const stack = await startLocalStack({
  ...(values["in-memory"] ? {} : { dataDir }),
  log,
});
// The dashboard is built (esbuild) and served by the same handler as in AWS.
const dashboard = buildDashboard();
Object.assign(process.env, stack.env, {
  LOG_LEVEL: process.env.LOG_LEVEL ?? "WARN",
  DASHBOARD_DIR: dashboard.outDir,
});

// Imported after the env is set: handlers read their config at module load, as in Lambda.
const { documentClient } = await import("../shared/adapters/aws-clients.ts");
const seed = await seedDemo(documentClient, stack.env, values["in-memory"] ? undefined : dataDir);
const jwtKey = await loadOrCreateDevKey(join(dataDir, "dev-jwt-key.json"));
// Every stream-triggered function runs behind a local event source mapping built from the same
// definition as the CDK app's (batch size, retries, filters); discarded batches are logged.
const { FUNCTION_SPECS, streamMapping } = await import("../infra/function-specs.ts");
const { TABLES } = await import("../shared/tables.ts");
const localSqs = new SQSClient({
  endpoint: stack.engines.snsEndpoint,
  region: stack.env.AWS_REGION ?? "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  useQueueUrlAsEndpoint: false,
});
const pollers = await Promise.all(
  Object.entries(FUNCTION_SPECS).flatMap(([fn, spec]) => {
    const trigger = spec.trigger;
    if (trigger?.kind !== "tableStream") return [];
    const mapping = streamMapping(trigger);
    const tableName = stack.env[TABLES[mapping.table].envVar] ?? "";
    return [
      import(`../functions/${fn}.ts`).then((mod: { handler: (e: unknown, c: never) => never }) =>
        startStreamPoller({
          endpoint: stack.engines.dynamoEndpoint,
          region: stack.env.AWS_REGION ?? "us-east-1",
          tableName,
          mapping,
          handler: (event) => mod.handler(event, {} as never),
          onFailure: async (failure) => {
            const queueUrl = await ensureDeadLetterQueue(localSqs, fn);
            await sqsOnFailureDestination(localSqs, queueUrl)(failure);
            log(
              `${fn}: batch sent to its dead-letter queue ${queueUrl}: ${JSON.stringify(failure)}`,
            );
          },
          onError: (error) => log(`${fn} stream: ${(error as Error).message}`),
        }),
      ),
    ];
  }),
);
// Scheduled functions (the visit sweeper), as EventBridge rules invoke them in AWS.
const schedules = await startSchedules({
  onError: (name, error) => log(`${name}: ${(error as Error).message}`),
  onResult: (name, result) => {
    const r = result as { devices?: number; exits?: number; handedOn?: number };
    if (r?.devices)
      log(`${name}: ${r.devices} due devices, ${r.exits} exits, ${r.handedOn} events handed on`);
  },
});
const watcher = watchQueue({
  endpoint: stack.engines.snsEndpoint,
  queueUrl: stack.incentiveQueueUrl,
  onMessage: (body) => {
    const m = JSON.parse(body) as {
      offerId?: string;
      storeId?: string;
      redemption?: { code?: string };
      message?: { title?: string };
    };
    log(
      `incentive published: ${m.message?.title} (offer ${m.offerId}, store ${m.storeId}, code ${m.redemption?.code})`,
    );
  },
});
const server = createLocalServer({
  jwtKey,
  ...(values.quiet ? {} : { onRequest: (line: string) => log(line) }),
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  server.close();
  server.closeAllConnections();
  await watcher.stop();
  await schedules.stop();
  await Promise.all(pollers.map((p) => p.stop()));
  await stack.stop();
  rmSync(join(dataDir, "runtime.json"), { force: true });
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

server.listen(port, "127.0.0.1", async () => {
  const url = `http://127.0.0.1:${port}`;
  const tokens = {
    merchant: await mintMerchantToken(jwtKey, {
      merchantId: seed.merchantId,
      role: "merchant-admin",
    }),
    marketing: await mintMerchantToken(jwtKey, {
      merchantId: seed.merchantId,
      role: "marketing-analyst",
    }),
    pos: await mintMerchantToken(jwtKey, { merchantId: seed.merchantId, role: "pos" }),
  };
  writeFileSync(
    join(dataDir, "runtime.json"),
    JSON.stringify(
      {
        url,
        env: stack.env,
        incentiveQueueUrl: stack.incentiveQueueUrl,
        merchantId: seed.merchantId,
        appKey: seed.appKey,
      },
      null,
      2,
    ),
  );
  console.log(`
Footfall is running at ${url}
  dashboard:       ${url}/dashboard/#token=${tokens.marketing}
  health:          curl ${url}/v1/health
  demo merchant:   ${seed.merchantId}
  app key:         ${seed.appKey}
  merchant token:  ${tokens.merchant}
  marketing token: ${tokens.marketing}
  POS token:       ${tokens.pos}

Register a device:
  curl -s -X POST ${url}/v1/devices -H 'content-type: application/json' \\
    -H 'x-app-key: ${seed.appKey}' \\
    -d '{"platform":"ios","consent":{"location":true,"marketing":true},"timeZone":"Europe/Paris"}'

Mint more tokens: npm run token -- --merchant ${seed.merchantId} --role marketing-analyst
Ctrl-C stops the server and the engines.
`);
});
