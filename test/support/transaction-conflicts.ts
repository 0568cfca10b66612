import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";

/**
 * DynamoDB's transaction conflicts, which DynamoDB Local does not produce (it runs transactions
 * one at a time): a TransactWriteItems request that touches an item another transaction holds
 * is cancelled with `TransactionConflict` for that item, as DynamoDB does ("Transaction conflict
 * handling in DynamoDB", Developer Guide). A transaction holds its items for `holdMs` from its
 * arrival (DynamoDB's commit time, not DynamoDB Local's queueing, which would make every
 * overlapping request a conflict). Every other request passes through.
 */
export function withTransactionConflicts(
  client: DynamoDBDocumentClient,
  holdMs = 25,
): {
  client: DynamoDBDocumentClient;
  conflicts: () => number;
} {
  const heldUntil = new Map<string, number>();
  const held = { has: (k: string) => (heldUntil.get(k) ?? 0) > performance.now() };
  let conflicts = 0;
  const keyOf = (item: Record<string, unknown>): string => {
    const op = Object.values(item)[0] as {
      TableName: string;
      Key?: Record<string, unknown>;
      Item?: Record<string, unknown>;
    };
    const key = op.Key ?? { pk: op.Item?.pk, sk: op.Item?.sk };
    return `${op.TableName}|${String(key.pk)}|${String(key.sk)}`;
  };
  const send = async (command: unknown) => {
    if (command instanceof TransactWriteCommand) {
      const keys = (command.input.TransactItems ?? []).map((i) =>
        keyOf(i as Record<string, unknown>),
      );
      if (keys.some((k) => held.has(k))) {
        conflicts += 1;
        throw Object.assign(new Error("Transaction cancelled: TransactionConflict"), {
          name: "TransactionCanceledException",
          CancellationReasons: keys.map((k) => ({
            Code: held.has(k) ? "TransactionConflict" : "None",
          })),
        });
      }
      const until = performance.now() + holdMs;
      for (const k of keys) heldUntil.set(k, until);
      return client.send(command);
    }
    return client.send(command as never);
  };
  const proxy = new Proxy(client, {
    get: (target, prop, receiver) => (prop === "send" ? send : Reflect.get(target, prop, receiver)),
  });
  return { client: proxy, conflicts: () => conflicts };
}
