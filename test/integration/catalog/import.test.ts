import { marshall } from "@aws-sdk/util-dynamodb";
import { describe, expect, it } from "vitest";
import { handler as importStores } from "../../../functions/store-import.ts";
import { handler as getImport } from "../../../functions/store-import-get.ts";
import { handler as importWorker } from "../../../functions/store-import-worker.ts";
import { handler as listStores } from "../../../functions/store-list.ts";
import { IMPORT_MAX_BODY_BYTES } from "../../../shared/domain/catalog/index.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import { uniqueId } from "../../support/aws.ts";
import {
  errorPaths,
  expectIndexed,
  indexEntriesOf,
  invoke,
  merchantItems,
  type Problem,
} from "./helpers.ts";

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

const point = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: { type: "Point", coordinates: [lon, lat] },
  properties,
});

const square = (lon: number, lat: number, properties: Record<string, unknown>) => ({
  type: "Feature",
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [lon, lat],
        [lon + 0.0005, lat],
        [lon + 0.0005, lat + 0.0003],
        [lon, lat + 0.0003],
        [lon, lat],
      ],
    ],
  },
  properties,
});

function post(
  as: { merchantId: string; role: string },
  body: unknown,
  headers: Record<string, string> = {},
) {
  return invoke<Record<string, unknown>>(importStores, as, {
    method: "POST",
    path: "/v1/stores:import",
    body,
    headers,
  });
}

interface JobBody {
  jobId: string;
  status: string;
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  errors?: { index: number; path: string }[];
  results: { index: number; storeId: string; externalRef?: string; outcome: string }[];
}

/** Delivers the job's stream record to the worker, as the event source mapping does. */
async function work(merchantId: string, jobId: string) {
  const out = await importWorker(
    {
      Records: [
        {
          eventID: `test-${jobId}`,
          eventName: "INSERT",
          dynamodb: {
            SequenceNumber: "1",
            NewImage: marshall({
              entity: "importJob",
              status: "queued",
              merchantId,
              jobId,
            }) as never,
          },
        },
      ],
    },
    { getRemainingTimeInMillis: () => 900_000 } as never,
  );
  expect(out.batchItemFailures).toEqual([]);
}

async function job(as: { merchantId: string; role: string }, jobId: string) {
  return invoke<JobBody>(getImport, as, {
    path: `/v1/store-imports/${jobId}`,
    pathParameters: { jobId },
  });
}

/** Submits, runs the worker and reads the finished job. */
async function importAll(as: { merchantId: string; role: string }, body: unknown) {
  const res = await post(as, body);
  expect(res.status).toBe(202);
  const jobId = String(res.body.jobId);
  expect(res.headers.location).toBe(`/v1/store-imports/${jobId}`);
  await work(as.merchantId, jobId);
  return (await job(as, jobId)).body;
}

async function storeItems(merchantId: string) {
  return (await merchantItems(merchantId)).filter((i) => i.entity === "store");
}

