import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import type { DeviceVisitState, ZoneEvent } from "../../domain/visit/types.ts";

/** Thrown when another batch of the same device saved its state first. */
export class VisitStateConflict extends Error {
  override readonly name = "VisitStateConflict";
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
  /** Saves state and outbox together; throws `VisitStateConflict` if the version moved. */
  save(
    deviceId: string,
    next: { state: DeviceVisitState; pending: ZoneEvent[] },
    expectedVersion: number,
    expiresAt: number,
  ): Promise<number>;
  /**
   * Records how many visits are open, so pings of a device in no zone can skip the state read.
   * `asOf` is the saved state's `lastProcessedTs`, which grows with every saved state (also after
   * the state item expired): a count from an older state never overwrites a newer one, whatever
   * order two racing batches finish in.
   */
  setOpenZones(deviceId: string, openZones: number, asOf: number): Promise<void>;
}

/** DynamoDB adapter for `VisitStore` (devices table, same partition as the profile). */
export function dynamoVisitStore(client: DynamoDBDocumentClient, tableName: string): VisitStore {
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
    async save(deviceId, next, expectedVersion, expiresAt) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...deviceKeys.visits(deviceId),
              state: next.state,
              pending: next.pending,
              version: expectedVersion + 1,
              expiresAt,
            },
            ConditionExpression:
              expectedVersion === 0 ? "attribute_not_exists(pk)" : "version = :expected",
            ...(expectedVersion === 0
              ? {}
              : { ExpressionAttributeValues: { ":expected": expectedVersion } }),
          }),
        );
      } catch (error) {
        if ((error as Error).name === "ConditionalCheckFailedException")
          throw new VisitStateConflict();
        throw error;
      }
      return expectedVersion + 1;
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
