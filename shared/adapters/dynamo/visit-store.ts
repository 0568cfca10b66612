import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import type { DeviceVisitState, ZoneEvent } from "../../domain/visit/types.ts";

/** Thrown when another batch of the same device saved its state first. */
export class VisitStateConflict extends Error {
  override readonly name = "VisitStateConflict";
}

/**
 * Thrown when the device's profile is gone or its erasure has started: nothing may be created
 * in an erased device's partition (a token cached by the authorizer can outlive the device).
 */
export class DeviceErased extends Error {
  override readonly name = "DeviceErased";
}

/** A page of the sparse `due` index: device ids whose visit item is due, and the items read. */
export interface DuePage {
  deviceIds: string[];
  itemsRead: number;
}

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

export interface StoredVisits {
  state: DeviceVisitState | undefined;
  /** Events saved with the state but not yet confirmed handled (a per-device outbox). */
  pending: ZoneEvent[];
  version: number;
}

/** Port: one visit-state item per device, written only on change, guarded by a version. */
export interface VisitStore {
  load(deviceId: string): Promise<StoredVisits>;
  /**
   * Saves state and outbox together; throws `VisitStateConflict` if the version moved and
   * `DeviceErased` when a first save finds no live profile. `dueAt` (epoch ms) puts the item in the
   * sparse `due` index (see `nextDueAt`); absent takes it out.
   */
  save(
    deviceId: string,
    next: { state: DeviceVisitState; pending: ZoneEvent[] },
    expectedVersion: number,
    expiresAt: number,
    dueAt?: number,
  ): Promise<number>;

  /**
   * Records how many visits are open, so pings of a device in no zone can skip the state read.
   * `asOf` is the saved state's `lastProcessedTs`, which grows with every saved state (also after
   * the state item expired): a count from an older state never overwrites a newer one, whatever
   * order two racing batches finish in.
   */
  setOpenZones(deviceId: string, openZones: number, asOf: number): Promise<void>;
  /** The open-visit count on the profile now (one small strongly consistent read). */
  openZones(deviceId: string): Promise<number>;
  /** The same read, with the device's active pickup references (`merchantId|pickupId`). */
  liveCounts?(deviceId: string): Promise<{ openZones: number; pickupRefs: string[] }>;
}

/** What the sweeper needs besides `VisitStore`: the due devices, and dropping orphans. */
export interface DueVisitStore extends VisitStore {
  /**
   * Device ids of one `due` index shard whose `dueAt` ≤ `nowMs`, earliest first, at most `limit`
   * (a Query on the sparse index: only due items are read, never the table).
   */
  due(shard: string, nowMs: number, limit: number): Promise<DuePage>;
  /** Removes a visit item left without a live profile (only if still at `expectedVersion`). */
  discard(deviceId: string, expectedVersion: number): Promise<void>;
}

/** DynamoDB adapter for `VisitStore` (devices table, same partition as the profile). */
export function dynamoVisitStore(client: DynamoDBDocumentClient, tableName: string): DueVisitStore {
  return {
    async load(deviceId) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: deviceKeys.visits(deviceId),
          ConsistentRead: true,
        }),
      );
      if (!out.Item) return { state: undefined, pending: [], version: 0 };
      return {
        state: out.Item.state as DeviceVisitState,
        pending: (out.Item.pending as ZoneEvent[] | undefined) ?? [],
        version: Number(out.Item.version),
      };
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
    async liveCounts(deviceId) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: deviceKeys.profile(deviceId),
          ProjectionExpression: "openZones, pickupRefs",
          ConsistentRead: true,
        }),
      );
      const refs = out.Item?.pickupRefs as Set<string> | undefined;
      return {
        openZones: Number(out.Item?.openZones ?? 0) || 0,
        pickupRefs: refs ? [...refs].sort() : [],
      };
    },
    async openZones(deviceId) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: deviceKeys.profile(deviceId),
          ProjectionExpression: "openZones",
          ConsistentRead: true,
        }),
      );
      return Number(out.Item?.openZones ?? 0) || 0;
    },
    async setOpenZones(deviceId, openZones, asOf) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: deviceKeys.profile(deviceId),
            UpdateExpression: "SET openZones = :n, openZonesAsOf = :t",
            ConditionExpression:
              "attribute_exists(pk) AND (attribute_not_exists(openZonesAsOf) OR openZonesAsOf < :t)",
            ExpressionAttributeValues: { ":n": openZones, ":t": asOf },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== "ConditionalCheckFailedException") throw error;
      }
    },
  };
}
