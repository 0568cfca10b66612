import { gunzipSync, gzipSync } from "node:zlib";
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  type ImportChunk,
  type ImportJob,
  type ImportProgress,
  type ImportResult,
  MAX_CHUNK_STORED_BYTES,
} from "../../domain/catalog/import-job.ts";
import { merchantItemKey } from "../../domain/catalog/keys.ts";
import type { StoreInput } from "../../domain/catalog/store.ts";
import type { ImportJobs, KeyedJob } from "../../use-cases/ports/import-jobs.ts";
import { batchWriteAll, type WriteRequest } from "./batch.ts";
import { queryItems } from "./query-pages.ts";
import { readConsistent } from "./read-consistent.ts";

export type { ImportJobs, KeyedJob };

/** Key shapes of import jobs in the catalog table. */
export const importKeys = {
  job: (merchantId: string, jobId: string) => merchantItemKey(merchantId, `IMPORT#${jobId}`),
  idempotency: (merchantId: string, key: string) => merchantItemKey(merchantId, `IMPORTKEY#${key}`),
  progress: (jobId: string) => ({ pk: `IMPORTJOB#${jobId}`, sk: "PROGRESS" }),
  chunk: (jobId: string, n: number) => ({
    pk: `IMPORTJOB#${jobId}`,
    sk: `CHUNK#${String(n).padStart(5, "0")}`,
  }),
};

type Item = Record<string, unknown>;

/** Compresses a chunk; one that does not fit an item is split in two until every part does. */
function packChunks(
  chunks: readonly ImportChunk[],
): { from: number; data: Uint8Array; count: number }[] {
  const out: { from: number; data: Uint8Array; count: number }[] = [];
  const pack = (from: number, stores: StoreInput[]) => {
    const data = gzipSync(JSON.stringify(stores));
    if (data.byteLength <= MAX_CHUNK_STORED_BYTES || stores.length === 1) {
      if (data.byteLength > MAX_CHUNK_STORED_BYTES) {
        throw new Error(`import: feature ${from} does not fit a chunk item even compressed`);
      }
      out.push({ from, data, count: stores.length });
      return;
    }
    const half = Math.ceil(stores.length / 2);
    pack(from, stores.slice(0, half));
    pack(from + half, stores.slice(half));
  };
  for (const chunk of chunks) pack(chunk.from, chunk.stores);
  return out;
}

function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === "ConditionalCheckFailedException") return true;
  if (name !== "TransactionCanceledException") return false;
  return (
    /ConditionalCheckFailed/.test((error as Error).message ?? "") ||
    ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
      (r) => r.Code === "ConditionalCheckFailed",
    )
  );
}

