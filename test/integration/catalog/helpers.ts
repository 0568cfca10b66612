import { BatchGetCommand, GetCommand, QueryCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { geoKeys } from "../../../shared/adapters/dynamo/geo-index.ts";
import { catalogKeys } from "../../../shared/domain/catalog/index.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { env } from "../../support/aws.ts";
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

export function offerBody(storeIds: string[], extra: Record<string, unknown> = {}) {
  return {
    name: "Lunch −15 %",
    storeIds,
    triggerZone: { type: "StoreRadius", radiusM: 200 },
    trigger: { on: "enter" },
    message: { title: "Lunch nearby?", body: "15 % off until 14:30." },
    validFrom: "2026-01-01T00:00:00Z",
    validTo: "2027-01-01T00:00:00Z",
    holdoutPercent: 20,
    attributionWindowHours: 48,
    redemption: { codeKind: "unique", expiresAfterHours: 24 },
    ...extra,
  };
}

/** Every catalog item in the merchant's partition (stores and offers). */
export async function merchantItems(merchantId: string) {
  const out = await documentClient.send(
    new QueryCommand({
      TableName: env("CATALOG_TABLE"),
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": catalogKeys.partition(merchantId) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

export interface ZoneHeadItem {
  zoneId: string;
  version: number;
  cells: string[];
  deleted?: boolean;
}

/** The index's head item of a zone (its committed cells), read straight from the table. */
export async function zoneHead(zoneId: string): Promise<ZoneHeadItem | undefined> {
  const out = await documentClient.send(
    new GetCommand({
      TableName: env("CATALOG_TABLE"),
      Key: geoKeys.zoneHead(zoneId),
      ConsistentRead: true,
    }),
  );
  return out.Item as ZoneHeadItem | undefined;
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

/** Every index entry (cell × zone) that belongs to the merchant: a scan of the test table. */
export async function indexEntriesOf(merchantId: string): Promise<string[]> {
  const found: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({
        TableName: env("GEO_INDEX_TABLE"),
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      for (const [name, value] of Object.entries(item)) {
        if (name !== "cell" && (value as { m?: string }).m === merchantId) {
          found.push(`${item.cell}/${name}`);
        }
      }
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
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
