import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { forEachLimit } from "../../concurrency.ts";
import { type StorePoint, storePointCell } from "../../domain/store-points.ts";
import type { StorePoints } from "../../use-cases/ports/store-points.ts";
import { batchGetAll } from "./batch.ts";
import { transactInGroups } from "./transact-groups.ts";

/** Stores one bucket update writes at most (an expression may hold 4 KB). */
const BUCKET_STORES_PER_UPDATE = 100;

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
  async function put(point: StorePoint, previous?: { lat: number; lon: number }) {
    const cell = storePointCell(point.lat, point.lon);
    await set(cell, point.storeId, { m: point.merchantId, lat: point.lat, lon: point.lon });
    if (previous) {
      const old = storePointCell(previous.lat, previous.lon);
      if (old !== cell) await set(old, point.storeId, undefined);
    }
  }
  return {
    put,
    async putMany(points) {
      const byBucket = new Map<string, StorePoint[]>();
      for (const { point } of points) {
        const cell = storePointCell(point.lat, point.lon);
        const list = byBucket.get(cell) ?? [];
        list.push(point);
        byBucket.set(cell, list);
      }
      // Each bucket's stores in parts small enough for one update expression (4 KB).
      const parts = [...byBucket].flatMap(([cell, list]) =>
        Array.from({ length: Math.ceil(list.length / BUCKET_STORES_PER_UPDATE) }, (_, i) => ({
          cell,
          stores: list.slice(i * BUCKET_STORES_PER_UPDATE, (i + 1) * BUCKET_STORES_PER_UPDATE),
        })),
      );
      const failed = new Set<string>();
      // A transaction takes each bucket once: parts of one bucket go in successive rounds.
      while (parts.length > 0) {
        const seen = new Set<string>();
        const now = parts.filter((p) => !seen.has(p.cell) && seen.add(p.cell));
        for (const p of now) parts.splice(parts.indexOf(p), 1);
        const cancelled = await transactInGroups(
          client,
          now.map((p) => ({
            action: {
              Update: {
                TableName: geoTable,
                Key: { cell: p.cell },
                UpdateExpression: `SET ${p.stores.map((_, i) => `#s${i} = :e${i}`).join(", ")}`,
                ExpressionAttributeNames: Object.fromEntries(
                  p.stores.map((st, i) => [`#s${i}`, st.storeId]),
                ),
                ExpressionAttributeValues: Object.fromEntries(
                  p.stores.map((st, i) => [
                    `:e${i}`,
                    { m: st.merchantId, lat: st.lat, lon: st.lon } satisfies PointEntry,
                  ]),
                ),
              },
            },
            keys: p.stores.map((st) => st.storeId),
          })),
        );
        for (const id of cancelled) failed.add(id);
      }
      // Stores a concurrent write got in the way of, and moved stores' old buckets, one by one.
      await forEachLimit(
        points.filter((p) => failed.has(p.point.storeId) || p.previous !== undefined),
        16,
        async ({ point, previous }) => {
          if (failed.has(point.storeId)) await put(point, previous);
          else if (previous) {
            const old = storePointCell(previous.lat, previous.lon);
            if (old !== storePointCell(point.lat, point.lon)) {
              await set(old, point.storeId, undefined);
            }
          }
        },
      );
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
