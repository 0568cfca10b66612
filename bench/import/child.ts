/**
 * Store import at the documented limits, in its own process against DynamoDB Local: the real
 * `POST /v1/stores:import` handler stores the job, then the real import worker (the catalog
 * stream's function, handed the job's record as the event source mapping does) writes and
 * indexes every store. Every DynamoDB request is counted (and its latency summed) with SDK
 * middleware; the run ends by checking the result: every store written once, indexed, in the
 * nearby-offers buckets, and no store left with an index write pending.
 *
 * Usage: node --import tsx bench/import/child.ts '<ImportChildOptions JSON>'
 */
import { writeFileSync } from "node:fs";
import type { HttpEvent, HttpResult } from "../../shared/http/types.ts";
import { type Handler, httpEvent, LAMBDA_CONTEXT, merchantAdminClaims } from "../http-event.ts";
import { countRequests, type RequestCounter, type RequestTally } from "../ingest/counters.ts";
import { type ImportFileSpec, importFeatures } from "./workload.ts";

/** What the parent asks for: one or more import files, each run as one job. */
export interface ImportChildOptions {
  seed: number;
  files: ImportFileSpec[];
  outFile: string;
}

/** One measured import. */
export interface ImportRow {
  file: string;
  features: number;
  verticesPerFeature: number;
  bodyBytes: number;
  /** POST /v1/stores:import until its 202 (validation of shapes, chunks stored). */
  submitMs: number;
  /** The worker's run until the job is succeeded (geometry validation, writes, index). */
  workerMs: number;
  /** submitMs + workerMs. */
  totalMs: number;
  storesPerSecond: number;
  /** Process CPU time during the worker's run (ms; the worker is this process). */
  workerCpuMs: number;
  dynamoRequests: number;
  dynamoRequestsPerStore: number;
  dynamoRequestsByCommand: Record<string, number>;
  /** Summed latency per command (ms; requests overlap, so this exceeds the wall time). */
  dynamoMsByCommand: Record<string, number>;
  writeUnits: number;
  readUnits: number;
  /** What the finished job and the tables say. */
  check: {
    status: string;
    created: number;
    storesInTable: number;
    pendingIndex: number;
    footprintHeads: number;
  };
}

export interface ImportChildResult {
  rows: ImportRow[];
  setupMs: number;
}

