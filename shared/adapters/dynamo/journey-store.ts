import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import type { JourneyHistory } from "../../domain/journey/stage.ts";
import type { Clock } from "../../ports.ts";
import type {
  JourneyStore,
  JourneyWrite,
  StoredJourney,
} from "../../use-cases/ports/journey-store.ts";
import { readConsistent } from "./read-consistent.ts";

export type { JourneyStore };

/**
 * A history item as read (or its absence), as of `nowMs`: an item past its TTL may linger until
 * DynamoDB deletes it, and it is gone for the journey (its version still guards the next write).
 */
export function storedJourney(
  item: Record<string, unknown> | undefined,
  nowMs: number,
): StoredJourney {
  if (!item || Number(item.expiresAt) * 1000 <= nowMs) {
    return { history: undefined, version: Number(item?.version ?? 0) };
  }
  return { history: item.history as JourneyHistory, version: Number(item.version) };
}

/** DynamoDB adapter for `JourneyStore` (devices table, the device's partition). */
export function dynamoJourneyStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
): JourneyStore {
  return {
    async load(deviceId, merchantId) {
      const item = await readConsistent(
        client,
        tableName,
        deviceKeys.journey(deviceId, merchantId),
      );
      return storedJourney(item, clock.now());
    },
  };
}

/**
 * The transaction item writing a history (a Put guarded by the version read): the decision
 * store adds it to the visit's transaction.
 */
export function journeyPut(tableName: string, deviceId: string, write: JourneyWrite) {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...deviceKeys.journey(deviceId, write.merchantId),
        entity: "journey",
        history: write.history,
        version: write.expectedVersion + 1,
        expiresAt: write.expiresAt,
      },
      ConditionExpression:
        write.expectedVersion === 0 ? "attribute_not_exists(version)" : "version = :v",
      ...(write.expectedVersion === 0
        ? {}
        : { ExpressionAttributeValues: { ":v": write.expectedVersion } }),
    },
  };
}
