import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import type { JourneyHistory } from "../../domain/journey/stage.ts";
import type { Clock } from "../../ports.ts";
import type { JourneyStore, JourneyWrite } from "../../use-cases/ports/journey-store.ts";

export type { JourneyStore };

/** DynamoDB adapter for `JourneyStore` (devices table, the device's partition). */
export function dynamoJourneyStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  clock: Clock,
): JourneyStore {
  return {
    async load(deviceId, merchantId) {
      const out = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: deviceKeys.journey(deviceId, merchantId),
          ConsistentRead: true,
        }),
      );
      // An item past its TTL may linger until DynamoDB deletes it: it is gone for the journey.
      if (!out.Item || Number(out.Item.expiresAt) * 1000 <= clock.now()) {
        return { history: undefined, version: Number(out.Item?.version ?? 0) };
      }
      return { history: out.Item.history as JourneyHistory, version: Number(out.Item.version) };
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
