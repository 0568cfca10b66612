import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import { incentiveKeys } from "../../domain/incentive.ts";
import type { DeviceDataEraser } from "../../use-cases/devices.ts";
import { queryPages } from "./query-pages.ts";

type Key = Record<string, unknown>;

/** BatchWrite deletes in chunks of 25, retrying what DynamoDB leaves unprocessed; never drops. */
async function deleteAll(client: DynamoDBDocumentClient, table: string, keys: Key[]) {
  for (let i = 0; i < keys.length; i += 25) {
    let pending = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= 8) throw new Error("erase: unprocessed deletes remain");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
    }
  }
}

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
      const ids: string[] = [];
      for await (const page of queryPages(client, {
        TableName: tables.devices,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :attr)",
        ExpressionAttributeValues: { ":pk": deviceKeys.partition(deviceId), ":attr": "ATTR#" },
        ProjectionExpression: "incentiveId",
        ConsistentRead: true,
      })) {
        for (const item of page.Items ?? []) ids.push(String(item.incentiveId));
      }
      const keys: Key[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        let want: Key[] = ids.slice(i, i + 100).map((id) => incentiveKeys.incentive(id));
        for (let attempt = 0; want.length > 0; attempt++) {
          if (attempt >= 8) throw new Error("erase: unprocessed reads remain");
          if (attempt > 0) await new Promise((r) => setTimeout(r, 2 ** attempt * 20));
          const out = await client.send(
            new BatchGetCommand({
              RequestItems: {
                [tables.incentives]: {
                  Keys: want,
                  ProjectionExpression: "pk, sk, merchantId, code, codeKind",
                  ConsistentRead: true,
                },
              },
            }),
          );
          for (const item of out.Responses?.[tables.incentives] ?? []) {
            keys.push({ pk: item.pk, sk: item.sk });
            if (item.codeKind === "unique" && typeof item.code === "string") {
              keys.push(incentiveKeys.codeClaim(String(item.merchantId), item.code));
            }
          }
          want = (out.UnprocessedKeys?.[tables.incentives]?.Keys ?? []) as Key[];
        }
      }
      await deleteAll(client, tables.incentives, keys);
      return keys.length;
    },
  };
}
