/**
 * One helper for DynamoDB batch reads and writes: chunking, unprocessed keys/items retried with
 * jittered backoff, nothing dropped silently. Faults are injected with aws-sdk-client-mock
 * (DynamoDB Local never answers with unprocessed keys).
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  batchGetAll,
  batchWriteAll,
  UnprocessedBatchError,
} from "../../../shared/adapters/dynamo/batch.ts";
import { dynamoDecisionStore } from "../../../shared/adapters/dynamo/decision-store.ts";
import { dynamoStorePoints } from "../../../shared/adapters/dynamo/store-points.ts";
import { BUDGET_SLICES } from "../../../shared/domain/budget-slices.ts";

const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  }),
);
const ddb = mockClient(client);
const sleeps: number[] = [];
const policy = {
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
  random: () => 0.999,
};

/** A fake table: answers every key it holds, leaving the first `unprocessed(call)` keys unread. */
function fakeGets(
  unprocessed: (call: number) => number,
  item: (table: string, key: Record<string, unknown>) => Record<string, unknown> = (_t, k) => ({
    ...k,
    found: true,
  }),
) {
  let call = 0;
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const leave = unprocessed(call++);
    const Responses: Record<string, Record<string, unknown>[]> = {};
    const UnprocessedKeys: Record<string, { Keys: Record<string, unknown>[] }> = {};
    let left = leave;
    for (const [table, req] of Object.entries(input.RequestItems ?? {})) {
      const keys = (req.Keys ?? []) as Record<string, unknown>[];
      const skip = keys.slice(0, left);
      left -= skip.length;
      Responses[table] = keys.slice(skip.length).map((k) => item(table, k));
      if (skip.length > 0) UnprocessedKeys[table] = { ...req, Keys: skip };
    }
    return { Responses, UnprocessedKeys };
  });
}

beforeEach(() => {
  ddb.reset();
  sleeps.length = 0;
});

describe("batchGetAll", () => {
  it("chunks 250 keys into requests of at most 100 and retries unprocessed keys", async () => {
    fakeGets((call) => (call === 0 ? 30 : call === 2 ? 5 : 0));
    const keys = Array.from({ length: 250 }, (_, i) => ({ pk: `k${i}` }));
    const out = await batchGetAll(client, { T: { Keys: keys, ConsistentRead: true } }, policy);
    expect(out.T?.map((i) => i.pk).sort()).toEqual(keys.map((k) => k.pk).sort());
    const calls = ddb.commandCalls(BatchGetCommand);
    for (const c of calls) {
      const n = Object.values(c.args[0].input.RequestItems ?? {}).reduce(
        (s, r) => s + (r.Keys?.length ?? 0),
        0,
      );
      expect(n).toBeLessThanOrEqual(100);
      expect(c.args[0].input.RequestItems?.T?.ConsistentRead).toBe(true);
    }
    expect(calls).toHaveLength(5); // 3 chunks + 2 retries
    // Full jitter: each wait below min(1 s, 25 ms · 2^attempt).
    expect(sleeps).toEqual([49, 49]);
  });

  it("throws a typed error naming the table and what remains, never drops keys", async () => {
    fakeGets(() => 3);
    const keys = Array.from({ length: 10 }, (_, i) => ({ pk: `k${i}` }));
    const error = await batchGetAll(client, { Cells: { Keys: keys } }, policy).catch((e) => e);
    expect(error).toBeInstanceOf(UnprocessedBatchError);
    expect(error.operation).toBe("BatchGetItem");
    expect(error.remaining.Cells).toHaveLength(3);
    expect(error.message).toMatch(/3 of table Cells still unprocessed after 8 attempts/);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(8);
    // Exponential, capped at 1 s.
    expect(sleeps).toEqual([49, 99, 199, 399, 799, 999, 999]);
  });

  it("reads several tables in one request and keeps their read options", async () => {
    fakeGets((call) => (call === 0 ? 2 : 0));
    const out = await batchGetAll(
      client,
      {
        A: { Keys: [{ pk: "a1" }, { pk: "a2" }], ConsistentRead: true },
        B: { Keys: [{ pk: "b1" }], ProjectionExpression: "pk" },
      },
      policy,
    );
    expect(out.A).toHaveLength(2);
    expect(out.B).toHaveLength(1);
    const retry = ddb.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems;
    expect(retry?.A?.ConsistentRead).toBe(true);
  });
});

describe("batchWriteAll", () => {
  it("chunks 60 writes into 25, 25, 10 and retries unprocessed items", async () => {
    let call = 0;
    const written: unknown[] = [];
    ddb.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      const reqs = input.RequestItems?.T ?? [];
      const leave = call++ === 1 ? 4 : 0;
      written.push(...reqs.slice(leave));
      return { UnprocessedItems: leave > 0 ? { T: reqs.slice(0, leave) } : {} };
    });
    const reqs = Array.from({ length: 60 }, (_, i) => ({ PutRequest: { Item: { pk: `p${i}` } } }));
    await batchWriteAll(client, { T: reqs }, policy);
    expect(written).toHaveLength(60);
    const sizes = ddb
      .commandCalls(BatchWriteCommand)
      .map((c) => c.args[0].input.RequestItems?.T?.length);
    expect(sizes).toEqual([25, 25, 4, 10]);
  });

  it("throws with what is still unwritten", async () => {
    ddb.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: { T: (input.RequestItems?.T ?? []).slice(0, 1) },
    }));
    const reqs = [{ DeleteRequest: { Key: { pk: "x" } } }, { DeleteRequest: { Key: { pk: "y" } } }];
    const error = await batchWriteAll(client, { T: reqs }, { ...policy, maxAttempts: 3 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(UnprocessedBatchError);
    expect(error.remaining.T).toEqual([{ DeleteRequest: { Key: { pk: "x" } } }]);
  });
});

describe("the adapters use it", () => {
  it("the decision store reads every counter even when DynamoDB leaves keys unprocessed", async () => {
    fakeGets(
      (call) => (call === 0 ? 2 : 0),
      (table, key) =>
        table === "devices" && String(key.sk).includes("TOTAL")
          ? { ...key, total: 3, lastSentAt: 1 }
          : table === "devices"
            ? { ...key, n: 2 }
            : // The pre-slice budget counter says 7, every budget slice 1.
              { ...key, sent: String(key.pk).includes("#BUDGET#") ? 1 : 7 },
    );
    const store = dynamoDecisionStore(client, {
      devices: "devices",
      incentives: "incentives",
      conversions: "conversions",
    });
    const out = await store.readCounters(
      "dev-1",
      [{ offerId: "of_1", offerDay: "2026-11-30" }],
      "2026-11-30",
    );
    expect(out.deviceToday).toBe(2);
    expect(out.perOffer.get("of_1")).toMatchObject({ today: 2, sentCount: 7 + BUDGET_SLICES });
    expect(ddb.commandCalls(BatchGetCommand).length).toBe(2);
  });

  it("store points: keys still unprocessed after the retries fail loudly instead of vanishing", async () => {
    fakeGets(() => 1);
    const points = dynamoStorePoints(client, "geo");
    await expect(points.inCells(["8a1fb46622dffff"])).rejects.toBeInstanceOf(UnprocessedBatchError);
  });
});
