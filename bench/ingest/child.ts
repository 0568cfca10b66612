/**
 * Section 2 (and the DynamoDB half of section 3), in its own process: starts DynamoDB Local and
 * fauxqs, seeds stores and offers through the real geo index adapter, registers devices through
 * the real handler, then posts batches of 50 pings to the real `POST /v1/pings` handler with the
 * device's bearer token, counting every AWS request with SDK middleware. The route has no Lambda
 * authorizer (ping-ingest verifies the token and reads the profile with the visit state), so a
 * batch's figures hold the whole device check. The device authorizer, which serves the other
 * device routes, is invoked once per batch for the same token and measured on its own.
 *
 * Cold: each batch is served by a fresh module instance (a new Lambda instance: empty cell,
 * offer and head caches). Warm: one instance that has already served the same paths within the
 * cache TTL (shadow devices walking the same routes a moment earlier), i.e. the steady state of
 * a busy area.
 *
 * Usage: node --import tsx bench/ingest/child.ts '<IngestChildOptions JSON>'
 */
import { writeFileSync } from "node:fs";
import type { HttpEvent, HttpResult } from "../../shared/http/types.ts";
import { CITIES, type City } from "../cities.ts";
import { type Handler, httpEvent, LAMBDA_CONTEXT } from "../http-event.ts";
import { type IndexShapeResult, indexShapes, measureShapeCover } from "../index-shapes.ts";
import { countRequests, type RequestCounter, type RequestTally, readRounds } from "./counters.ts";
import { type HttpLoadRow, measureHttpLoad } from "./http-load.ts";
import {
  type DeviceBatch,
  deviceBatches,
  type IngestLayout,
  type IngestStore,
  ingestLayout,
  ingestStore,
  PINGS_PER_BATCH,
  visitBatches,
} from "./workload.ts";

/** What the parent asks for. */
export interface IngestChildOptions {
  seed: number;
  stores: number;
  /** Measured devices per share (each posts `batches` batches: the first cold, the rest warm). */
  devices: number;
  batches: number;
  shares: number[];
  /** HTTP load stage through the local server (skipped when absent). */
  http?: { concurrencies: number[]; seconds: number; warmupSeconds: number };
  outFile: string;
}

/** One row of `ingest` in results.json, plus details. */
export interface IngestRow {
  inZoneShare: number;
  cache: "cold" | "warm";
  pingsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  dynamoRequestsPerPing: number;
  snsPublishesPerPing: number;
  batches: number;
  pings: number;
  inZoneShareActual: number;
  dynamoReadUnitsPerPing: number;
  dynamoWriteUnitsPerPing: number;
  dynamoRequestsByCommand: Record<string, number>;
  snsRequestsInRequestPath: number;
  grantsPerPing: number;
  zoneEventsPerBatch: number;
  cpuMsPerBatch: { mean: number; p50: number; p99: number };
  ioWaitMsPerBatch: number;
  logBytesPerBatch: number;
  /** Sequential rounds of cell reads per batch (all misses of a batch go out in one round). */
  cellReadRoundsPerBatch: { mean: number; max: number };
}

/**
 * The device authorizer's cost per call (API Gateway invokes it per request on a cache miss), for
 * the device routes other than `POST /v1/pings`.
 */
export interface AuthorizerFigures {
  calls: number;
  dynamoRequestsPerCall: number;
  readUnitsPerCall: number;
  cpuMsPerCall: number;
  p50Ms: number;
  ioWaitMsPerCall: number;
  logBytesPerCall: number;
}

export interface IngestChildResult {
  ingest: IngestRow[];
  /** Pings/s and latency through the local HTTP server, per concurrency. */
  http?: HttpLoadRow[];
  authorizer: AuthorizerFigures;
  index: IndexShapeResult[];
  setup: {
    city: string;
    stores: number;
    zones: number;
    geoIndexCells: number;
    devicesPerShare: number;
    batchesPerDevice: number;
    dynamoLocalReportsCapacity: boolean;
    seedMs: number;
  };
}

/** An IANA zone whose local time is about 13:00 now, so no quiet hours interfere. */
function middayZone(nowMs: number): string {
  const offset = ((((13 - new Date(nowMs).getUTCHours() + 12) % 24) + 24) % 24) - 12;
  if (offset === 0) return "Etc/UTC";
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] as number;
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Per-call measurements. */
interface CallFigures {
  /** Sequential rounds of geo index batch gets (cell reads) during the call. */
  cellReadRounds: number;
  wallMs: number;
  cpuMs: number;
  dynamo: RequestTally;
  sns: RequestTally;
  logBytes: number;
}

