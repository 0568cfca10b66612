import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { _Record as StreamApiRecord } from "@aws-sdk/client-dynamodb-streams";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { STREAM_MAPPING_DEFAULTS, type StreamMapping } from "../../infra/function-specs.ts";

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been handed to the handler. */
  drain(): Promise<void>;
}

/**
 * What Lambda sends to a stream mapping's on-failure destination when a batch used up its
 * retries (AWS Lambda developer guide, "Retaining discarded batches for a DynamoDB event
 * source": the record names the shard and sequence range, not the data).
 */
export interface OnFailureRecord {
  requestContext: { condition: "RetryAttemptsExhausted"; approximateInvokeCount: number };
  responseContext: { functionError: "Unhandled" | "BatchItemFailures" };
  version: "1.0";
  timestamp: string;
  DDBStreamBatchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord?: string;
    approximateArrivalOfLastRecord?: string;
    batchSize: number;
    streamArn: string;
  };
}

/**
 * One Streams API record in the shape Lambda hands to a function: camel-case `userIdentity`
 * (`principalId`, `type`; the Streams API spells them `PrincipalId`, `Type`), epoch seconds for
 * `ApproximateCreationDateTime`, and the event source fields.
 */
export function toLambdaRecord(
  record: StreamApiRecord,
  streamArn: string,
  region: string,
): DynamoDBRecord {
  const d = record.dynamodb ?? {};
  const created = d.ApproximateCreationDateTime as Date | number | undefined;
  const out: DynamoDBRecord = {
    eventID: record.eventID ?? "",
    eventName: record.eventName as DynamoDBRecord["eventName"],
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: record.awsRegion ?? region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(created !== undefined
        ? {
            ApproximateCreationDateTime:
              created instanceof Date ? Math.floor(created.getTime() / 1000) : Number(created),
          }
        : {}),
      ...(d.Keys ? { Keys: d.Keys as never } : {}),
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      ...(d.SequenceNumber ? { SequenceNumber: d.SequenceNumber } : {}),
      ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
      ...(d.StreamViewType ? { StreamViewType: d.StreamViewType as never } : {}),
    },
  };
  if (record.userIdentity) {
    out.userIdentity = {
      type: record.userIdentity.Type ?? "",
      principalId: record.userIdentity.PrincipalId ?? "",
    };
  }
  return out;
}

/**
 * Whether a record matches a Lambda event filter pattern (AWS Lambda developer guide, "Lambda
 * event filtering"): every key of the pattern must match; a list matches when any element does
 * (an exact value, or `{ exists }`, `{ prefix }`, `{ "anything-but": [...] }`); an object
 * recurses.
 */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((p) => matchesLeaf(value, p));
  if (pattern && typeof pattern === "object") {
    return Object.entries(pattern as Record<string, unknown>).every(([key, sub]) => {
      const child =
        value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      if (Array.isArray(sub) && sub.some((p) => isExists(p))) {
        return sub.some((p) =>
          isExists(p) ? (child !== undefined) === (p as { exists: boolean }).exists : false,
        );
      }
      return child !== undefined && matchesPattern(child, sub);
    });
  }
  return value === pattern;
}

function isExists(p: unknown): boolean {
  return !!p && typeof p === "object" && "exists" in (p as object);
}

function matchesLeaf(value: unknown, p: unknown): boolean {
  if (p && typeof p === "object") {
    const rule = p as { prefix?: string; "anything-but"?: unknown[] };
    if (rule.prefix !== undefined)
      return typeof value === "string" && value.startsWith(rule.prefix);
    if (rule["anything-but"]) return !rule["anything-but"].includes(value);
    return false;
  }
  return value === p;
}

/** Whether a record passes the mapping's filters (no filter: every record). */
export function passesFilters(
  record: DynamoDBRecord,
  patterns: readonly Record<string, unknown>[],
) {
  return patterns.length === 0 || patterns.some((p) => matchesPattern(record, p));
}

