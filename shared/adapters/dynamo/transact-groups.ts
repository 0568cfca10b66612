/**
 * Many independent conditional writes sent as few requests: actions are packed into
 * TransactWriteItems requests (at most 100 actions and 4 MB each; DynamoDB API reference,
 * "TransactWriteItems") and a few requests go out at once. A request that DynamoDB cancels (a
 * condition failed, or another transaction touched one of its items) writes nothing; the keys
 * of its actions are returned so the caller can redo them one by one, with its own rules for
 * a failed condition. Any other error is thrown.
 *
 * Bulk work (the store import) uses it where one request per item would be too many round
 * trips: 100 conditional updates in one request instead of 100 requests. Transactional writes
 * cost two write units per KB instead of one.
 */
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { forEachLimit } from "../../concurrency.ts";

/** Most actions per TransactWriteItems request. */
export const TRANSACT_MAX_ACTIONS = 100;
/** Transactions in flight at once (by default). */
export const TRANSACT_CONCURRENCY = 8;
/** Bytes of actions packed into one request, below the 4 MB request limit with room to spare. */
export const TRANSACT_MAX_BYTES = 3_000_000;

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]
>[number];

/** One action, and the keys (caller's ids) it writes for. */
export interface KeyedAction {
  action: TransactItem;
  keys: readonly string[];
}

function errorName(error: unknown): string | undefined {
  return (error as { name?: string }).name;
}

/**
 * Packs `actions` in order into requests; two actions on the same item must not share a request
 * (DynamoDB refuses it), so the caller passes at most one action per item per call.
 */
export function packActions(actions: readonly KeyedAction[]): KeyedAction[][] {
  const groups: KeyedAction[][] = [];
  let current: KeyedAction[] = [];
  let bytes = 0;
  for (const a of actions) {
    const size = JSON.stringify(a.action, (_k, v) => (v instanceof Set ? [...v] : v)).length;
    if (
      current.length > 0 &&
      (current.length >= TRANSACT_MAX_ACTIONS || bytes + size > TRANSACT_MAX_BYTES)
    ) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(a);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Sends `actions` in packed transactions, `concurrency` at a time. Returns the keys of every
 * action whose transaction was cancelled (nothing of it was written).
 */
export async function transactInGroups(
  client: DynamoDBDocumentClient,
  actions: readonly KeyedAction[],
  concurrency = TRANSACT_CONCURRENCY,
): Promise<Set<string>> {
  const cancelled = new Set<string>();
  await forEachLimit(packActions(actions), concurrency, async (group) => {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: group.map((a) => a.action) }));
    } catch (error) {
      const name = errorName(error);
      if (name !== "TransactionCanceledException" && name !== "TransactionConflictException") {
        throw error;
      }
      for (const a of group) for (const key of a.keys) cancelled.add(key);
    }
  });
  return cancelled;
}
