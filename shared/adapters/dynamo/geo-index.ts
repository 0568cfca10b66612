import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { forEachLimit } from "../../concurrency.ts";
import type { ZoneDefinition } from "../../domain/zone.ts";
import { ConflictError } from "../../errors.ts";
import { batchGetAll } from "./batch.ts";
import { writeIf, writeOrThrow } from "./conditional-write.ts";
import type { GeoIndex, IndexedZone } from "./geo-index-port.ts";
import { readConsistent } from "./read-consistent.ts";
import { transactInGroups } from "./transact-groups.ts";

/** Compact per-cell entry: one attribute per zone, named by the zone id. */
interface CellEntry {
  v: number;
  k: ZoneDefinition["kind"];
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
  /**
   * Write intent: the version and cells a (re)index is writing right now, recorded on the head
   * before the first cell, so a write cut off at any point (kill -9, timeout) leaves no cell
   * that no head names, and the next write of the zone clears what it left.
   */
  pendingVersion?: number;
  pendingCells?: string[];
}

/** A head as read: a zone whose first write was cut off has an intent but no version yet. */
type StoredHead = Omit<ZoneHead, "version"> & { version?: number };

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

/**
 * Zones one cell update writes at most: each adds about 60 characters of condition, and an
 * expression may hold 4 KB (DynamoDB developer guide, "Expression parameters").
 */
const CELL_ZONES_PER_UPDATE = 40;

/**
 * What a failed condition on zone `zoneId`'s head or cells means: another write of the zone
 * moved it meanwhile (409, for the caller to retry).
 */
function zoneMoved(zoneId: string): ConflictError {
  return new ConflictError(`zone ${zoneId} changed concurrently; retry the request`);
}

export interface GeoIndexOptions {
  geoTable: string;
  catalogTable: string;
  /**
   * H3 cover of a zone's geometry (geometry/cover.ts), needed by writes only: readers (the ping
   * path) leave it out and so bundle no h3-js; a write without it throws.
   */
  cover?: (zone: ZoneDefinition) => string[];
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

  /** The zone's cells, deduplicated; only writers configure a cover. */
  function cellsOf(zone: ZoneDefinition): string[] {
    if (!options.cover) throw new Error("geo index built without a cover function: reads only");
    return [...new Set(options.cover(zone))];
  }

  function readHead(zoneId: string): Promise<StoredHead | undefined> {
    return readConsistent(client, options.catalogTable, geoKeys.zoneHead(zoneId)) as Promise<
      StoredHead | undefined
    >;
  }

  /** The update that records a write intent on the head, if nobody moved the head meanwhile. */
  function intentUpdate(
    zoneId: string,
    previous: StoredHead | undefined,
    version: number,
    cells: string[],
  ) {
    const values: Record<string, unknown> = {
      ":v": version,
      ":cells": cells,
      ":id": zoneId,
      ":e": "zoneHead",
    };
    let condition = "attribute_not_exists(pk)";
    if (previous) {
      condition =
        (previous.version === undefined ? "attribute_not_exists(version)" : "version = :cv") +
        (previous.pendingVersion === undefined
          ? " AND attribute_not_exists(pendingVersion)"
          : " AND pendingVersion = :pv");
      if (previous.version !== undefined) values[":cv"] = previous.version;
      if (previous.pendingVersion !== undefined) values[":pv"] = previous.pendingVersion;
    }
    return {
      TableName: options.catalogTable,
      Key: geoKeys.zoneHead(zoneId),
      UpdateExpression: "SET pendingVersion = :v, pendingCells = :cells, zoneId = :id, entity = :e",
      ConditionExpression: condition,
      ExpressionAttributeValues: values,
    };
  }

  /** Records the write intent on the head, if nobody else moved the head meanwhile. */
  async function writeIntent(
    zoneId: string,
    previous: StoredHead | undefined,
    version: number,
    cells: string[],
  ) {
    await writeOrThrow(
      client,
      new UpdateCommand(intentUpdate(zoneId, previous, version, cells)),
      () => zoneMoved(zoneId),
    );
  }