describe("store import", () => {
  it("writes nothing (no store, no index cell) when one of three features is bad", async () => {
    const as = admin();
    const selfCrossing = {
      type: "Feature",
      properties: { name: "Bow tie" },
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [2.35, 48.85],
            [2.3505, 48.8503],
            [2.3505, 48.85],
            [2.35, 48.8503],
            [2.35, 48.85],
          ],
        ],
      },
    };
    const res = await post(as, {
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, { name: "Châtelet" }),
        selfCrossing,
        square(2.3603, 48.8576, { name: "Marais", externalRef: "PAR-2" }),
      ],
    });
    expect(res.status).toBe(400);
    const problem = res.body as unknown as Problem;
    expect(problem.errors).toHaveLength(1);
    expect(problem.errors?.[0]).toMatchObject({ index: 1 });
    expect(problem.errors?.[0]?.path).toMatch(/^features\/1\/geometry\/coordinates\/0\/\d$/);
    expect(await merchantItems(as.merchantId)).toEqual([]);
    expect(await indexEntriesOf(as.merchantId)).toEqual([]);
  });

  it("reports every bad feature at once, with index and path", async () => {
    const as = admin();
    const res = await post(as, {
      type: "FeatureCollection",
      features: [
        point(2.347, 48.8584, {}),
        point(2.347, 91, { name: "North of north" }),
        point(2.347, 48.8584, { name: "Huge", radiusM: 10_000 }),
        point(2.347, 48.8584, {
          name: "x",
          openingHours: [{ days: ["mon"], start: "9", end: "17:00" }],
        }),
      ],
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual([
      "features/0/properties/name",
      "features/1/geometry/coordinates/1",
      "features/2/properties/radiusM",
      "features/3/properties/openingHours/0/start",
    ]);
    expect((res.body as unknown as Problem).errors?.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    expect(await merchantItems(as.merchantId)).toEqual([]);
  });

  it("answers 202 with a job; the worker imports every feature and indexes every footprint", {
    timeout: 90_000,
  }, async () => {
    const as = admin();
    const features = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? point(2.34 + i * 0.001, 48.85, { name: `Point ${i}`, externalRef: `P-${i}` })
        : square(2.34 + i * 0.001, 48.86, { name: `Square ${i}`, externalRef: `P-${i}` }),
    );
    const res = await post(as, { type: "FeatureCollection", features });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", total: 30, processed: 0 });
    await work(as.merchantId, String(res.body.jobId));
    const done = (await job(as, String(res.body.jobId))).body;
    expect(done).toMatchObject({ status: "succeeded", total: 30, processed: 30, created: 30 });
    expect(done.results.map((r) => r.externalRef)).toEqual(features.map((_, i) => `P-${i}`));
    expect(new Set(done.results.map((r) => r.outcome))).toEqual(new Set(["created"]));
    for (const r of done.results) await expectIndexed(zoneIds.footprint(r.storeId));
    const page = await invoke<{ items: unknown[] }>(listStores, as, {
      path: "/v1/stores",
      query: { limit: "100" },
    });
    expect(page.body.items).toHaveLength(30);
    // Another merchant cannot see the job.
    expect((await job(admin(), done.jobId)).status).toBe(404);
  });

  it("re-sending the same file never duplicates: same job, or an upsert by store code", async () => {
    const as = admin();
    const features = [
      point(2.341, 48.851, { name: "A", externalRef: "A" }),
      point(2.342, 48.852, { name: "No code" }),
      square(2.343, 48.853, { name: "B", externalRef: "B" }),
    ];
    const first = await importAll(as, { type: "FeatureCollection", features });
    expect(first).toMatchObject({ status: "succeeded", created: 3 });
    // The same body again (no key): the same job answers, 200, nothing new.
    const again = await post(as, { type: "FeatureCollection", features });
    expect(again.status).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.body.jobId).toBe(first.jobId);
    // A new file with the coded stores (one moved, one renamed): upserted by store code.
    const moved = await importAll(as, {
      type: "FeatureCollection",
      features: [
        point(2.361, 48.861, { name: "A", externalRef: "A" }),
        square(2.343, 48.853, { name: "B renamed", externalRef: "B" }),
      ],
    });
    expect(moved).toMatchObject({ status: "succeeded", updated: 2, created: 0 });
    // The same stores in another file (another order): each one unchanged, nothing rewritten.
    const versions = (await storeItems(as.merchantId)).map((s) => `${s.storeId}@${s.version}`);
    const same = await importAll(as, {
      type: "FeatureCollection",
      features: [
        square(2.343, 48.853, { name: "B renamed", externalRef: "B" }),
        point(2.361, 48.861, { name: "A", externalRef: "A" }),
      ],
    });
    expect(same).toMatchObject({ status: "succeeded", unchanged: 2, updated: 0, created: 0 });
    expect((await storeItems(as.merchantId)).map((s) => `${s.storeId}@${s.version}`)).toEqual(
      versions,
    );
    const stores = await storeItems(as.merchantId);
    expect(stores).toHaveLength(3);
    const a = stores.find((s) => s.externalRef === "A");
    expect(a?.location.lat).toBeCloseTo(48.861, 9);
    expect(a?.location.lon).toBeCloseTo(2.361, 9);
    expect(a?.indexPending).toBeUndefined();
    // Nothing stale: the moved footprint's zone is only in its new cells.
    const zoneId = zoneIds.footprint(String(a?.storeId));
    const cells = await expectIndexed(zoneId);
    const entries = (await indexEntriesOf(as.merchantId)).filter((e) => e.endsWith(`/${zoneId}`));
    expect(entries.map((e) => e.split("/")[0]).sort()).toEqual(cells);
    // The same key with another body is refused.
    const keyed = await post(
      as,
      { type: "FeatureCollection", features },
      { "idempotency-key": "k-1" },
    );
    expect(keyed.status).toBe(202);
    const misuse = await post(
      as,
      { type: "FeatureCollection", features: features.slice(0, 1) },
      { "idempotency-key": "k-1" },
    );
    expect(misuse.status).toBe(422);
    expect(errorPaths(misuse.body)).toEqual(["Idempotency-Key"]);
  });

  it("accepts bodies up to 6 MB on this route only", async () => {
    const as = admin();
    const pad = "x".repeat(2 * 1024 * 1024);
    const big = await post(as, {
      type: "FeatureCollection",
      features: [point(2.347, 48.8584, { name: "Padded", note: pad })],
    });
    expect(big.status).toBe(202);
    const tooBig = await invoke(importStores, as, {
      method: "POST",
      path: "/v1/stores:import",
      rawBody: JSON.stringify({ pad: "x".repeat(IMPORT_MAX_BODY_BYTES) }),
    });
    expect(tooBig.status).toBe(413);
  });

  it("refuses analysts", async () => {
    const merchantId = uniqueId("m");
    const res = await post(
      { merchantId, role: "marketing-analyst" },
      {
        type: "FeatureCollection",
        features: [point(2.347, 48.8584, { name: "A" })],
      },
    );
    expect(res.status).toBe(403);
    expect(await merchantItems(merchantId)).toEqual([]);
  });
});
