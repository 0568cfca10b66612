import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type Device, deviceKeys } from "../../domain/device.ts";
import { ConflictError } from "../../errors.ts";
import type { DeviceStore } from "../../use-cases/ports/device-store.ts";
import { batchWriteAll } from "./batch.ts";
import { writeIf, writeOrThrow } from "./conditional-write.ts";
import { queryPages } from "./query-pages.ts";
import { readConsistent } from "./read-consistent.ts";

export type { DeviceStore };

/**
 * Profile attributes no longer written nor read: the open-visit count the ping path kept before it
 * read the visit state with the profile (`openZones`, `openZonesAsOf`). A profile replace removes
 * them, so stored profiles shed them as devices update.
 */
const RETIRED_ATTRIBUTES: readonly string[] = ["openZones", "openZonesAsOf"];

/** DynamoDB adapter for `DeviceStore` (devices table). */
export function dynamoDeviceStore(client: DynamoDBDocumentClient, tableName: string): DeviceStore {
  return {
    get: (deviceId) =>
      readConsistent(client, tableName, deviceKeys.profile(deviceId), (item) => {
        const { pk: _pk, sk: _sk, ...device } = item;
        return device as Device;
      }),
    async create(device) {
      await writeOrThrow(
        client,
        new PutCommand({
          TableName: tableName,
          Item: { ...deviceKeys.profile(device.deviceId), ...device },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
        () => new ConflictError("deviceId: already exists"),
      );
    },
    async replace(device, expectedVersion) {
      // An update, not a put: pickup references belong to the pickup use cases and survive a
      // concurrent profile change. Retired attributes a profile may still hold are dropped.
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ":expected": expectedVersion };
      const sets: string[] = [];
      const removes: string[] = [];
      const fields = Object.keys(device).filter(
        (k) =>
          !["deviceId", "erasingAt", "pickupRefs"].includes(k) && !RETIRED_ATTRIBUTES.includes(k),
      ) as (keyof Device)[];
      RETIRED_ATTRIBUTES.forEach((attribute, i) => {
        names[`#r${i}`] = attribute;
        removes.push(`#r${i}`);
      });
      for (const optional of ["pushToken", "pushEndpointArn", "locale", "timeZone"] as const) {
        if (!fields.includes(optional)) fields.push(optional);
      }
      fields.forEach((field, i) => {
        names[`#a${i}`] = field;
        const value = device[field];
        if (value === undefined) removes.push(`#a${i}`);
        else {
          values[`:v${i}`] = value;
          sets.push(`#a${i} = :v${i}`);
        }
      });
      await writeOrThrow(
        client,
        new UpdateCommand({
          TableName: tableName,
          Key: deviceKeys.profile(device.deviceId),
          UpdateExpression: `SET ${sets.join(", ")}${removes.length > 0 ? ` REMOVE ${removes.join(", ")}` : ""}`,
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { ...names, "#version": "version" },
          ExpressionAttributeValues: values,
        }),
        () => new ConflictError("The device changed meanwhile; retry the request."),
      );
    },
    markErasing: (deviceId, at) =>
      writeIf(
        client,
        new UpdateCommand({
          TableName: tableName,
          Key: deviceKeys.profile(deviceId),
          UpdateExpression: "SET erasingAt = if_not_exists(erasingAt, :at)",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":at": at },
        }),
      ),
    async erase(deviceId) {
      let deleted = 0;
      for await (const page of queryPages(client, {
        TableName: tableName,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": deviceKeys.partition(deviceId) },
        ProjectionExpression: "pk, sk",
      })) {
        const keys = page.Items ?? [];
        await batchWriteAll(client, {
          [tableName]: keys.map((Key) => ({ DeleteRequest: { Key } })),
        });
        deleted += keys.length;
      }
      return deleted;
    },
  };
}
