import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type Device, deviceKeys } from "../../domain/device.ts";
import type { DeviceVisitState, ZoneEvent } from "../../domain/visit/types.ts";
import type {
  DeviceSnapshotReader,
  DuePage,
  DueVisitStore,
  OutboxClear,
  StoredVisits,
  VisitStore,
} from "../../use-cases/ports/visit-store.ts";
import { DeviceErased, VisitStateConflict } from "../../use-cases/ports/visit-store.ts";
import { writeIf } from "./conditional-write.ts";
import { readConsistent } from "./read-consistent.ts";

export type { DeviceSnapshotReader, DuePage, DueVisitStore, StoredVisits, VisitStore };

/** The visit item as stored, back to `StoredVisits` (no item: version 0, nothing open). */
function storedVisits(item: Record<string, unknown> | undefined): StoredVisits {
  if (!item) return { state: undefined, pending: [], version: 0 };
  return {
    state: item.state as DeviceVisitState,
    pending: (item.pending as ZoneEvent[] | undefined) ?? [],
    version: Number(item.version),
  };
}

export { DeviceErased, VisitStateConflict };

/**
 * The condition, on the device's profile item, under which a write may create an item in the
 * device's partition: the profile exists and its erasure has not started. Used as a
 * ConditionCheck in every transaction that can create something for a device.
 */
export function profileLiveCheck(tableName: string, deviceId: string) {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: deviceKeys.profile(deviceId),
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(erasingAt)",
    },
  };
}

/**
 * The outbox clear as a transaction action (an Update of the visit item, conditioned on the
 * version it was saved at): what `VisitStore.save` with no pending events writes, minus the
 * unchanged state, so the decision step's last transaction can carry it.
 */
export function outboxClearUpdate(tableName: string, clear: OutboxClear) {
  const due = clear.dueAt !== undefined;
  return {
    Update: {
      TableName: tableName,
      Key: deviceKeys.visits(clear.deviceId),
      UpdateExpression: due
        ? "SET pending = :none, version = :next, expiresAt = :exp, dueShard = :shard, dueAt = :due"
        : "SET pending = :none, version = :next, expiresAt = :exp REMOVE dueShard, dueAt",
      ConditionExpression: "version = :saved",
      ExpressionAttributeValues: {
        ":none": [],
        ":next": clear.savedVersion + 1,
        ":saved": clear.savedVersion,
        ":exp": clear.expiresAt,
        ...(due ? { ":shard": deviceKeys.dueShard(clear.deviceId), ":due": clear.dueAt } : {}),
      },
    },
  };
}

/**
 * The outbox clear on its own (one UpdateItem), for a transaction that had no room for it; a
 * visit item that moved meanwhile is left as it is (the later save carries the outbox on).
 */
export async function clearOutboxAlone(
  client: DynamoDBDocumentClient,
  tableName: string,
  clear: OutboxClear,
): Promise<void> {
  await writeIf(client, new UpdateCommand(outboxClearUpdate(tableName, clear).Update));
}

/**
 * DynamoDB adapter for `VisitStore` (devices table, same partition as the profile) and for the
 * ping path's `DeviceSnapshotReader`.
 */
export function dynamoVisitStore(
  client: DynamoDBDocumentClient,
  tableName: string,
): DueVisitStore & DeviceSnapshotReader {
  return {
    async load(deviceId) {
      return storedVisits(await readConsistent(client, tableName, deviceKeys.visits(deviceId)));
    },
    /**
     * One strongly consistent Query over `PROFILE` ≤ sk ≤ `VISITS` (deviceKeys.profileToVisits):
     * both items, billed as one read of their summed size (a BatchGetItem would round each item
     * up to 4 KB on its own). At most two items, far below a Query page's 1 MB.
     */
    async snapshot(deviceId) {
      const range = deviceKeys.profileToVisits;
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: "pk = :pk AND sk BETWEEN :from AND :to",
          ExpressionAttributeValues: {
            ":pk": deviceKeys.partition(deviceId),
            ":from": range.from,
            ":to": range.to,
          },
          ConsistentRead: true,
        }),
      );
      const items = out.Items ?? [];
      const profileItem = items.find((i) => i.sk === range.from);
      let profile: Device | undefined;
      if (profileItem) {
        const { pk: _pk, sk: _sk, ...rest } = profileItem;
        profile = rest as Device;
      }
      return { profile, visits: storedVisits(items.find((i) => i.sk === range.to)) };
    },
    async save(deviceId, next, expectedVersion, expiresAt, dueAt) {
      const item = {
        ...deviceKeys.visits(deviceId),
        state: next.state,
        pending: next.pending,
        version: expectedVersion + 1,
        expiresAt,
        ...(dueAt !== undefined ? { dueShard: deviceKeys.dueShard(deviceId), dueAt } : {}),
      };
      try {
        if (expectedVersion === 0) {
          // Creating the item: only for a live profile, checked in the same transaction, so a
          // token cached after erasure cannot recreate data in the erased partition.
          await client.send(
            new TransactWriteCommand({
              TransactItems: [
                profileLiveCheck(tableName, deviceId),
                {
                  Put: {
                    TableName: tableName,
                    Item: item,
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
              ],
            }),
          );
        } else {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: item,
              ConditionExpression: "version = :expected",
              ExpressionAttributeValues: { ":expected": expectedVersion },
            }),
          );
        }
      } catch (error) {
        const name = (error as Error).name;
        if (name === "ConditionalCheckFailedException") throw new VisitStateConflict();
        if (name === "TransactionCanceledException") {
          const reasons = (error as { CancellationReasons?: { Code?: string }[] })
            .CancellationReasons;
          if (reasons?.[0]?.Code === "ConditionalCheckFailed") throw new DeviceErased();
          if (reasons?.[1]?.Code === "ConditionalCheckFailed") throw new VisitStateConflict();
        }
        throw error;
      }
      return expectedVersion + 1;
    },
    async due(shard, nowMs, limit) {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: "due",
          KeyConditionExpression: "dueShard = :shard AND dueAt <= :now",
          ExpressionAttributeValues: { ":shard": shard, ":now": nowMs },
          Limit: limit,
        }),
      );
      const items = out.Items ?? [];
      return {
        deviceIds: items.map((i) => deviceKeys.deviceIdOf(String(i.pk))),
        itemsRead: items.length,
      };
    },
    async discard(deviceId, expectedVersion) {
      try {
        await client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: deviceKeys.visits(deviceId),
            ConditionExpression: "version = :expected",
            ExpressionAttributeValues: { ":expected": expectedVersion },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      }
    },
  };
}