/**
 * What Lambda retries of a stream batch after a partial batch response (AWS Lambda developer
 * guide, "Configuring partial batch response with DynamoDB and Lambda"): nothing when
 * `batchItemFailures` is empty or absent; otherwise the batch from the failed record with the
 * lowest sequence number on (the checkpoint), whatever order the failures are listed in; the
 * whole batch when an identifier is empty or names no record of the batch.
 */
export function retriedPart(
  batch: DynamoDBRecord[],
  result: { batchItemFailures?: { itemIdentifier?: string | null }[] | null } | undefined | null,
): DynamoDBRecord[] {
  const failures = result?.batchItemFailures ?? [];
  if (failures.length === 0) return [];
  let first = batch.length;
  for (const failure of failures) {
    const id = failure.itemIdentifier;
    const at = id ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === id) : -1;
    if (at < 0) return batch;
    first = Math.min(first, at);
  }
  return batch.slice(first);
}

/**
 * A local stand-in for Lambda's DynamoDB event source mapping, driven by the same mapping
 * definition as the CDK app (`streamMapping` in infra/function-specs.ts): records are converted
 * to Lambda's event shape, filtered by the mapping's filter patterns (records that match none
 * are skipped, as Lambda does), delivered in batches of `batchSize`; a failing batch is retried
 * from the first record the handler reports (ReportBatchItemFailures; a throw fails it all),
 * split in two on error (bisect), and after `retryAttempts` retries the failed part goes to the
 * on-failure destination and the shard moves on.
 */
