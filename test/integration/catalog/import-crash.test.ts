/**
 * kill -9 of the import worker mid-run, on the real engines: the worker runs in a child process
 * and is killed with SIGKILL at points spread over the import (once during validation or the
 * first writes, then each time a further share of the stores has been written), restarted, and
 * finally left to finish. Then every invariant is read straight from the tables.
 *
 * Default: 400 stores (two chunks), 4 kills. The issue's measurement (2,000 stores, 10 kills):
 * IMPORT_CRASH_STORES=2000 IMPORT_CRASH_KILLS=10 npx vitest run --project integration \
 *   test/integration/catalog/import-crash.test.ts
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { handler as importStores } from "../../../functions/store-import.ts";
import { handler as getImport } from "../../../functions/store-import-get.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { geoKeys } from "../../../shared/adapters/dynamo/geo-index.ts";
import { importKeys } from "../../../shared/adapters/dynamo/import-jobs.ts";
import { catalogKeys } from "../../../shared/domain/catalog/index.ts";
import { storePointCell } from "../../../shared/domain/store-points.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { invoke } from "./helpers.ts";

const STORES = Number(process.env.IMPORT_CRASH_STORES ?? 400);
const KILLS = Number(process.env.IMPORT_CRASH_KILLS ?? 4);
const ROOT = join(import.meta.dirname, "..", "..", "..");

type Item = Record<string, unknown>;

/** The worker in a child process: `ready` once its modules are loaded, `exit` when it ends. */
function startWorker(merchantId: string, jobId: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "test/support/import-worker-child.ts"), merchantId, jobId],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], env: process.env },
  );
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    void exit.then(() => resolve());
  });
  return { ready, exit, kill: () => child.kill("SIGKILL") };
}

async function queryAll(input: {
  KeyConditionExpression: string;
  ExpressionAttributeValues: Item;
}): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: env("CATALOG_TABLE"),
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...input,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

function storesOf(merchantId: string): Promise<Item[]> {
  return queryAll({
    KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
    ExpressionAttributeValues: { ":pk": catalogKeys.partition(merchantId), ":s": "STORE#" },
  });
}

/** How many stores the merchant has (a count, cheap enough to poll while the worker runs). */
async function countStores(merchantId: string): Promise<number> {
  let count = 0;
  let start: Item | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: env("CATALOG_TABLE"),
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :s)",
        ExpressionAttributeValues: { ":pk": catalogKeys.partition(merchantId), ":s": "STORE#" },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

