/**
 * The one way Footfall sends DynamoDB BatchGetItem and BatchWriteItem: chunked to the service
 * limits, with every unprocessed key or item retried after an exponential backoff with full
 * jitter, and never dropped silently: what is still unprocessed after the last attempt is
 * thrown as an `UnprocessedBatchError` naming the table and how many remain.
 *
 * Retry budgets (one owner each):
 * - the SDK client (`maxAttempts` in aws-clients.ts) retries a whole request that failed
 *   (throttling exception, 5xx, network), per call;
 * - this helper retries the part of a *successful* response DynamoDB left unprocessed
 *   (`UnprocessedKeys` / `UnprocessedItems`), which the SDK never retries;
 * - the event source mapping (infra/event-sources.ts) retries a whole record whose function
 *   invocation failed, then hands it to its on-failure destination.
 *
 * Limits: BatchGetItem takes at most 100 keys per request and BatchWriteItem at most 25 put or
 * delete requests (DynamoDB API reference, "BatchGetItem", "BatchWriteItem"). The backoff is
 * AWS's "full jitter": a uniform delay in [0, min(cap, base · 2^attempt)) (AWS Architecture
 * Blog, "Exponential Backoff And Jitter", 2015).
 */
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";

/** Most keys per BatchGetItem request. */
export const BATCH_GET_MAX_KEYS = 100;
/** Most put/delete requests per BatchWriteItem request. */
export const BATCH_WRITE_MAX_ITEMS = 25;

type Item = Record<string, unknown>;
type KeysAndAttributes = NonNullable<BatchGetCommandInput["RequestItems"]>[string];
/** A BatchWriteItem request: `{ PutRequest: { Item } }` or `{ DeleteRequest: { Key } }`. */
export type WriteRequest =
  | { PutRequest: { Item: Item }; DeleteRequest?: never }
  | { DeleteRequest: { Key: Item }; PutRequest?: never };

