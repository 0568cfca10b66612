import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { forEachLimit } from "../../concurrency.ts";
import type { ZoneDefinition } from "../../domain/zone.ts";
import { ConflictError } from "../../errors.ts";
import { batchGetAll } from "./batch.ts";
import type { GeoIndex, IndexedZone } from "./geo-index-port.ts";

/** Compact per-cell entry: one attribute per zone, named by the zone id. */
interface CellEntry {
  v: number;
  k: "footprint" | "trigger";
  m: string;
  s: string;
  o?: string;
  g: string;
  r: number;
  d: number;
}

/** Key shapes: cells live in the geo table; each zone's head (version, cells) in the catalog. */
export const geoKeys = {
  cell: (cell: string) => ({ cell }),
  zoneHead: (zoneId: string) => ({ pk: `ZONE#${zoneId}`, sk: "HEAD" }),
};

/** A zone head: the committed version, its cells, and the zone itself for exact tests. */
export interface ZoneHead extends IndexedZone {
  cells: string[];
  deleted?: boolean;
}

function toEntry(zone: ZoneDefinition, version: number): CellEntry {
  return {
    v: version,
    k: zone.kind,
    m: zone.merchantId,
    s: zone.storeId,
    ...(zone.offerId ? { o: zone.offerId } : {}),
    g: zone.geometry,
    r: zone.characteristicRadiusM,
    d: zone.dwellSeconds,
  };
}

function fromEntry(zoneId: string, e: CellEntry): IndexedZone {
  return {
    zoneId,
    version: e.v,
    kind: e.k,
    merchantId: e.m,
    storeId: e.s,
    offerId: e.o,
    geometry: e.g,
    characteristicRadiusM: e.r,
    dwellSeconds: e.d,
  };
}

function isConditionFailure(error: unknown): boolean {
  return (error as Error).name === "ConditionalCheckFailedException";
}

export interface GeoIndexOptions {
  geoTable: string;
  catalogTable: string;
  /** H3 cover of a zone's geometry (geometry module). */
  cover: (zone: ZoneDefinition) => string[];
  concurrency?: number;
}

/**
 * DynamoDB adapter for the geofence index. A (re)index writes the new version into every cell of
 * the new cover first (conditional on not overwriting a newer version), then commits the head with
 * an optimistic check, then removes the zone from cells it left. The zone is therefore never absent
 * from a cell it covers, and no stale entry outlives a completed write.
 */
export function dynamoGeoIndex(
  client: DynamoDBDocumentClient,
  options: GeoIndexOptions,
): GeoIndex & {
  getHeads(zoneIds: string[]): Promise<Map<string, ZoneHead>>;
} {
  const limit = options.concurrency ?? 16;

  async function readHead(zoneId: string): Promise<ZoneHead | undefined> {
    const out = await client.send(
      new GetCommand({
        TableName: options.catalogTable,
        Key: geoKeys.zoneHead(zoneId),
        ConsistentRead: true,
      }),
    );
    return out.Item as ZoneHead | undefined;
  }

  async function writeHead(head: ZoneHead, previousVersion: number | undefined) {
    try {
      await client.send(
        new PutCommand({
          TableName: options.catalogTable,
          Item: { ...geoKeys.zoneHead(head.zoneId), entity: "zoneHead", ...head },
          ConditionExpression:
            previousVersion === undefined ? "attribute_not_exists(pk)" : "version = :prev",
          ...(previousVersion === undefined
            ? {}
            : { ExpressionAttributeValues: { ":prev": previousVersion } }),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(`zone ${head.zoneId} changed concurrently; retry the request`);
      }
      throw error;
    }
  }

  async function removeFromCells(zoneId: string, cells: string[], belowVersion: number) {
    await forEachLimit(cells, limit, async (cell) => {
      try {
        await client.send(
          new UpdateCommand({
            TableName: options.geoTable,
            Key: geoKeys.cell(cell),
            UpdateExpression: "REMOVE #z",
            ConditionExpression: "attribute_exists(#z) AND #z.v < :v",
            ExpressionAttributeNames: { "#z": zoneId },
            ExpressionAttributeValues: { ":v": belowVersion },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    });
  }

  return {
    async putZone(zone) {
      const head = await readHead(zone.zoneId);
      const version = (head?.version ?? 0) + 1;
      const cells = [...new Set(options.cover(zone))];
      const entry = toEntry(zone, version);
      await forEachLimit(cells, limit, async (cell) => {
        try {
          await client.send(
            new UpdateCommand({
              TableName: options.geoTable,
              Key: geoKeys.cell(cell),
              UpdateExpression: "SET #z = :e",
              ConditionExpression: "attribute_not_exists(#z) OR #z.v < :v",
              ExpressionAttributeNames: { "#z": zone.zoneId },
              ExpressionAttributeValues: { ":e": entry, ":v": version },
            }),
          );
        } catch (error) {
          if (isConditionFailure(error)) {
            throw new ConflictError(`zone ${zone.zoneId} changed concurrently; retry the request`);
          }
          throw error;
        }
      });
      await writeHead({ ...zone, version, cells }, head?.version);
      const kept = new Set(cells);
      await removeFromCells(
        zone.zoneId,
        (head?.cells ?? []).filter((c) => !kept.has(c)),
        version,
      );
      return { version, cells: cells.length };
    },

    async removeZone(zoneId) {
      const head = await readHead(zoneId);
      if (!head || head.deleted) return;
      const version = head.version + 1;
      await writeHead({ ...head, version, cells: [], deleted: true }, head.version);
      await removeFromCells(zoneId, head.cells, version);
    },

    async getCells(cells) {
      const unique = [...new Set(cells)];
      const result = new Map<string, IndexedZone[]>();
      for (const cell of unique) result.set(cell, []);
      // All chunks in flight at once: a ping batch waits on one round of cell reads.
      const found = await batchGetAll(
        client,
        { [options.geoTable]: { Keys: unique.map((cell) => geoKeys.cell(cell)) } },
        { concurrency: 16 },
      );
      for (const item of found[options.geoTable] ?? []) {
        const zones: IndexedZone[] = [];
        for (const [name, value] of Object.entries(item)) {
          if (name === "cell") continue;
          zones.push(fromEntry(name, value as CellEntry));
        }
        result.set(item.cell as string, zones);
      }
      return result;
    },

    async getHeads(zoneIds) {
      const unique = [...new Set(zoneIds)];
      const heads = new Map<string, ZoneHead>();
      // A head left unread would look deleted and close a visit: retried, else it throws.
      const found = await batchGetAll(client, {
        [options.catalogTable]: {
          Keys: unique.map((id) => geoKeys.zoneHead(id)),
          ProjectionExpression:
            "zoneId, version, kind, merchantId, storeId, offerId, geometry, characteristicRadiusM, dwellSeconds, deleted",
        },
      });
      for (const item of found[options.catalogTable] ?? []) {
        const head = item as unknown as ZoneHead;
        if (!head.deleted) heads.set(head.zoneId, { ...head, cells: [] });
      }
      return heads;
    },
  };
}