async function progressOf(jobId: string): Promise<Item | undefined> {
  const out = await documentClient.send(
    new GetCommand({
      TableName: env("CATALOG_TABLE"),
      Key: importKeys.progress(jobId),
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

async function scanGeo(): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: env("GEO_INDEX_TABLE"),
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function headsOf(zoneIdList: string[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let i = 0; i < zoneIdList.length; i += 100) {
    let keys: Item[] | undefined = zoneIdList.slice(i, i + 100).map((z) => geoKeys.zoneHead(z));
    while (keys && keys.length > 0) {
      const out = await documentClient.send(
        new BatchGetCommand({
          RequestItems: { [env("CATALOG_TABLE")]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[env("CATALOG_TABLE")] ?? []) {
        found.set(String(item.zoneId), item);
      }
      keys = out.UnprocessedKeys?.[env("CATALOG_TABLE")]?.Keys as Item[] | undefined;
    }
  }
  return found;
}

/** What the tables say about a merchant's imported stores and their index entries. */
async function audit(merchantId: string) {
  const stores = await storesOf(merchantId);
  const names = stores.map((s) => String(s.name));
  const geo = await scanGeo();
  // zone id → cell → entry version
  const entries = new Map<string, Map<string, number>>();
  const points = new Set<string>();
  for (const item of geo) {
    for (const [name, value] of Object.entries(item)) {
      if (name === "cell" || (value as { m?: string }).m !== merchantId) continue;
      if (String(item.cell).startsWith("P")) points.add(`${item.cell}/${name}`);
      else {
        const cells = entries.get(name) ?? new Map<string, number>();
        cells.set(String(item.cell), Number((value as { v: number }).v));
        entries.set(name, cells);
      }
    }
  }
  const footprintIds = stores.map((s) => zoneIds.footprint(String(s.storeId)));
  const heads = await headsOf([...new Set([...footprintIds, ...entries.keys()])]);
  const live = (h: Item | undefined) => h && !h.deleted && h.version !== undefined;
  return {
    stores: stores.length,
    duplicates: names.length - new Set(names).size,
    pending: stores.filter((s) => s.indexPending !== undefined).length,
    // A store is indexed when its footprint head is committed and every head cell holds the
    // head's version.
    withoutIndex: stores.filter((s) => {
      const zoneId = zoneIds.footprint(String(s.storeId));
      const head = heads.get(zoneId);
      const cells = entries.get(zoneId);
      return (
        !live(head) ||
        head?.pendingVersion !== undefined ||
        ((head?.cells ?? []) as string[]).some((c) => cells?.get(c) !== head?.version)
      );
    }).length,
    // Cells holding a zone whose head is missing, deleted, or does not list that cell.
    cellsWithoutHead: [...entries].reduce((n, [zoneId, cells]) => {
      const head = heads.get(zoneId);
      const listed = new Set(live(head) ? (head?.cells as string[]) : []);
      return n + [...cells.keys()].filter((c) => !listed.has(c)).length;
    }, 0),
    notNearby: stores.filter((s) => {
      const loc = s.location as { lat: number; lon: number };
      return !points.has(`${storePointCell(loc.lat, loc.lon)}/${s.storeId}`);
    }).length,
    pointsOfNoStore: [...points].filter(
      (p) => !stores.some((s) => p.endsWith(`/${String(s.storeId)}`)),
    ).length,
    headsWithIntent: [...heads.values()].filter((h) => h.pendingVersion !== undefined).length,
  };
}

describe("a store import killed with SIGKILL mid-run", () => {
  it(`resumes to a complete import: ${STORES} stores, ${KILLS} kills`, {
    timeout: 900_000,
  }, async () => {
    const as = { merchantId: uniqueId("m"), role: "merchant-admin" };
    const features = Array.from({ length: STORES }, (_, i) => ({
      type: "Feature",
      geometry: {
        type: "Point",
        coordinates: [2.2 + (i % 50) * 0.004, 48.8 + Math.floor(i / 50) * 0.003],
      },
      // Half the stores carry a store code, half are identified by the job and their index.
      properties: { name: `S-${i}`, ...(i % 2 === 0 ? { externalRef: `C-${i}` } : {}) },
    }));
    const body = { type: "FeatureCollection", features };
    const key = { "idempotency-key": `weekly-${as.merchantId}` };
    const res = await invoke<{ jobId: string }>(importStores, as, {
      method: "POST",
      path: "/v1/stores:import",
      body,
      headers: key,
    });
    expect(res.status).toBe(202);
    const { jobId } = res.body;

    const started = Date.now();
    const kills: { storesWritten: number; phase: string; pending: number; intents: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      const worker = startWorker(as.merchantId, jobId);
      await worker.ready;
      // The first kill as soon as the worker holds the job (validation or its first writes);
      // the others once a further share of the stores exists.
      const target = k === 0 ? 0 : Math.floor((STORES * k) / KILLS);
      let exited = false;
      void worker.exit.then(() => {
        exited = true;
      });
      for (;;) {
        if (exited) break;
        const progress = await progressOf(jobId);
        const due =
          k === 0
            ? progress?.leaseOwner !== undefined
            : (await countStores(as.merchantId)) > target;
        if (due) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      worker.kill();
      const run = await worker.exit;
      if (run.signal !== "SIGKILL") break; // finished before the kill
      const state = await audit(as.merchantId);
      kills.push({
        storesWritten: state.stores,
        phase: String((await progressOf(jobId))?.phase),
        pending: state.pending,
        intents: state.headsWithIntent,
      });
    }
    const final = startWorker(as.merchantId, jobId);
    expect((await final.exit).code).toBe(0);
    const elapsed = Date.now() - started;

    const job = await invoke<{
      status: string;
      created: number;
      updated: number;
      unchanged: number;
      results: { index: number; outcome: string }[];
    }>(getImport, as, { path: `/v1/store-imports/${jobId}`, pathParameters: { jobId } });
    const after = await audit(as.merchantId);
    console.log(
      `import crash test: ${STORES} stores, ${kills.length} kills in ${elapsed} ms ` +
        `(stores written / pending / zone intents at each kill: ${kills
          .map((k) => `${k.storesWritten}/${k.pending}/${k.intents} ${k.phase}`)
          .join(", ")}); after: ${JSON.stringify(after)}`,
    );
    // The kills really cut the import: most of them after some stores and before all.
    expect(kills).toHaveLength(KILLS);
    const midWrite = kills.filter((k) => k.storesWritten > 0 && k.storesWritten < STORES);
    expect(midWrite.length).toBeGreaterThanOrEqual(KILLS - 1);
    // ...and left half-written work behind that the next run had to finish.
    expect(kills.some((k) => k.pending > 0 || k.intents > 0)).toBe(true);

    expect(job.body.status).toBe("succeeded");
    expect(job.body.results.map((r) => r.index)).toEqual(features.map((_, i) => i));
    // A store the job wrote before a kill is still reported as created by it.
    expect(job.body).toMatchObject({ created: STORES, updated: 0, unchanged: 0 });
    expect(after).toEqual({
      stores: STORES,
      duplicates: 0,
      pending: 0,
      withoutIndex: 0,
      cellsWithoutHead: 0,
      notNearby: 0,
      pointsOfNoStore: 0,
      headsWithIntent: 0,
    });

    // The same file with the same key again: the same job, nothing written.
    const again = await invoke<{ jobId: string; status: string }>(importStores, as, {
      method: "POST",
      path: "/v1/stores:import",
      body,
      headers: key,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ jobId, status: "succeeded" });
    expect(await audit(as.merchantId)).toEqual(after);
  });
});
