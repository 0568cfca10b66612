import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { deviceKeys } from "../../domain/device.ts";
import { MAX_ACTIVE_PICKUPS_PER_DEVICE, pickupKeys, pickupRef } from "../../domain/pickup/keys.ts";
import type { Pickup, PickupEvent } from "../../domain/pickup/pickup.ts";
import type { FinishedPickup } from "../../domain/reports/pickup-metrics.ts";
import type { DeviceDataEraser } from "../../use-cases/devices.ts";
import { DeviceGone, PickupConflict, TooManyPickups } from "../../use-cases/pickups/errors.ts";
import type { PickupStore, StoredPickup } from "../../use-cases/pickups/pickups.ts";
import type { FinishedPickupReader } from "../../use-cases/reports/pickup-report.ts";
import { writeIf, writeOrThrow } from "./conditional-write.ts";
import { queryItems } from "./query-pages.ts";
import { readConsistent } from "./read-consistent.ts";

/** Days a finished pickup (state timestamps only) is kept for the pickup metrics. */
export const PICKUP_RETENTION_DAYS = 400;

type Item = Record<string, unknown>;

function itemOf(stored: StoredPickup): Item {
  const { pickup, outbox, formerDeviceId, sent } = stored;
  const active = pickup.terminal === undefined;
  const endedAt = active ? undefined : pickup.times[pickup.terminal as keyof Pickup["times"]];
  return {
    ...pickupKeys.pickup(pickup.merchantId, pickup.pickupId),
    entity: "pickup",
    ...pickup,
    outbox,
    // The pickup publisher's stream filter: only saves with events to publish reach it.
    ...(outbox.length > 0 ? { outboxPending: true } : {}),
    ...(sent && sent.length > 0 ? { sent: new Set(sent) } : {}),
    ...(formerDeviceId !== undefined && outbox.length > 0 ? { formerDeviceId } : {}),
    ...(active
      ? {
          gsi1pk: pickupKeys.board(pickup.merchantId, pickup.storeId),
          gsi1sk: pickupKeys.boardSort(pickup.promisedAt, pickup.pickupId),
        }
      : {
          gsi1pk: pickupKeys.finished(pickup.merchantId, pickup.storeId),
          gsi1sk: pickupKeys.boardSort(pickup.promisedAt, pickup.pickupId),
          expiresAt: Math.floor((endedAt ?? Date.now()) / 1000) + PICKUP_RETENTION_DAYS * 86_400,
        }),
  };
}

/** A stored pickup from an item (as read, or a stream record's new image). */
export function storedOf(item: Item): StoredPickup {
  const {
    pk: _pk,
    sk: _sk,
    entity: _e,
    gsi1pk: _g,
    gsi1sk: _gs,
    expiresAt: _x,
    outboxPending: _p,
    formerDeviceId,
    sent,
    outbox,
    ...pickup
  } = item;
  const sentTypes = sent instanceof Set || Array.isArray(sent) ? [...sent].map(String) : [];
  return {
    pickup: pickup as unknown as Pickup,
    outbox: (outbox as PickupEvent[] | undefined) ?? [],
    ...(typeof formerDeviceId === "string" ? { formerDeviceId } : {}),
    ...(sentTypes.length > 0 ? { sent: sentTypes } : {}),
  };
}

const cancelled = (error: unknown) => (error as Error).name === "TransactionCanceledException";
const reasons = (error: unknown) =>
  (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];

