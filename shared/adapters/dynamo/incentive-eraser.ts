import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import { incentiveKeys } from "../../domain/incentive.ts";
import type { DeviceDataEraser } from "../../use-cases/devices.ts";
import { batchGetAll, batchWriteAll } from "./batch.ts";
import { queryItems } from "./query-pages.ts";

type Key = Record<string, unknown>;

/**
 * Erases a device's incentives: every incentive or holdout item (raw device id, code, title) and
 * its unique-code claim. They are found through the device's attribution handles (`ATTR#` items in
 * its partition, kept exactly as long as the incentive items), so no index on the raw device id is
 * needed. Runs after the profile is marked for erasure (no new grant can commit) and before the
 * partition itself is deleted.
 */
export function dynamoIncentiveEraser(
  client: DynamoDBDocumentClient,
  tables: { devices: string; incentives: string },
): DeviceDataEraser {
  return {
    async eraseDevice(deviceId) {
      const handles = await queryItems(client, {
        TableName: tables.devices,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :attr)",
        ExpressionAttributeValues: { ":pk": deviceKeys.partition(deviceId), ":attr": "ATTR#" },
        ProjectionExpression: "incentiveId",
        ConsistentRead: true,
      });
      // Reads and deletes are chunked to the batch limits, unprocessed keys retried, never dropped.
      const found = await batchGetAll(client, {
        [tables.incentives]: {
          Keys: handles.map((handle) => incentiveKeys.incentive(String(handle.incentiveId))),
          ProjectionExpression: "pk, sk, merchantId, code, codeKind",
          ConsistentRead: true,
        },
      });
      const keys: Key[] = [];
      for (const item of found[tables.incentives] ?? []) {
        keys.push({ pk: item.pk, sk: item.sk });
        if (item.codeKind === "unique" && typeof item.code === "string") {
          keys.push(incentiveKeys.codeClaim(String(item.merchantId), item.code));
        }
      }
      await batchWriteAll(client, {
        [tables.incentives]: keys.map((Key) => ({ DeleteRequest: { Key } })),
      });
      return keys.length;
    },
  };
}
