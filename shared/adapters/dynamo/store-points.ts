import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { type StorePoint, storePointCell } from "../../domain/store-points.ts";
import type { StorePoints } from "../../use-cases/ports/store-points.ts";
import { batchGetAll } from "./batch.ts";

export type { StorePoints };

interface PointEntry {
  m: string;
  lat: number;
  lon: number;
}

/**
 * DynamoDB adapter: one item per bucket in the geo index table (key `P6#<cell>`, no clash with
 * H3 cell keys), one attribute per store; a moved store is added to its new bucket before it
 * leaves the old one.
 */
export function dynamoStorePoints(client: DynamoDBDocumentClient, geoTable: string): StorePoints {
  async function set(cell: string, storeId: string, entry: PointEntry | undefined) {
    await client.send(
      new UpdateCommand({
        TableName: geoTable,
        Key: { cell },
        UpdateExpression: entry ? "SET #s = :e" : "REMOVE #s",
        ExpressionAttributeNames: { "#s": storeId },
        ...(entry ? { ExpressionAttributeValues: { ":e": entry } } : {}),
      }),
    );
  }
  return {
    async put(point, previous) {
      const cell = storePointCell(point.lat, point.lon);
      await set(cell, point.storeId, { m: point.merchantId, lat: point.lat, lon: point.lon });
      if (previous) {
        const old = storePointCell(previous.lat, previous.lon);
        if (old !== cell) await set(old, point.storeId, undefined);
      }
    },
    async remove(storeId, at) {
      await set(storePointCell(at.lat, at.lon), storeId, undefined);
    },
    async inCells(cells) {
      const points: StorePoint[] = [];
      const unique = [...new Set(cells)];
      const found = await batchGetAll(client, {
        [geoTable]: { Keys: unique.map((cell) => ({ cell })) },
      });
      for (const item of found[geoTable] ?? []) {
        for (const [storeId, value] of Object.entries(item)) {
          if (storeId === "cell") continue;
          const e = value as PointEntry;
          points.push({ merchantId: e.m, storeId, lat: e.lat, lon: e.lon });
        }
      }
      return points;
    },
  };
}