export async function startStreamPoller(options: {
  endpoint: string;
  region: string;
  tableName: string;
  handler: (
    event: DynamoDBStreamEvent,
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] } | undefined>;
  intervalMs?: number;
  /** The function's mapping (batch size, retries, filters); default: every record, as AWS's defaults. */
  mapping?: Partial<Omit<StreamMapping, "table">>;
  /** Where a batch that used up its retries goes (Lambda's on-failure destination). */
  onFailure?: (failure: OnFailureRecord) => Promise<void>;
  onError?: (error: unknown) => void;
}): Promise<StreamPoller> {
  const batchSize = options.mapping?.batchSize ?? STREAM_MAPPING_DEFAULTS.batchSize;
  const retryAttempts = options.mapping?.retryAttempts ?? STREAM_MAPPING_DEFAULTS.retryAttempts;
  const bisect = options.mapping?.bisectBatchOnError ?? STREAM_MAPPING_DEFAULTS.bisectBatchOnError;
  const filters = options.mapping?.filterPatterns ?? [];
  const region = options.region;
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const dynamo = new DynamoDBClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials,
  });
  const streams = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials,
  });
  const table = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`table ${options.tableName} has no stream`);
  const iterators = new Map<string, string | undefined>();
  /** Last sequence number per shard whose batch is done (handled, or given up after retries). */
  const checkpoints = new Map<string, string>();
  let running = true;
  let idleWaiters: (() => void)[] = [];

  async function refreshShards() {
    const desc = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of desc.StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const it = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: "TRIM_HORIZON",
        }),
      );
      iterators.set(shard.ShardId, it.ShardIterator);
    }
  }

  const readRecords = (iterator: string) =>
    streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));

  async function iteratorAfter(shardId: string, sequenceNumber: string | undefined) {
    const it = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(sequenceNumber
          ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: sequenceNumber }
          : { ShardIteratorType: "TRIM_HORIZON" }),
      }),
    );
    return it.ShardIterator;
  }

  /** Invokes the handler: the records from the first failure on, or none when all succeeded. */
  async function invoke(batch: DynamoDBRecord[]): Promise<{
    failed: DynamoDBRecord[];
    kind: OnFailureRecord["responseContext"]["functionError"];
  }> {
    try {
      const result = await options.handler({ Records: batch });
      return { failed: retriedPart(batch, result), kind: "BatchItemFailures" };
    } catch (error) {
      options.onError?.(error);
      return { failed: batch, kind: "Unhandled" };
    }
  }

  /**
   * One batch through the mapping's retry policy: retried from its first failed record up to
   * retryAttempts times (split in two halves on each failure when bisecting, each half with the
   * retries left), then handed to the on-failure destination.
   */
  async function deliver(shardId: string, batch: DynamoDBRecord[], retriesLeft = retryAttempts) {
    let pending = batch;
    let invokes = 0;
    let left = retriesLeft;
    for (;;) {
      invokes++;
      const { failed, kind } = await invoke(pending);
      if (failed.length === 0) return;
      if (left <= 0) {
        await discard(shardId, failed, invokes, kind);
        return;
      }
      left--;
      if (bisect && failed.length > 1) {
        const half = Math.ceil(failed.length / 2);
        await deliver(shardId, failed.slice(0, half), left);
        await deliver(shardId, failed.slice(half), left);
        return;
      }
      pending = failed;
    }
  }

  async function discard(
    shardId: string,
    batch: DynamoDBRecord[],
    invokes: number,
    kind: OnFailureRecord["responseContext"]["functionError"],
  ) {
    const first = batch[0]?.dynamodb;
    const last = batch[batch.length - 1]?.dynamodb;
    const iso = (s: number | undefined) =>
      s === undefined ? undefined : new Date(s * 1000).toISOString();
    const failure: OnFailureRecord = {
      requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: invokes },
      responseContext: { functionError: kind },
      version: "1.0",
      timestamp: new Date().toISOString(),
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber ?? "",
        endSequenceNumber: last?.SequenceNumber ?? "",
        ...(first?.ApproximateCreationDateTime !== undefined
          ? { approximateArrivalOfFirstRecord: iso(first.ApproximateCreationDateTime) }
          : {}),
        ...(last?.ApproximateCreationDateTime !== undefined
          ? { approximateArrivalOfLastRecord: iso(last.ApproximateCreationDateTime) }
          : {}),
        batchSize: batch.length,
        streamArn: streamArn as string,
      },
    };
    if (!options.onFailure) {
      options.onError?.(
        new Error(`stream batch discarded after retries: ${JSON.stringify(failure)}`),
      );
      return;
    }
    await options.onFailure(failure);
  }

  async function pollOnce(): Promise<number> {
    await refreshShards();
    let seen = 0;
    for (const [shardId, iterator] of iterators) {
      if (!iterator) continue;
      let out: Awaited<ReturnType<typeof readRecords>>;
      try {
        out = await readRecords(iterator);
      } catch (error) {
        const name = (error as Error).name;
        if (name !== "TrimmedDataAccessException" && name !== "ExpiredIteratorException")
          throw error;
        // DynamoDB Local answers "trimmed" for an iterator taken at an empty shard's tip once any
        // other table is written: resume after the last record handed over (the checkpoint).
        const fresh = await iteratorAfter(shardId, checkpoints.get(shardId));
        if (!fresh) continue;
        out = await readRecords(fresh);
      }
      const records = out.Records ?? [];
      seen += records.length;
      const matched = records
        .map((r) => toLambdaRecord(r, streamArn as string, region))
        .filter((r) => passesFilters(r, filters));
      for (let i = 0; i < matched.length; i += batchSize) {
        await deliver(shardId, matched.slice(i, i + batchSize));
      }
      const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
      if (last) checkpoints.set(shardId, last);
      iterators.set(shardId, out.NextShardIterator);
    }
    return seen;
  }

  const loop = (async () => {
    while (running) {
      let seen = 0;
      try {
        seen = await pollOnce();
      } catch (error) {
        options.onError?.(error);
        // A failed poll read nothing, which is not the same as "nothing left": drain keeps waiting.
        seen = -1;
      }
      if (seen <= 0) {
        if (seen === 0) {
          const waiters = idleWaiters;
          idleWaiters = [];
          for (const w of waiters) w();
        }
        await new Promise((r) => setTimeout(r, options.intervalMs ?? 200));
      }
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      for (const w of idleWaiters) w();
      dynamo.destroy();
      streams.destroy();
    },
    drain() {
      return new Promise<void>((resolve) => {
        // Two idle polls in a row: everything written before now has been read.
        idleWaiters.push(() => idleWaiters.push(resolve));
      });
    },
  };
}