/** DynamoDB adapter for `ImportJobs` (catalog table). */
export function dynamoImportJobs(client: DynamoDBDocumentClient, tableName: string): ImportJobs {
  const get = (key: Item) => readConsistent(client, tableName, key);

  async function batchWrite(items: Item[]): Promise<void> {
    await batchWriteAll(client, {
      [tableName]: items.map((Item) => ({ PutRequest: { Item } })) as WriteRequest[],
    });
  }

  const findByKey: ImportJobs["findByKey"] = async (merchantId, key) => {
    const item = await get(importKeys.idempotency(merchantId, key));
    return item
      ? {
          jobId: String(item.jobId),
          bodyHash: String(item.bodyHash),
          expiresAt: Number(item.expiresAt),
        }
      : undefined;
  };

  return {
    async submit(job, chunks, keyExpiresAt, now) {
      const packed = packChunks(chunks);
      await batchWrite(
        packed.map((c, n) => ({
          ...importKeys.chunk(job.jobId, n),
          entity: "importChunk",
          from: c.from,
          count: c.count,
          data: c.data,
        })),
      );
      const stored: ImportJob = { ...job, chunkCount: packed.length };
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...importKeys.idempotency(job.merchantId, job.idempotencyKey),
                    entity: "importKey",
                    jobId: job.jobId,
                    bodyHash: job.bodyHash,
                    expiresAt: keyExpiresAt,
                  },
                  ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
                  ExpressionAttributeValues: { ":now": now },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...importKeys.job(job.merchantId, job.jobId),
                    entity: "importJob",
                    ...stored,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...importKeys.progress(job.jobId),
                    entity: "importProgress",
                    phase: "validate",
                    nextChunk: 0,
                    created: 0,
                    updated: 0,
                    unchanged: 0,
                  },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const existing = await findByKey(job.merchantId, job.idempotencyKey);
        if (!existing) throw error;
        return { jobId: existing.jobId, existing };
      }
      return { jobId: job.jobId };
    },

    findByKey,

    async get(merchantId, jobId) {
      const item = await get(importKeys.job(merchantId, jobId));
      if (!item) return undefined;
      const { pk: _pk, sk: _sk, entity: _e, ...job } = item;
      return job as unknown as ImportJob;
    },

    async progress(jobId) {
      const item = await get(importKeys.progress(jobId));
      if (!item) return undefined;
      const { pk: _pk, sk: _sk, entity: _e, ...progress } = item;
      return progress as unknown as ImportProgress;
    },

    async claim(jobId, owner, now, until) {
      try {
        const out = await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: importKeys.progress(jobId),
            UpdateExpression:
              "SET leaseOwner = :o, leaseUntil = :u, startedAt = if_not_exists(startedAt, :at), updatedAt = :at",
            ConditionExpression:
              "attribute_exists(pk) AND phase <> :done AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :o)",
            ExpressionAttributeValues: {
              ":o": owner,
              ":u": until,
              ":now": now,
              ":at": new Date(now).toISOString(),
              ":done": "done",
            },
            ReturnValues: "ALL_NEW",
          }),
        );
        const { pk: _pk, sk: _sk, entity: _e, ...progress } = out.Attributes ?? {};
        return progress as unknown as ImportProgress;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async chunk(jobId, n) {
      const item = await get(importKeys.chunk(jobId, n));
      if (!item) throw new Error(`import ${jobId}: chunk ${n} is missing`);
      const stores = JSON.parse(
        gunzipSync(item.data as Uint8Array).toString("utf8"),
      ) as StoreInput[];
      return { from: Number(item.from), stores };
    },

    async completeChunk(jobId, n, owner, results, counts) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: importKeys.chunk(jobId, n),
                UpdateExpression: "SET results = :r",
                ExpressionAttributeValues: {
                  ":r": results.map((r) => ({
                    i: r.index,
                    s: r.storeId,
                    o: r.outcome,
                    ...(r.externalRef !== undefined ? { e: r.externalRef } : {}),
                  })),
                },
              },
            },
            {
              Update: {
                TableName: tableName,
                Key: importKeys.progress(jobId),
                UpdateExpression:
                  "SET nextChunk = :next, updatedAt = :at ADD created :c, updated :u, unchanged :s",
                ConditionExpression: "nextChunk = :n AND leaseOwner = :o",
                ExpressionAttributeValues: {
                  ":next": n + 1,
                  ":n": n,
                  ":o": owner,
                  ":c": counts.created,
                  ":u": counts.updated,
                  ":s": counts.unchanged,
                  ":at": new Date().toISOString(),
                },
              },
            },
          ],
        }),
      );
    },

    async setPhase(jobId, owner, phase) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: importKeys.progress(jobId),
          UpdateExpression: "SET phase = :p",
          ConditionExpression: "leaseOwner = :o",
          ExpressionAttributeValues: { ":p": phase, ":o": owner },
        }),
      );
    },

    async finish(merchantId, jobId, status, finishedAt, errors) {
      await client
        .send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: importKeys.job(merchantId, jobId),
                  UpdateExpression: `SET #s = :s, finishedAt = :f${errors ? ", #e = :e, errorCount = :n" : ""}`,
                  ConditionExpression: "#s = :queued",
                  ExpressionAttributeNames: {
                    "#s": "status",
                    ...(errors ? { "#e": "errors" } : {}),
                  },
                  ExpressionAttributeValues: {
                    ":s": status,
                    ":f": finishedAt,
                    ":queued": "queued",
                    ...(errors ? { ":e": errors.errors, ":n": errors.errorCount } : {}),
                  },
                },
              },
              {
                Update: {
                  TableName: tableName,
                  Key: importKeys.progress(jobId),
                  UpdateExpression:
                    "SET phase = :done, updatedAt = :f REMOVE leaseOwner, leaseUntil",
                  ExpressionAttributeValues: { ":done": "done", ":f": finishedAt },
                },
              },
            ],
          }),
        )
        .catch((error: unknown) => {
          // Finished already (a redelivered wake-up): nothing to do.
          if (!isConditionFailure(error)) throw error;
        });
    },

    async release(jobId, owner) {
      await client
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: importKeys.progress(jobId),
            UpdateExpression: "REMOVE leaseOwner, leaseUntil",
            ConditionExpression: "leaseOwner = :o",
            ExpressionAttributeValues: { ":o": owner },
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailure(error)) throw error;
        });
    },

    async wake(merchantId, jobId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: importKeys.job(merchantId, jobId),
          UpdateExpression: "ADD wake :one",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":one": 1 },
        }),
      );
    },

    async results(jobId) {
      const chunks = await queryItems(client, {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :c)",
        ExpressionAttributeValues: { ":pk": `IMPORTJOB#${jobId}`, ":c": "CHUNK#" },
        ProjectionExpression: "results",
        ConsistentRead: true,
      });
      const results = chunks.flatMap((chunk) =>
        (
          (chunk.results ?? []) as {
            i: number;
            s: string;
            o: ImportResult["outcome"];
            e?: string;
          }[]
        ).map(
          (r): ImportResult => ({
            index: r.i,
            storeId: r.s,
            outcome: r.o,
            ...(r.e !== undefined ? { externalRef: r.e } : {}),
          }),
        ),
      );
      return results.sort((a, b) => a.index - b.index);
    },
  };
}