/** DynamoDB adapter for `PickupStore` (incentives table for pickups, devices table for refs). */
export function dynamoPickupStore(
  client: DynamoDBDocumentClient,
  tables: { incentives: string; devices: string },
): PickupStore {
  const table = tables.incentives;
  return {
    async create(pickup, outbox, tokenHash, tokenExpiresAt) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: itemOf({ pickup, outbox }),
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
            {
              Put: {
                TableName: table,
                Item: {
                  ...pickupKeys.attachToken(tokenHash),
                  entity: "pickupToken",
                  merchantId: pickup.merchantId,
                  pickupId: pickup.pickupId,
                  validUntil: tokenExpiresAt,
                  expiresAt: Math.ceil(tokenExpiresAt / 1000),
                },
                ConditionExpression: "attribute_not_exists(pk)",
              },
            },
          ],
        }),
      );
    },
    get: (merchantId, pickupId) =>
      readConsistent(client, table, pickupKeys.pickup(merchantId, pickupId), storedOf),
    byAttachToken: (tokenHash, nowMs) =>
      readConsistent(client, table, pickupKeys.attachToken(tokenHash), (item) =>
        // TTL deletion lags (up to days): the expiry is checked here, not left to TTL.
        Number(item.validUntil) > nowMs
          ? { merchantId: String(item.merchantId), pickupId: String(item.pickupId) }
          : undefined,
      ),
    async attach(stored, expectedVersion, tokenHash) {
      const { pickup } = stored;
      const deviceId = pickup.deviceId;
      if (!deviceId) throw new Error("attach: the pickup names no device");
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: table,
                  Key: pickupKeys.attachToken(tokenHash),
                  ConditionExpression: "attribute_exists(pk)",
                },
              },
              {
                Put: {
                  TableName: table,
                  Item: itemOf(stored),
                  ConditionExpression: "version = :v AND attribute_not_exists(deviceId)",
                  ExpressionAttributeValues: { ":v": expectedVersion },
                },
              },
              {
                Update: {
                  TableName: tables.devices,
                  Key: deviceKeys.profile(deviceId),
                  UpdateExpression: "ADD pickupRefs :ref",
                  ConditionExpression:
                    "attribute_exists(pk) AND attribute_not_exists(erasingAt) AND " +
                    "(attribute_not_exists(pickupRefs) OR size(pickupRefs) < :max)",
                  ExpressionAttributeValues: {
                    ":ref": new Set([pickupRef.of(pickup.merchantId, pickup.pickupId)]),
                    ":max": MAX_ACTIVE_PICKUPS_PER_DEVICE,
                  },
                },
              },
            ],
          }),
        );
      } catch (error) {
        if (!cancelled(error)) throw error;
        const [token, item, device] = reasons(error).map((r) => r.Code);
        if (token === "ConditionalCheckFailed" || item === "ConditionalCheckFailed") {
          throw new PickupConflict();
        }
        if (device === "ConditionalCheckFailed") {
          // Which condition failed is not reported: look.
          const profile = await readConsistent(
            client,
            tables.devices,
            deviceKeys.profile(deviceId),
            {
              projection: "pk, erasingAt",
            },
          );
          if (!profile || profile.erasingAt !== undefined) throw new DeviceGone();
          throw new TooManyPickups();
        }
        throw error;
      }
    },
    save: (stored, expectedVersion) =>
      writeOrThrow(
        client,
        new PutCommand({
          TableName: table,
          Item: itemOf(stored),
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": expectedVersion },
        }),
        () => new PickupConflict(),
      ),
    async markSent(merchantId, pickupId, types) {
      if (types.length === 0) return;
      const key = pickupKeys.pickup(merchantId, pickupId);
      const out = await client.send(
        new UpdateCommand({
          TableName: table,
          Key: key,
          // The version moves so that a save that read the outbox before retries with this.
          UpdateExpression: "ADD sent :types SET version = version + :one",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":types": new Set(types), ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      );
      const item = out.Attributes;
      if (!item) return;
      const sent = (item.sent as Set<string> | undefined) ?? new Set<string>();
      const outbox = (item.outbox as PickupEvent[] | undefined) ?? [];
      if (!outbox.every((e) => sent.has(e.type))) return;
      // A failed condition: saved again meanwhile; that save's outbox holds only unsent events
      // and is handed on.
      await writeIf(
        client,
        new UpdateCommand({
          TableName: table,
          Key: key,
          UpdateExpression: "SET outbox = :empty REMOVE outboxPending, formerDeviceId",
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": item.version, ":empty": [] },
        }),
      );
    },
    async dropDeviceRef(deviceId, ref) {
      // No profile (erased device): nothing to drop.
      await writeIf(
        client,
        new UpdateCommand({
          TableName: tables.devices,
          Key: deviceKeys.profile(deviceId),
          UpdateExpression: "DELETE pickupRefs :ref",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":ref": new Set([ref]) },
        }),
      );
    },
    async listActive(merchantId, storeId) {
      const items = await queryItems(
        client,
        {
          TableName: table,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :pk",
          ExpressionAttributeValues: { ":pk": pickupKeys.board(merchantId, storeId) },
        },
        { maxItems: 500 },
      );
      return items.map(storedOf);
    },
  };
}

