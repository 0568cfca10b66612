/**
 * Counts the requests the code under test really sends, with middleware on the shared AWS SDK
 * clients (not estimates): per command, and for DynamoDB the read and write request units the
 * engine reports as consumed (the middleware asks for `ReturnConsumedCapacity: TOTAL`, which
 * changes nothing else about a request).
 */

/** What a client sent since the counter was attached (or reset). */
export interface RequestTally {
  requests: number;
  byCommand: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Requests whose response carried no consumed capacity (units then undercount). */
  withoutCapacity: number;
  /**
   * Read units added for batch-get keys that matched no item: DynamoDB bills every key read,
   * found or not (0.5 unit eventually consistent, 1 strongly), but DynamoDB Local reports 0.
   */
  missingKeyReadUnits: number;
}

interface BatchGetShape {
  RequestItems?: Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>;
  Responses?: Record<string, unknown[]>;
  UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
}

/** Read units of the keys a batch get asked for and found nothing under. */
function missingKeyUnits(input: BatchGetShape, output: BatchGetShape): number {
  let units = 0;
  for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
    const asked = request.Keys?.length ?? 0;
    const found = output.Responses?.[table]?.length ?? 0;
    const unprocessed = output.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
    units += Math.max(0, asked - found - unprocessed) * (request.ConsistentRead ? 1 : 0.5);
  }
  return units;
}

interface ConsumedCapacity {
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  CapacityUnits?: number;
}

const READS = new Set([
  "GetItemCommand",
  "BatchGetItemCommand",
  "QueryCommand",
  "ScanCommand",
  "TransactGetItemsCommand",
]);

/** A client whose middleware stack we can add to (every AWS SDK v3 client). */
export interface InstrumentableClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: unknown }) => Promise<{ output: unknown }>,
        context: { commandName?: string },
      ) => (args: { input: unknown }) => Promise<{ output: unknown }>,
      options: { step: "initialize"; name: string; override?: boolean },
    ): void;
  };
}

function emptyTally(): RequestTally {
  return {
    requests: 0,
    byCommand: {},
    readUnits: 0,
    writeUnits: 0,
    withoutCapacity: 0,
    missingKeyReadUnits: 0,
  };
}

/** Adds two tallies (or subtracts with sign -1). */
export function combine(a: RequestTally, b: RequestTally, sign: 1 | -1 = 1): RequestTally {
  const byCommand: Record<string, number> = { ...a.byCommand };
  for (const [k, v] of Object.entries(b.byCommand)) byCommand[k] = (byCommand[k] ?? 0) + sign * v;
  for (const k of Object.keys(byCommand)) if (byCommand[k] === 0) delete byCommand[k];
  return {
    requests: a.requests + sign * b.requests,
    byCommand,
    readUnits: a.readUnits + sign * b.readUnits,
    writeUnits: a.writeUnits + sign * b.writeUnits,
    withoutCapacity: a.withoutCapacity + sign * b.withoutCapacity,
    missingKeyReadUnits: a.missingKeyReadUnits + sign * b.missingKeyReadUnits,
  };
}

/** When a batch get ran, and on which tables. */
export interface BatchGetSpan {
  tables: string[];
  start: number;
  end: number;
}

/** A live counter on one client: `snapshot()` copies, `since(s)` is the difference. */
export interface RequestCounter {
  snapshot(): RequestTally;
  since(before: RequestTally): RequestTally;
  /** Batch gets that started at or after `since` (performance.now() time). */
  batchGetsSince(since: number): BatchGetSpan[];
}

/**
 * Sequential rounds among batch gets on `table`: a request that starts after every earlier one
 * has answered opens a new round; requests in flight together share one.
 */
export function readRounds(spans: BatchGetSpan[], table: string): number {
  const mine = spans.filter((s) => s.tables.includes(table)).sort((a, b) => a.start - b.start);
  let rounds = 0;
  let roundEnd = Number.NEGATIVE_INFINITY;
  for (const s of mine) {
    if (s.start >= roundEnd) rounds++;
    roundEnd = Math.max(roundEnd, s.end);
  }
  return rounds;
}

/**
 * Attaches a counting middleware to `client`. With `dynamo`, each request also asks for its
 * consumed capacity, whose units are added up by read or write command.
 */
export function countRequests(client: InstrumentableClient, dynamo: boolean): RequestCounter {
  const tally = emptyTally();
  const spans: BatchGetSpan[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? "unknown";
      if (dynamo && args.input && typeof args.input === "object") {
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
      }
      tally.requests++;
      tally.byCommand[command] = (tally.byCommand[command] ?? 0) + 1;
      const start = performance.now();
      const result = await next(args);
      if (command === "BatchGetItemCommand") {
        const tables = Object.keys((args.input as BatchGetShape).RequestItems ?? {});
        spans.push({ tables, start, end: performance.now() });
        if (spans.length > 10_000) spans.splice(0, 5_000);
      }
      if (dynamo) {
        const raw = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
          .ConsumedCapacity;
        const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
        if (list.length === 0) tally.withoutCapacity++;
        if (command === "BatchGetItemCommand") {
          const extra = missingKeyUnits(
            args.input as BatchGetShape,
            result.output as BatchGetShape,
          );
          tally.missingKeyReadUnits += extra;
          tally.readUnits += extra;
        }
        for (const c of list) {
          const units = c.CapacityUnits ?? (c.ReadCapacityUnits ?? 0) + (c.WriteCapacityUnits ?? 0);
          if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
            tally.readUnits += c.ReadCapacityUnits ?? 0;
            tally.writeUnits += c.WriteCapacityUnits ?? 0;
          } else if (READS.has(command)) tally.readUnits += units;
          else tally.writeUnits += units;
        }
      }
      return result;
    },
    { step: "initialize", name: "benchRequestCounter", override: true },
  );
  return {
    snapshot: () => ({ ...tally, byCommand: { ...tally.byCommand } }),
    since: (before) => combine({ ...tally, byCommand: { ...tally.byCommand } }, before, -1),
    batchGetsSince: (since) => spans.filter((s) => s.start >= since),
  };
}
