import { spawn } from "node:child_process";
import { join } from "node:path";
import { BatchGetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { handler as importStores } from "../../../functions/store-import.ts";
import { handler as getImport } from "../../../functions/store-import-get.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { geoKeys } from "../../../shared/adapters/dynamo/geo-index.ts";
import { storePointCell } from "../../../shared/domain/store-points.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { invoke, merchantItems } from "./helpers.ts";

/** Stores and kill points: 2,000 and 10 for the measurement (env), fewer by default for CI. */
const STORES = Number(process.env.IMPORT_CRASH_STORES ?? 60);
const KILLS = Number(process.env.IMPORT_CRASH_KILLS ?? 3);
const ROOT = join(import.meta.dirname, "..", "..", "..");

/** Runs the worker in a child process; kills it with SIGKILL after `killAfterMs` if given. */
function runWorker(merchantId: string, jobId: string, killAfterMs?: number) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "test/support/import-worker-child.ts"), merchantId, jobId],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: process.env },
  );
  const timer =
    killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  return new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function scanGeo(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
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

async function heads(zoneIdList: string[]) {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < zoneIdList.length; i += 100) {
    const out = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [env("CATALOG_TABLE")]: {
            Keys: zoneIdList.slice(i, i + 100).map((z) => geoKeys.zoneHead(z)),
            ConsistentRead: true,
          },
        },
      }),
    );
    for (const item of out.Responses?.[env("CATALOG_TABLE")] ?? [])
      found.set(String(item.zoneId), item);
  }
  return found;
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
    const res = await invoke<{ jobId: string }>(importStores, as, {
      method: "POST",
      path: "/v1/stores:import",
      body: { type: "FeatureCollection", features },
    });
    expect(res.status).toBe(202);
    const { jobId } = res.body;

    const started = Date.now();
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      // Staggered: early kills hit validation, later ones the writes at varying points.
      const after = 600 + k * 450;
      const run = await runWorker(as.merchantId, jobId, after);
      if (run.signal === "SIGKILL") killedAt.push(after);
      else break;
    }
    const final = await runWorker(as.merchantId, jobId);
    expect(final.code).toBe(0);
    const elapsed = Date.now() - started;

    const job = await invoke<{ status: string; created: number; results: unknown[] }>(
      getImport,
      as,
      {
        path: `/v1/store-imports/${jobId}`,
        pathParameters: { jobId },
      },
    );
    expect(job.body.status).toBe("succeeded");
    expect(job.body.results).toHaveLength(STORES);

    const stores = (await merchantItems(as.merchantId)).filter((i) => i.entity === "store");
    const names = stores.map((s) => String(s.name));
    const duplicates = names.length - new Set(names).size;
    const pending = stores.filter((s) => s.indexPending !== undefined).length;

    const geo = await scanGeo();
    const entries = new Map<string, Set<string>>();
    const points = new Set<string>();
    for (const item of geo) {
      for (const [name, value] of Object.entries(item)) {
        if (name === "cell" || (value as { m?: string }).m !== as.merchantId) continue;
        if (String(item.cell).startsWith("P")) points.add(`${item.cell}/${name}`);
        else {
          const cells = entries.get(name) ?? new Set<string>();
          cells.add(String(item.cell));
          entries.set(name, cells);
        }
      }
    }
    const footprintIds = stores.map((s) => zoneIds.footprint(String(s.storeId)));
    const headOf = await heads([...new Set([...footprintIds, ...entries.keys()])]);
    const withoutIndex = stores.filter((s) => {
      const head = headOf.get(zoneIds.footprint(String(s.storeId)));
      const cells = entries.get(zoneIds.footprint(String(s.storeId)));
      return (
        !head ||
        head.deleted ||
        head.version === undefined ||
        (head.cells as string[]).some((c) => !cells?.has(c))
      );
    }).length;
    const cellsWithoutHead = [...entries.keys()].filter((z) => {
      const head = headOf.get(z);
      return !head || head.deleted;
    }).length;
    const notNearby = stores.filter((s) => {
      const loc = s.location as { lat: number; lon: number };
      return !points.has(`${storePointCell(loc.lat, loc.lon)}/${s.storeId}`);
    }).length;
    console.log(
      `import crash test: ${STORES} stores, kills at ${killedAt.join(", ")} ms; ${elapsed} ms in all; ` +
        `stores ${stores.length}, duplicates ${duplicates}, without index entries ${withoutIndex}, ` +
        `cells without a head ${cellsWithoutHead}, not in nearby buckets ${notNearby}, pending ${pending}`,
    );
    expect(killedAt.length).toBeGreaterThan(0);
    expect(stores).toHaveLength(STORES);
    expect(duplicates).toBe(0);
    expect(withoutIndex).toBe(0);
    expect(cellsWithoutHead).toBe(0);
    expect(notNearby).toBe(0);
    expect(pending).toBe(0);
  });
});