/** What the pickup metrics read of an ended pickup (state timestamps and estimates only). */
const FINISHED_PROJECTION =
  "promisedAt, #times, terminal, endedBy, arrivalSource, nearbyEstimateAt";

/**
 * DynamoDB adapter for `FinishedPickupReader`: the store's ended pickups by promised time from
 * the `gsi1` partition they move to when they end (one paginated Query).
 */
export function dynamoFinishedPickups(
  client: DynamoDBDocumentClient,
  incentivesTable: string,
): FinishedPickupReader {
  return {
    async finishedPickups(merchantId, storeId, fromMs, toMs) {
      const items = await queryItems(client, {
        TableName: incentivesTable,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to",
        ProjectionExpression: FINISHED_PROJECTION,
        ExpressionAttributeNames: { "#times": "times" },
        ExpressionAttributeValues: {
          ":pk": pickupKeys.finished(merchantId, storeId),
          ":from": new Date(fromMs).toISOString(),
          // Sort keys are `<promised ISO>#<pickupId>`: every key of the last millisecond
          // sorts before its ISO time followed by "$" ('#' < '$').
          ":to": `${new Date(toMs - 1).toISOString()}$`,
        },
      });
      return items.map(
        (item): FinishedPickup => ({
          promisedAt: Number(item.promisedAt),
          times: (item.times as FinishedPickup["times"] | undefined) ?? {},
          terminal: item.terminal as FinishedPickup["terminal"],
          endedBy: item.endedBy as FinishedPickup["endedBy"],
          arrivalSource: item.arrivalSource as FinishedPickup["arrivalSource"],
          nearbyEstimateAt:
            item.nearbyEstimateAt === undefined ? undefined : Number(item.nearbyEstimateAt),
        }),
      );
    },
  };
}

/**
 * Erasure of a device's part in pickup orders: each active pickup the profile lists loses its
 * device link and trip memory (the order stays on the staff board, manual handling only).
 * Runs while the profile still exists (before the partition is deleted).
 */
export function dynamoPickupEraser(
  client: DynamoDBDocumentClient,
  tables: { incentives: string; devices: string },
): DeviceDataEraser {
  return {
    async eraseDevice(deviceId) {
      const profile = await readConsistent(client, tables.devices, deviceKeys.profile(deviceId), {
        projection: "pickupRefs",
      });
      let detached = 0;
      for (const raw of (profile?.pickupRefs as Set<string> | undefined) ?? []) {
        const ref = pickupRef.parse(raw);
        if (!ref) continue;
        const written = await writeIf(
          client,
          new UpdateCommand({
            TableName: tables.incentives,
            Key: pickupKeys.pickup(ref.merchantId, ref.pickupId),
            UpdateExpression:
              "REMOVE deviceId, trip, estimatedArrivalAt SET version = version + :one",
            ConditionExpression: "deviceId = :device",
            ExpressionAttributeValues: { ":device": deviceId, ":one": 1 },
          }),
        );
        if (written) detached++;
      }
      return detached;
    },
  };
}