let capturing = false;
let capturedBytes = 0;

/** Runs `f` measuring wall time, process CPU time, requests and bytes logged. */
async function measured<T>(
  counters: { dynamo: RequestCounter; sns: RequestCounter },
  f: () => Promise<T>,
): Promise<{ value: T; figures: CallFigures }> {
  const d0 = counters.dynamo.snapshot();
  const s0 = counters.sns.snapshot();
  capturedBytes = 0;
  capturing = true;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const geoTable = process.env.GEO_INDEX_TABLE ?? "";
  try {
    const value = await f();
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    return {
      value,
      figures: {
        wallMs,
        cpuMs: (c.user + c.system) / 1000,
        cellReadRounds: readRounds(counters.dynamo.batchGetsSince(t0), geoTable),
        dynamo: counters.dynamo.since(d0),
        sns: counters.sns.since(s0),
        logBytes: capturedBytes,
      },
    };
  } finally {
    capturing = false;
  }
}

/** Runs the whole ingest benchmark (exported for tests and in-process use). */
export async function runIngest(o: IngestChildOptions): Promise<IngestChildResult> {
  // Handler logs go nowhere (they would be CloudWatch's), but their bytes are counted.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (capturing)
      capturedBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;

  const { startLocalStack } = await import("../../scripts/local/environment.ts");
  const stack = await startLocalStack({ tablePrefix: "footfall-bench" });
  try {
    Object.assign(process.env, stack.env, {
      LOG_LEVEL: "INFO",
      POWERTOOLS_SERVICE_NAME: "footfall",
      POWERTOOLS_METRICS_NAMESPACE: "Footfall",
    });
    // As deployed: EMF metrics are written (the local runner turns them off).
    delete process.env.POWERTOOLS_METRICS_DISABLED;
    return await runAgainst(o);
  } finally {
    process.stdout.write = write;
    await stack.stop();
  }
}