  /** The put that commits a head (dropping any write intent), conditional on the head read before. */
  function headPut(
    head: ZoneHead,
    previous: { version?: number; pendingVersion?: number } | undefined,
  ) {
    let condition = "attribute_not_exists(pk)";
    const values: Record<string, unknown> = {};
    if (previous?.pendingVersion !== undefined) {
      condition = "pendingVersion = :pv";
      values[":pv"] = previous.pendingVersion;
    } else if (previous) {
      condition =
        previous.version === undefined ? "attribute_not_exists(version)" : "version = :prev";
      if (previous.version !== undefined) values[":prev"] = previous.version;
    }
    return {
      TableName: options.catalogTable,
      Item: { ...geoKeys.zoneHead(head.zoneId), entity: "zoneHead", ...head },
      ConditionExpression: condition,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
    };
  }

  /** Commits a head (dropping any write intent), conditional on the head read before. */
  async function writeHead(
    head: ZoneHead,
    previous: { version?: number; pendingVersion?: number } | undefined,
  ) {
    await writeOrThrow(client, new PutCommand(headPut(head, previous)), () =>
      zoneMoved(head.zoneId),
    );
  }

  /**
   * The update of zone `zoneId`'s attribute (`#z`) in one cell: `update` on condition
   * `condition`, with the expression's `values`.
   */
  function cellUpdate(
    cell: string,
    zoneId: string,
    update: string,
    condition: string,
    values: Record<string, unknown>,
  ) {
    return new UpdateCommand({
      TableName: options.geoTable,
      Key: geoKeys.cell(cell),
      UpdateExpression: update,
      ConditionExpression: condition,
      ExpressionAttributeNames: { "#z": zoneId },
      ExpressionAttributeValues: values,
    });
  }

  /** Removes the zone from `cells`, from each only while it holds a version below `belowVersion`. */
  async function removeFromCells(zoneId: string, cells: string[], belowVersion: number) {
    await forEachLimit(cells, limit, async (cell) => {
      await writeIf(
        client,
        cellUpdate(cell, zoneId, "REMOVE #z", "attribute_exists(#z) AND #z.v < :v", {
          ":v": belowVersion,
        }),
      );
    });
  }