/** Retry settings; the defaults suit request paths (at most about 2.5 s of waiting). */
export interface BatchRetryPolicy {
  /** Requests per chunk, the first included (default 8). */
  maxAttempts?: number;
  /** Backoff base in ms (default 25): attempt k waits up to base · 2^k. */
  baseDelayMs?: number;
  /** Longest single wait in ms (default 1,000). */
  maxDelayMs?: number;
  /** Chunks in flight at once (default 1). */
  concurrency?: number;
  /** Uniform random in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Keys or items DynamoDB still left unprocessed after the last attempt. */
export class UnprocessedBatchError extends Error {
  override readonly name = "UnprocessedBatchError";
  constructor(
    readonly operation: "BatchGetItem" | "BatchWriteItem",
    /** What remains, per table: keys (BatchGet) or write requests (BatchWrite). */
    readonly remaining: Record<string, unknown[]>,
    attempts: number,
  ) {
    const parts = Object.entries(remaining).map(([t, xs]) => `${xs.length} of table ${t}`);
    super(
      `${operation}: ${parts.join(", ")} still unprocessed after ${attempts} attempts ` +
        "(throughput exceeded or the partition is hot); nothing was dropped, retry later",
    );
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function settings(policy: BatchRetryPolicy) {
  return {
    maxAttempts: Math.max(1, policy.maxAttempts ?? 8),
    baseDelayMs: policy.baseDelayMs ?? 25,
    maxDelayMs: policy.maxDelayMs ?? 1_000,
    concurrency: Math.max(1, policy.concurrency ?? 1),
    random: policy.random ?? Math.random,
    sleep: policy.sleep ?? defaultSleep,
  };
}

/** Runs `work` over `chunks`, at most `concurrency` at a time. */
async function forEachChunk<T>(chunks: T[], concurrency: number, work: (c: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++] as T;
      await work(chunk);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
}

/**
 * Reads every key of every table (BatchGetItem), 100 keys per request, retrying unprocessed
 * keys with backoff. `requests` gives per table its keys and the read options
 * (`ConsistentRead`, `ProjectionExpression`, `ExpressionAttributeNames`).
 *
 * @returns the items found, per table (missing keys are simply absent; order is not kept).
 * @throws UnprocessedBatchError naming the tables and counts still unprocessed at the end;
 *   SDK errors of a request (after the client's own retries) as they are.
 */
export async function batchGetAll(
  client: DynamoDBDocumentClient,
  requests: Record<string, KeysAndAttributes>,
  policy: BatchRetryPolicy = {},
): Promise<Record<string, Item[]>> {
  const s = settings(policy);
  const out: Record<string, Item[]> = {};
  const pairs: [string, Item][] = [];
  for (const [table, req] of Object.entries(requests)) {
    out[table] = [];
    for (const key of req.Keys ?? []) pairs.push([table, key as Item]);
  }
  const chunks: [string, Item][][] = [];
  for (let i = 0; i < pairs.length; i += BATCH_GET_MAX_KEYS) {
    chunks.push(pairs.slice(i, i + BATCH_GET_MAX_KEYS));
  }
  await forEachChunk(chunks, s.concurrency, async (chunk) => {
    let pending: Record<string, KeysAndAttributes> = {};
    for (const [table, key] of chunk) {
      const { Keys: _all, ...options } = requests[table] as KeysAndAttributes;
      const entry = pending[table] ?? { ...options, Keys: [] };
      entry.Keys?.push(key);
      pending[table] = entry;
    }
    for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
      if (attempt >= s.maxAttempts) {
        const remaining = Object.fromEntries(
          Object.entries(pending).map(([t, r]) => [t, (r.Keys ?? []) as unknown[]]),
        );
        throw new UnprocessedBatchError("BatchGetItem", remaining, attempt);
      }
      if (attempt > 0) await s.sleep(backoffMs(attempt, s));
      const res = await client.send(new BatchGetCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(res.Responses ?? {})) {
        const list = out[table] ?? [];
        list.push(...(items as Item[]));
        out[table] = list;
      }
      pending = {};
      for (const [table, left] of Object.entries(res.UnprocessedKeys ?? {})) {
        if ((left.Keys ?? []).length > 0) pending[table] = left as KeysAndAttributes;
      }
    }
  });
  return out;
}

/**
 * Writes every put/delete request (BatchWriteItem), 25 per request, retrying unprocessed items
 * with backoff. Batch writes are not transactions: each item is written or not on its own.
 *
 * @throws UnprocessedBatchError naming the tables and counts still unwritten at the end (the
 *   rest were written); SDK errors of a request as they are.
 */
export async function batchWriteAll(
  client: DynamoDBDocumentClient,
  requests: Record<string, WriteRequest[]>,
  policy: BatchRetryPolicy = {},
): Promise<void> {
  const s = settings(policy);
  const pairs: [string, WriteRequest][] = [];
  for (const [table, reqs] of Object.entries(requests))
    for (const r of reqs) pairs.push([table, r]);
  const chunks: [string, WriteRequest][][] = [];
  for (let i = 0; i < pairs.length; i += BATCH_WRITE_MAX_ITEMS) {
    chunks.push(pairs.slice(i, i + BATCH_WRITE_MAX_ITEMS));
  }
  await forEachChunk(chunks, s.concurrency, async (chunk) => {
    let pending: Record<string, WriteRequest[]> = {};
    for (const [table, r] of chunk) pending[table] = [...(pending[table] ?? []), r];
    for (let attempt = 0; Object.keys(pending).length > 0; attempt++) {
      if (attempt >= s.maxAttempts)
        throw new UnprocessedBatchError("BatchWriteItem", pending, attempt);
      if (attempt > 0) await s.sleep(backoffMs(attempt, s));
      const res = await client.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = {};
      for (const [table, left] of Object.entries(res.UnprocessedItems ?? {})) {
        if (left.length > 0) pending[table] = left as WriteRequest[];
      }
    }
  });
}

/** Full-jitter delay before retry number `attempt` (1-based). */
function backoffMs(attempt: number, s: ReturnType<typeof settings>): number {
  return Math.floor(s.random() * Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** attempt));
}
