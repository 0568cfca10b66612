import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBStreamEvent } from "aws-lambda";

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every record written before the call has been handed to the handler. */
  drain(): Promise<void>;
}

/**
 * A local stand-in for Lambda's DynamoDB event source mapping: polls the table's stream on
 * DynamoDB Local and invokes the handler with batches, retrying records the handler reports as
 * failed (ReportBatchItemFailures), up to `maxRetries`.
 */
export async function startStreamPoller(options: {
  endpoint: string;
  region: string;
  tableName: string;
  handler: (
    event: DynamoDBStreamEvent,
  ) => Promise<{ batchItemFailures: { itemIdentifier: string }[] } | undefined>;
  intervalMs?: number;
  maxRetries?: number;
  onError?: (error: unknown) => void;
}): Promise<StreamPoller> {
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
  const retries = new Map<string, number>();
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
    streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }));

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
      if (records.length > 0) {
        const event = { Records: records } as unknown as DynamoDBStreamEvent;
        let result: Awaited<ReturnType<typeof options.handler>>;
        try {
          result = await options.handler(event);
        } catch (error) {
          // As in Lambda, a thrown handler fails the whole batch: retry it from its first record.
          options.onError?.(error);
          result = {
            batchItemFailures: [{ itemIdentifier: records[0]?.dynamodb?.SequenceNumber ?? "" }],
          };
        }
        const failed = result?.batchItemFailures?.[0]?.itemIdentifier;
        if (failed) {
          const n = (retries.get(failed) ?? 0) + 1;
          retries.set(failed, n);
          if (n <= (options.maxRetries ?? 5)) {
            const it = await streams.send(
              new GetShardIteratorCommand({
                StreamArn: streamArn,
                ShardId: shardId,
                ShardIteratorType: "AT_SEQUENCE_NUMBER",
                SequenceNumber: failed,
              }),
            );
            iterators.set(shardId, it.ShardIterator);
            continue;
          }
        }
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