  const api: GeoIndex & { getHeads(zoneIds: string[]): Promise<Map<string, ZoneHead>> } = {
    async putZone(zone) {
      const head = await readHead(zone.zoneId);
      const version = Math.max(head?.version ?? 0, head?.pendingVersion ?? 0) + 1;
      const cells = cellsOf(zone);
      const entry = toEntry(zone, version);
      await writeIntent(zone.zoneId, head, version, cells);
      await forEachLimit(cells, limit, (cell) =>
        writeOrThrow(
          client,
          cellUpdate(cell, zone.zoneId, "SET #z = :e", "attribute_not_exists(#z) OR #z.v < :v", {
            ":e": entry,
            ":v": version,
          }),
          () => zoneMoved(zone.zoneId),
        ),
      );
      await writeHead({ ...zone, version, cells }, { pendingVersion: version });
      const kept = new Set(cells);
      // Cells the zone left, and those an earlier write cut off had already written.
      const stale = [...(head?.cells ?? []), ...(head?.pendingCells ?? [])];
      await removeFromCells(
        zone.zoneId,
        [...new Set(stale)].filter((c) => !kept.has(c)),
        version,
      );
      return { version, cells: cells.length };
    },

    async putZones(zones) {
      const unique = [...new Map(zones.map((z) => [z.zoneId, z])).values()];
      if (unique.length === 0) return;
      const found = await batchGetAll(client, {
        [options.catalogTable]: {
          Keys: unique.map((z) => geoKeys.zoneHead(z.zoneId)),
          ConsistentRead: true,
        },
      });
      const heads = new Map<string, StoredHead>();
      for (const item of found[options.catalogTable] ?? []) {
        const head = item as unknown as StoredHead;
        heads.set(head.zoneId, head);
      }
      const plans = unique.map((zone) => {
        const head = heads.get(zone.zoneId);
        const version = Math.max(head?.version ?? 0, head?.pendingVersion ?? 0) + 1;
        return { zone, head, version, cells: cellsOf(zone) };
      });
      // Zones whose transaction was cancelled: redone one by one at the end.
      const redo = new Set<string>();
      const live = () => plans.filter((p) => !redo.has(p.zone.zoneId));

      // 1. Intents on the heads, before any cell.
      for (const key of await transactInGroups(
        client,
        live().map((p) => ({
          action: { Update: intentUpdate(p.zone.zoneId, p.head, p.version, p.cells) },
          keys: [p.zone.zoneId],
        })),
      )) {
        redo.add(key);
      }

      // 2. Cells: one update per cell for every zone it gains (a transaction takes each item
      // once; a cell shared by more zones than one update holds is written over more rounds).
      const byCell = new Map<string, (typeof plans)[number][]>();
      for (const p of live()) {
        for (const cell of p.cells) {
          const list = byCell.get(cell) ?? [];
          list.push(p);
          byCell.set(cell, list);
        }
      }
      while (byCell.size > 0) {
        const actions = [...byCell].map(([cell, list]) => {
          const part = list.slice(0, CELL_ZONES_PER_UPDATE);
          const names: Record<string, string> = {};
          const values: Record<string, unknown> = {};
          const sets: string[] = [];
          const conditions: string[] = [];
          part.forEach((p, i) => {
            names[`#z${i}`] = p.zone.zoneId;
            values[`:e${i}`] = toEntry(p.zone, p.version);
            values[`:v${i}`] = p.version;
            sets.push(`#z${i} = :e${i}`);
            conditions.push(`(attribute_not_exists(#z${i}) OR #z${i}.v < :v${i})`);
          });
          return {
            action: {
              Update: {
                TableName: options.geoTable,
                Key: geoKeys.cell(cell),
                UpdateExpression: `SET ${sets.join(", ")}`,
                ConditionExpression: conditions.join(" AND "),
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            keys: part.map((p) => p.zone.zoneId),
          };
        });
        for (const key of await transactInGroups(client, actions)) redo.add(key);
        for (const [cell, list] of [...byCell]) {
          const rest = list.slice(CELL_ZONES_PER_UPDATE);
          if (rest.length > 0) byCell.set(cell, rest);
          else byCell.delete(cell);
        }
      }

      // 3. Heads committed (each conditional on its own intent).
      for (const key of await transactInGroups(
        client,
        live().map((p) => ({
          action: {
            Put: headPut(
              { ...p.zone, version: p.version, cells: p.cells },
              { pendingVersion: p.version },
            ),
          },
          keys: [p.zone.zoneId],
        })),
      )) {
        redo.add(key);
      }

      // 4. Cells the zones left (moved zones, cells of a write cut off earlier).
      await forEachLimit(live(), limit, async (p) => {
        const kept = new Set(p.cells);
        const stale = [...new Set([...(p.head?.cells ?? []), ...(p.head?.pendingCells ?? [])])];
        const gone = stale.filter((c) => !kept.has(c));
        if (gone.length > 0) await removeFromCells(p.zone.zoneId, gone, p.version);
      });

      // 5. What a concurrent write got in the way of, one zone at a time.
      await forEachLimit(
        plans.filter((p) => redo.has(p.zone.zoneId)),
        limit,
        async (p) => {
          await api.putZone(p.zone);
        },
      );
    },

    async removeZone(zoneId) {
      const head = await readHead(zoneId);
      if (!head) return;
      const occupied = [...new Set([...(head.cells ?? []), ...(head.pendingCells ?? [])])];
      if (head.deleted && occupied.length === 0) return;
      const version =
        Math.max(head.version ?? 0, head.pendingVersion ?? 0) + (head.deleted ? 0 : 1);
      if (!head.deleted) {
        // The deleted head keeps the cells until they are cleared: a removal cut off midway
        // is finished by the next call instead of leaving cells behind.
        const { pendingVersion: _pv, pendingCells: _pc, ...rest } = head;
        await writeHead({ ...rest, version, cells: occupied, deleted: true } as ZoneHead, head);
      }
      await removeFromCells(zoneId, occupied, version + 1);
      const { pendingVersion: _pv, pendingCells: _pc, ...done } = head;
      await writeHead({ ...done, version, cells: [], deleted: true } as ZoneHead, {
        version,
      }).catch((error: unknown) => {
        if (!(error instanceof ConflictError)) throw error;
      });
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
        // A head with only a write intent has never been committed: not a live zone yet.
        if (!head.deleted && head.version !== undefined) {
          heads.set(head.zoneId, { ...head, cells: [] });
        }
      }
      return heads;
    },
  };
  return api;
}
