import {
  BatchGetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from "@aws-sdk/lib-dynamodb";
import type { NativeAttributeValue } from "@aws-sdk/util-dynamodb";
import { expect } from "vitest";
import { handler as createStore } from "../../../functions/store-create.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { geoKeys } from "../../../shared/adapters/dynamo/geo-index.ts";
import { catalogKeys } from "../../../shared/domain/catalog/index.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { env } from "../../support/aws.ts";
import { offerRequest } from "../../support/catalog-items.ts";
import { storedItem } from "../../support/fixtures.ts";
import {
  bodyOf,
  type EventOptions,
  httpEvent,
  lambdaContext,
  merchantClaims,
} from "../../support/http-events.ts";

export const PARIS = { lat: 48.8584, lon: 2.347 };
export const LOUVRE = { lat: 48.8606, lon: 2.3376 };
export const BASTILLE = { lat: 48.8532, lon: 2.3692 };
export const TOKYO = { lat: 35.6595, lon: 139.7005 };

type Handler = (event: HttpEvent, context: never) => Promise<HttpResult>;

export interface Caller {
  merchantId: string;
  role: string;
}

export interface Problem {
  status: number;
  detail: string;
  errors?: { path: string; reason: string; index?: number }[];
  offerIds?: string[];
}

/** Invokes a handler as a merchant-side caller and returns status, headers and parsed body. */
export async function invoke<T = Record<string, unknown>>(
  handler: Handler,
  as: Caller,
  options: EventOptions = {},
) {
  const res = await handler(
    httpEvent({ ...options, jwtClaims: merchantClaims(as.merchantId, as.role) }),
    lambdaContext,
  );
  return {
    status: res.statusCode ?? 200,
    headers: res.headers ?? {},
    body: (res.body ? bodyOf<T>(res) : undefined) as T,
  };
}

/** The JSON paths of a problem response, sorted. */
export function errorPaths(body: unknown): string[] {
  return ((body as Problem).errors ?? []).map((e) => e.path).sort();
}

export function circleStore(at: { lat: number; lon: number }, extra: Record<string, unknown> = {}) {
  return {
    name: "Café Lumière",
    location: at,
    footprint: { type: "Circle", center: at, radiusM: 25 },
    ...extra,
  };
}

/** A store body with a street address and a 25 m circle footprint around `at`, no location. */
export function addressedFootprintStore(at: { lat: number; lon: number }) {
  return {
    name: "Café Lumière",
    address: "Rue de Rivoli, 75001 Paris",
    footprint: { type: "Circle", center: at, radiusM: 25 },
  };
}

/** Creates a {@link circleStore} at `at` through the store-create handler; expects 201, returns its id. */
export async function newStore(
  as: Caller,
  at: { lat: number; lon: number } = PARIS,
): Promise<string> {
  const res = await invoke<{ storeId: string }>(createStore, as, {
    method: "POST",
    path: "/v1/stores",
    body: circleStore(at),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.storeId;
}

const DAY_MS = 86_400_000;

/** An {@link offerBody} that is live now: valid from yesterday for 30 days, `extra` on top. */
export function liveOfferBody(storeIds: string[], extra: Record<string, unknown> = {}) {
  return offerBody(storeIds, {
    validFrom: new Date(Date.now() - DAY_MS).toISOString(),
    validTo: new Date(Date.now() + 30 * DAY_MS).toISOString(),
    ...extra,
  });
}

/** The offer request body the catalog tests start from (see {@link offerRequest}). */
export const offerBody = offerRequest;

/** Every catalog item in the merchant's partition (stores and offers), all pages. */
export function merchantItems(merchantId: string) {
  return queryCatalog({
    KeyConditionExpression: "pk = :pk",
    ExpressionAttributeValues: { ":pk": catalogKeys.partition(merchantId) },
  });
}

export interface ZoneHeadItem {
  zoneId: string;
  version: number;
  cells: string[];
  deleted?: boolean;
}

/** The index's head item of a zone (its committed cells), read straight from the table. */
export async function zoneHead(zoneId: string): Promise<ZoneHeadItem | undefined> {
  return (await storedItem("CATALOG_TABLE", geoKeys.zoneHead(zoneId))) as ZoneHeadItem | undefined;
}

/** Which of `cells` hold an entry for `zoneId` in the geo index table. */
export async function cellsHolding(zoneId: string, cells: readonly string[]): Promise<string[]> {
  const holding: string[] = [];
  for (let i = 0; i < cells.length; i += 100) {
    const out = await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [env("GEO_INDEX_TABLE")]: {
            Keys: cells.slice(i, i + 100).map((cell) => geoKeys.cell(cell)),
            ConsistentRead: true,
          },
        },
      }),
    );
    for (const item of out.Responses?.[env("GEO_INDEX_TABLE")] ?? []) {
      if (item[zoneId] !== undefined) holding.push(item.cell as string);
    }
  }
  return holding.sort();
}

type Item = Record<string, NativeAttributeValue>;

/** Every item of a paged read, following `LastEvaluatedKey` until the last page. */
async function allPages(
  page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>,
): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await page(start);
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every item of a consistent query of the catalog table, all pages. */
export function queryCatalog(
  input: Pick<QueryCommandInput, "KeyConditionExpression" | "ExpressionAttributeValues">,
): Promise<Item[]> {
  return allPages((start) =>
    documentClient.send(
      new QueryCommand({
        TableName: env("CATALOG_TABLE"),
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...input,
      }),
    ),
  );
}

/** Every item of the geo index table: a consistent scan, all pages. */
export function scanGeoIndex(): Promise<Item[]> {
  return allPages((start) =>
    documentClient.send(
      new ScanCommand({
        TableName: env("GEO_INDEX_TABLE"),
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    ),
  );
}

/** Every index entry (cell × zone) that belongs to the merchant: a scan of the test table. */
export async function indexEntriesOf(merchantId: string): Promise<string[]> {
  const found: string[] = [];
  for (const item of await scanGeoIndex()) {
    for (const [name, value] of Object.entries(item)) {
      if (name !== "cell" && (value as { m?: string }).m === merchantId) {
        found.push(`${item.cell}/${name}`);
      }
    }
  }
  return found;
}

/**
 * After a move of zone `zoneId` that was indexed on `before`: the zone is indexed again, some of
 * its old cells are no longer its own and none of those still holds it. Returns the new cells.
 */
export async function expectMovedOff(zoneId: string, before: readonly string[]): Promise<string[]> {
  const after = await expectIndexed(zoneId);
  const oldOnly = before.filter((c) => !after.includes(c));
  expect(oldOnly.length).toBeGreaterThan(0);
  expect(await cellsHolding(zoneId, oldOnly)).toEqual([]);
  return after;
}

/** A zone is indexed when its head is live and every one of its cells holds it. */
export async function expectIndexed(zoneId: string): Promise<string[]> {
  const head = await zoneHead(zoneId);
  if (!head || head.deleted || head.cells.length === 0) {
    throw new Error(`zone ${zoneId} is not indexed`);
  }
  const holding = await cellsHolding(zoneId, head.cells);
  if (holding.length !== head.cells.length) {
    throw new Error(`zone ${zoneId}: ${holding.length} of ${head.cells.length} cells hold it`);
  }
  return [...head.cells].sort();
}