async function runAgainst(o: IngestChildOptions): Promise<IngestChildResult> {
  const { dynamoClient, snsClient, documentClient } = await import(
    "../../shared/adapters/aws-clients.ts"
  );
  const counters = {
    dynamo: countRequests(dynamoClient as never, true),
    sns: countRequests(snsClient as never, false),
  };
  const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
  const { catalogKeys } = await import("../../shared/domain/catalog/common.ts");
  const { encodeZone } = await import("../../shared/domain/geometry/codec.ts");
  const { compileZone } = await import("../../shared/domain/geometry/exact.ts");
  const { zoneIds } = await import("../../shared/domain/zone.ts");
  const { geoIndexFromConfig } = await import("../../shared/wiring/geo-index.ts");
  const { dynamoAppKeyStore } = await import("../../shared/adapters/dynamo/app-key-store.ts");
  const { systemClock, systemRandom } = await import("../../shared/adapters/system.ts");
  const { createAppKey } = await import("../../shared/use-cases/app-keys.ts");
  const register = (await import("../../functions/device-register.ts"))
    .handler as unknown as Handler<HttpEvent, HttpResult>;
  const authorizer = (await import("../../functions/device-authorizer.ts"))
    .handler as unknown as Handler<
    unknown,
    { isAuthorized: boolean; context?: Record<string, unknown> }
  >;

  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} missing from the local stack env`);
    return v;
  };
  const catalogTable = env("CATALOG_TABLE");
  const index = geoIndexFromConfig({
    GEO_INDEX_TABLE: env("GEO_INDEX_TABLE"),
    CATALOG_TABLE: catalogTable,
  });
  const now = Date.now();
  const tz = middayZone(now);

  // Seed stores and offers in one city, indexed by the real adapter.
  const seedStarted = performance.now();
  const city = CITIES.find((c) => c.name === "Paris") as City;
  const layout: IngestLayout = ingestLayout(city);
  const stores: IngestStore[] = Array.from({ length: o.stores }, (_, i) =>
    ingestStore(o.seed, layout, i),
  );
  const compiled: ReturnType<typeof compileZone>[] = [];
  let geoIndexCells = 0;
  async function seedStore(s: IngestStore) {
    const merchantId = `m-bench-${s.index % 7}`;
    const storeId = `st-bench-${s.index}`;
    const offerId = `of-bench-${s.index}`;
    const location = { lat: s.lat, lon: s.lon };
    const footprint = { type: "Circle" as const, center: location, radiusM: s.footprintRadiusM };
    const trigger = { type: "Circle" as const, center: location, radiusM: s.triggerRadiusM };
    const iso = new Date(now).toISOString();
    const putItem = (Item: Record<string, unknown>) =>
      documentClient.send(new PutCommand({ TableName: catalogTable, Item }));
    await putItem({
      ...catalogKeys.store(merchantId, storeId),
      merchantId,
      storeId,
      name: `Bench store ${s.index}`,
      location,
      locationSource: "request",
      timeZone: tz,
      footprint,
      zoneCells: 0,
      offerIds: [offerId],
      version: 1,
      createdAt: iso,
      updatedAt: iso,
    });
    await putItem({
      ...catalogKeys.offer(merchantId, offerId),
      merchantId,
      offerId,
      status: "active",
      name: `Bench offer ${s.index}`,
      storeIds: [storeId],
      triggerZone: { type: "StoreRadius", radiusM: s.triggerRadiusM },
      trigger: s.index % 2 === 0 ? { on: "enter" } : { on: "dwell", dwellSeconds: 120 },
      message: { title: "10% off", body: "Show this code at the till" },
      validFrom: new Date(now - 86_400_000).toISOString(),
      validTo: new Date(now + 30 * 86_400_000).toISOString(),
      caps: {},
      holdoutPercent: 0,
      attributionWindowHours: 24,
      redemption: { codeKind: "unique", expiresAfterHours: 48 },
      priority: 0,
      triggerRadiusM: s.triggerRadiusM,
      zoneCells: 0,
      version: 1,
      createdAt: iso,
      updatedAt: iso,
    });
    // A circle's characteristic radius is its radius.
    const indexCircle = (
      zone:
        | { zoneId: string; kind: "footprint" }
        | { zoneId: string; kind: "trigger"; offerId: string },
      circle: typeof footprint,
    ) =>
      index.putZone({
        ...zone,
        merchantId,
        storeId,
        geometry: encodeZone(circle),
        characteristicRadiusM: circle.radiusM,
        dwellSeconds: 120,
      });
    const fp = await indexCircle(
      { zoneId: zoneIds.footprint(storeId), kind: "footprint" },
      footprint,
    );
    const tr = await indexCircle(
      { zoneId: zoneIds.trigger(offerId, storeId), kind: "trigger", offerId },
      trigger,
    );
    geoIndexCells += fp.cells + tr.cells;
  }
  for (const s of stores) {
    compiled.push(
      compileZone({
        type: "Circle",
        center: { lat: s.lat, lon: s.lon },
        radiusM: s.footprintRadiusM,
      }),
      compileZone({
        type: "Circle",
        center: { lat: s.lat, lon: s.lon },
        radiusM: s.triggerRadiusM,
      }),
    );
  }
  const pending = [...stores];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let s = pending.shift(); s; s = pending.shift()) await seedStore(s);
    }),
  );
  const seedMs = performance.now() - seedStarted;

  // Section 3 against the real adapter: cover size and time, then putZone's requests.
  const shapeResults: IndexShapeResult[] = [];
  for (const [i, shape] of indexShapes().entries()) {
    const r = measureShapeCover(shape);
    const { figures } = await measured(counters, () =>
      index.putZone({
        zoneId: `tz.of-shape-${i}.st-shape-${i}`,
        kind: "trigger",
        merchantId: "m-bench-shapes",
        storeId: `st-shape-${i}`,
        offerId: `of-shape-${i}`,
        geometry: encodeZone(shape.geometry),
        characteristicRadiusM: shape.characteristicRadiusM,
        dwellSeconds: 120,
      }),
    );
    shapeResults.push({
      ...r,
      putZoneMs: figures.wallMs,
      putZoneRequests: figures.dynamo.requests,
      putZoneWriteUnits: figures.dynamo.writeUnits,
    });
  }

  const { appKey } = await createAppKey(
    {
      appKeys: dynamoAppKeyStore(documentClient, catalogTable),
      clock: systemClock,
      random: systemRandom,
      masterKey: process.env.PSEUDONYM_KEY ?? "",
    },
    "Footfall bench",
  );
  async function registerDevice(): Promise<string> {
    const res = await register(
      httpEvent({
        method: "POST",
        path: "/v1/devices",
        headers: { "x-app-key": appKey },
        body: JSON.stringify({
          platform: "ios",
          consent: { location: true, marketing: true },
          timeZone: tz,
        }),
        nowMs: Date.now(),
      }),
      LAMBDA_CONTEXT,
    );
    if (res.statusCode !== 201)
      throw new Error(`device registration failed: ${res.statusCode} ${res.body}`);
    return (JSON.parse(res.body ?? "{}") as { token: string }).token;
  }

  const authorizerCalls: CallFigures[] = [];
  async function authorize(token: string): Promise<void> {
    const { value, figures } = await measured(counters, () =>
      authorizer(
        { type: "REQUEST", headers: { authorization: `Bearer ${token}` } },
        LAMBDA_CONTEXT,
      ),
    );
    authorizerCalls.push(figures);
    if (!value.isAuthorized || !value.context)
      throw new Error("the device authorizer refused a bench device");
  }

  let instances = 0;
  async function pingHandler(): Promise<Handler<HttpEvent, HttpResult>> {
    instances++;
    const mod = (await import(`../../functions/ping-ingest.ts?instance=${instances}`)) as {
      handler: unknown;
    };
    return mod.handler as Handler<HttpEvent, HttpResult>;
  }

  interface BatchFigures extends CallFigures {
    grants: number;
    events: number;
    inZone: number;
  }
  const inZone = (batch: DeviceBatch) =>
    batch.pings.filter((p) => compiled.some((z) => z.contains(p.lat, p.lon))).length;

  async function post(
    handler: Handler<HttpEvent, HttpResult>,
    token: string,
    batch: DeviceBatch,
  ): Promise<BatchFigures> {
    // The same device on another device route (e.g. nearby offers): measured apart, not counted
    // in the batch's figures.
    await authorize(token);
    const event = httpEvent({
      method: "POST",
      path: "/v1/pings",
      body: JSON.stringify({ pings: batch.pings }),
      headers: { authorization: `Bearer ${token}` },
      nowMs: Date.now(),
    });
    const { value, figures } = await measured(counters, () => handler(event, LAMBDA_CONTEXT));
    if (value.statusCode !== 202)
      throw new Error(`ping batch answered ${value.statusCode}: ${value.body}`);
    const body = JSON.parse(value.body ?? "{}") as {
      incentives?: unknown[];
      events?: unknown[];
      accepted?: number;
    };
    if (body.accepted !== batch.pings.length) {
      throw new Error(
        `only ${body.accepted} of ${batch.pings.length} pings accepted: ${value.body}`,
      );
    }
    return {
      ...figures,
      grants: body.incentives?.length ?? 0,
      events: body.events?.length ?? 0,
      inZone: inZone(batch),
    };
  }

  function row(share: number, cache: "cold" | "warm", figures: BatchFigures[]): IngestRow {
    const pings = figures.length * PINGS_PER_BATCH;
    const dynamo = figures.reduce(
      (t, f) => ({
        requests: t.requests + f.dynamo.requests,
        read: t.read + f.dynamo.readUnits,
        write: t.write + f.dynamo.writeUnits,
      }),
      { requests: 0, read: 0, write: 0 },
    );
    const byCommand: Record<string, number> = {};
    for (const f of figures) {
      for (const [k, v] of Object.entries(f.dynamo.byCommand))
        byCommand[k] = (byCommand[k] ?? 0) + v;
    }
    const wall = figures.map((f) => f.wallMs);
    const cpu = figures.map((f) => f.cpuMs);
    const grants = figures.reduce((s, f) => s + f.grants, 0);
    return {
      inZoneShare: share,
      cache,
      pingsPerSecond: pings / (wall.reduce((a, b) => a + b, 0) / 1000),
      p50Ms: quantile(wall, 0.5),
      p99Ms: quantile(wall, 0.99),
      dynamoRequestsPerPing: dynamo.requests / pings,
      // Nothing is published in the request path: each grant is published once to the topic by
      // the stream consumer (plus one push when the device registered a token; these did not).
      snsPublishesPerPing: grants / pings,
      batches: figures.length,
      pings,
      inZoneShareActual: figures.reduce((s, f) => s + f.inZone, 0) / pings,
      dynamoReadUnitsPerPing: dynamo.read / pings,
      dynamoWriteUnitsPerPing: dynamo.write / pings,
      dynamoRequestsByCommand: byCommand,
      snsRequestsInRequestPath: figures.reduce((s, f) => s + f.sns.requests, 0),
      grantsPerPing: grants / pings,
      zoneEventsPerBatch: mean(figures.map((f) => f.events)),
      cpuMsPerBatch: { mean: mean(cpu), p50: quantile(cpu, 0.5), p99: quantile(cpu, 0.99) },
      ioWaitMsPerBatch: mean(figures.map((f) => Math.max(0, f.wallMs - f.cpuMs))),
      logBytesPerBatch: mean(figures.map((f) => f.logBytes)),
      cellReadRoundsPerBatch: {
        mean: mean(figures.map((f) => f.cellReadRounds)),
        max: Math.max(0, ...figures.map((f) => f.cellReadRounds)),
      },
    };
  }

  const rows: IngestRow[] = [];
  const startMs = now - 20 * 3_600_000;
  let deviceNumber = 0;
  for (const [si, share] of o.shares.entries()) {
    const warmBatches = o.batches - 1;
    const coldVisits = visitBatches(o.seed, 100 + si, o.devices, share);
    const warmVisits = visitBatches(o.seed, 200 + si, o.devices * warmBatches, share);
    const plans = Array.from({ length: o.devices }, (_, d) => {
      const visits = new Map<number, IngestStore>();
      const storeFor = (b: number) =>
        stores[(d * 31 + b * 7 + si * 13) % stores.length] as IngestStore;
      if (coldVisits.has(d)) visits.set(0, storeFor(0));
      for (let b = 1; b < o.batches; b++) {
        if (warmVisits.has(d * warmBatches + (b - 1))) visits.set(b, storeFor(b));
      }
      return deviceBatches(o.seed, layout, deviceNumber++, o.batches, visits, startMs);
    });
    const tokens: string[] = [];
    const shadows: string[] = [];
    for (let d = 0; d < o.devices; d++) {
      tokens.push(await registerDevice());
      shadows.push(await registerDevice());
    }

    const cold: BatchFigures[] = [];
    for (let d = 0; d < o.devices; d++) {
      cold.push(
        await post(
          await pingHandler(),
          tokens[d] as string,
          (plans[d] as DeviceBatch[])[0] as DeviceBatch,
        ),
      );
    }
    rows.push(row(share, "cold", cold));

    const warmHandler = await pingHandler();
    const warm: BatchFigures[] = [];
    for (let d = 0; d < o.devices; d++) {
      const batches = plans[d] as DeviceBatch[];
      // A shadow device walks the same route a moment earlier, so every cell is cached.
      for (let b = 1; b < o.batches; b++)
        await post(warmHandler, shadows[d] as string, batches[b] as DeviceBatch);
      for (let b = 1; b < o.batches; b++)
        warm.push(await post(warmHandler, tokens[d] as string, batches[b] as DeviceBatch));
    }
    rows.push(row(share, "warm", warm));
    process.stderr.write(`ingest: share ${share} done\n`);
  }

  let http: HttpLoadRow[] | undefined;
  if (o.http) {
    process.stderr.write("ingest: HTTP load through the local server\n");
    const clients = Math.max(...o.http.concurrencies);
    const tokens: string[] = [];
    const walks: DeviceBatch[][] = [];
    for (let c = 0; c < clients; c++) {
      tokens.push(await registerDevice());
      // Zone-free walks, one batch per hour over the last 20 hours (all within the 24 h window).
      walks.push(deviceBatches(o.seed, layout, 10_000 + c, 20, new Map(), now - 21 * 3_600_000));
    }
    http = await measureHttpLoad({ tokens, batches: walks, ...o.http });
  }

  const reportsCapacity = authorizerCalls.some((c) => c.dynamo.readUnits > 0);
  return {
    ingest: rows,
    ...(http ? { http } : {}),
    authorizer: {
      calls: authorizerCalls.length,
      dynamoRequestsPerCall: mean(authorizerCalls.map((c) => c.dynamo.requests)),
      readUnitsPerCall: mean(authorizerCalls.map((c) => c.dynamo.readUnits)),
      cpuMsPerCall: mean(authorizerCalls.map((c) => c.cpuMs)),
      p50Ms: quantile(
        authorizerCalls.map((c) => c.wallMs),
        0.5,
      ),
      ioWaitMsPerCall: mean(authorizerCalls.map((c) => Math.max(0, c.wallMs - c.cpuMs))),
      logBytesPerCall: mean(authorizerCalls.map((c) => c.logBytes)),
    },
    index: shapeResults,
    setup: {
      city: city.name,
      stores: stores.length,
      zones: 2 * stores.length,
      geoIndexCells,
      devicesPerShare: o.devices,
      batchesPerDevice: o.batches,
      dynamoLocalReportsCapacity: reportsCapacity,
      seedMs,
    },
  };
}

if (import.meta.main) {
  const options = JSON.parse(process.argv[2] ?? "{}") as IngestChildOptions;
  const result = await runIngest(options);
  writeFileSync(options.outFile, JSON.stringify(result));
  process.exit(0);
}