/** Summed latency per command, by SDK middleware on the DynamoDB client. */
function timeRequests(client: {
  middlewareStack: {
    add(
      m: (
        next: (args: unknown) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      o: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}) {
  const ms: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const t0 = performance.now();
      try {
        return await next(args);
      } finally {
        const c = context.commandName ?? "unknown";
        ms[c] = (ms[c] ?? 0) + performance.now() - t0;
      }
    },
    { step: "initialize", name: "benchRequestTimer", override: true },
  );
  return {
    snapshot: () => ({ ...ms }),
    since: (before: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(ms).map(([k, v]) => [k, Math.round(v - (before[k] ?? 0))] as const),
      ),
  };
}

async function runImport(o: ImportChildOptions): Promise<ImportChildResult> {
  const setupStarted = performance.now();
  const { startLocalStack } = await import("../../scripts/local/environment.ts");
  const stack = await startLocalStack({ tablePrefix: "footfall-bench-import" });
  try {
    Object.assign(process.env, stack.env, { LOG_LEVEL: "WARN" });
    const setupMs = performance.now() - setupStarted;
    const { dynamoClient } = await import("../../shared/adapters/aws-clients.ts");
    const counters = {
      requests: countRequests(dynamoClient as never, true),
      latency: timeRequests(dynamoClient as never),
    };
    const rows: ImportRow[] = [];
    for (const [n, file] of o.files.entries()) {
      process.stderr.write(`import: ${file.label}\n`);
      rows.push(await measureFile(o.seed, n, file, counters));
    }
    return { rows, setupMs };
  } finally {
    await stack.stop();
  }
}

async function measureFile(
  seed: number,
  n: number,
  file: ImportFileSpec,
  counters: { requests: RequestCounter; latency: ReturnType<typeof timeRequests> },
): Promise<ImportRow> {
  const { documentClient } = await import("../../shared/adapters/aws-clients.ts");
  const counter = counters.requests;
  const timer = counters.latency;
  const submit = (await import("../../functions/store-import.ts")).handler as unknown as Handler<
    HttpEvent,
    HttpResult
  >;
  const worker = (await import("../../functions/store-import-worker.ts")).handler;
  const getJob = (await import("../../functions/store-import-get.ts"))
    .handler as unknown as Handler<HttpEvent, HttpResult>;
  const { QueryCommand, BatchGetCommand } = await import("@aws-sdk/lib-dynamodb");
  const { geoKeys } = await import("../../shared/adapters/dynamo/geo-index.ts");
  const { zoneIds } = await import("../../shared/domain/zone.ts");

  const merchantId = `m-bench-import-${n}-${Date.now()}`;
  const body = JSON.stringify({
    type: "FeatureCollection",
    features: importFeatures(seed, file),
  });

  const t0 = performance.now();
  const res = await submit(
    httpEvent({
      method: "POST",
      path: "/v1/stores:import",
      body,
      nowMs: Date.now(),
      authorizer: merchantAdminClaims(merchantId, Date.now()),
    }),
    LAMBDA_CONTEXT,
  );
  const submitMs = performance.now() - t0;
  if (res.statusCode !== 202) throw new Error(`import answered ${res.statusCode}: ${res.body}`);
  const jobId = (JSON.parse(String(res.body)) as { jobId: string }).jobId;

  const d0 = counter.snapshot();
  const l0 = timer.snapshot();
  const c0 = process.cpuUsage();
  const t1 = performance.now();
  const out = await worker(
    {
      Records: [
        {
          eventID: `bench-${jobId}`,
          eventName: "INSERT",
          dynamodb: {
            SequenceNumber: "1",
            NewImage: {
              entity: { S: "importJob" },
              status: { S: "queued" },
              merchantId: { S: merchantId },
              jobId: { S: jobId },
            },
          },
        },
      ],
    } as never,
    { getRemainingTimeInMillis: () => 900_000 } as never,
  );
  const workerMs = performance.now() - t1;
  const cpu = process.cpuUsage(c0);
  const dynamo: RequestTally = counter.since(d0);
  const latency = timer.since(l0);
  if (out.batchItemFailures.length > 0) throw new Error("the import worker reported a failure");

  const jobRes = await getJob(
    httpEvent({
      method: "GET",
      path: `/v1/store-imports/${jobId}`,
      nowMs: Date.now(),
      authorizer: merchantAdminClaims(merchantId, Date.now()),
      pathParameters: { jobId },
    }),
    LAMBDA_CONTEXT,
  );
  const job = JSON.parse(String(jobRes.body)) as { status: string; created: number };

  // The tables: every store written once, none left pending, every footprint committed.
  const stores: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: process.env.CATALOG_TABLE,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues: { ":pk": `MERCHANT#${merchantId}`, ":s": "STORE#" },
        ExclusiveStartKey: start,
      }),
    );
    stores.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  let heads = 0;
  const ids = stores.map((s) => zoneIds.footprint(String(s.storeId)));
  for (let i = 0; i < ids.length; i += 100) {
    const got = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [String(process.env.CATALOG_TABLE)]: {
            Keys: ids.slice(i, i + 100).map((z) => geoKeys.zoneHead(z)),
          },
        },
      }),
    );
    heads += (got.Responses?.[String(process.env.CATALOG_TABLE)] ?? []).filter(
      (h) => h.version !== undefined && !h.deleted && h.pendingVersion === undefined,
    ).length;
  }
  const features = file.points + file.polygons;
  return {
    file: file.label,
    features,
    verticesPerFeature: file.polygons > 0 ? file.vertices : 1,
    bodyBytes: Buffer.byteLength(body),
    submitMs: Math.round(submitMs),
    workerMs: Math.round(workerMs),
    totalMs: Math.round(submitMs + workerMs),
    storesPerSecond: Math.round((features / ((submitMs + workerMs) / 1000)) * 10) / 10,
    workerCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    dynamoRequests: dynamo.requests,
    dynamoRequestsPerStore: Math.round((dynamo.requests / features) * 100) / 100,
    dynamoRequestsByCommand: dynamo.byCommand,
    dynamoMsByCommand: latency,
    writeUnits: Math.round(dynamo.writeUnits),
    readUnits: Math.round(dynamo.readUnits),
    check: {
      status: job.status,
      created: job.created,
      storesInTable: stores.length,
      pendingIndex: stores.filter((s) => s.indexPending !== undefined).length,
      footprintHeads: heads,
    },
  };
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as ImportChildOptions;
  const result = await runImport(options);
  writeFileSync(options.outFile, JSON.stringify(result));
  process.exit(0);
}
