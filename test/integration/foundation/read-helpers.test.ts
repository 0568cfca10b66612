/**
 * The adapters' shared read helpers on DynamoDB Local: the strongly consistent single-item read
 * (raw, projected, parsed, absent) and the Query that collects every page within its bounds.
 */
import { BatchWriteCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { queryItems } from "../../../shared/adapters/dynamo/query-pages.ts";
import { readConsistent } from "../../../shared/adapters/dynamo/read-consistent.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";

const clients = testClients();
const table = () => env("DEVICES_TABLE");

/** `count` items of one fresh partition, each about `padBytes` large; the partition key. */
async function partitionOf(count: number, padBytes: number): Promise<string> {
  const pk = uniqueId("HELPERS");
  const items = Array.from({ length: count }, (_, i) => ({
    pk,
    sk: `ITEM#${String(i).padStart(4, "0")}`,
    n: i,
    pad: "x".repeat(padBytes),
  }));
  for (let i = 0; i < items.length; i += 25) {
    await clients.doc.send(
      new BatchWriteCommand({
        RequestItems: {
          [table()]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
  return pk;
}

const partitionQuery = (pk: string, extra: Partial<QueryCommandInput> = {}): QueryCommandInput => ({
  TableName: table(),
  KeyConditionExpression: "pk = :pk",
  ExpressionAttributeValues: { ":pk": pk },
  ...extra,
});

describe("readConsistent", () => {
  it("answers the item as written, its projection, or what the parser makes of it", async () => {
    const pk = await partitionOf(1, 10);
    const key = { pk, sk: "ITEM#0000" };
    expect(await readConsistent(clients.doc, table(), key)).toEqual({
      ...key,
      n: 0,
      pad: "x".repeat(10),
    });
    expect(await readConsistent(clients.doc, table(), key, { projection: "n" })).toEqual({ n: 0 });
    expect(await readConsistent(clients.doc, table(), key, (item) => Number(item.n) + 1)).toBe(1);
  });

  it("answers undefined for a missing item without calling the parser", async () => {
    const parsed: unknown[] = [];
    const key = { pk: uniqueId("HELPERS"), sk: "ITEM#0000" };
    expect(await readConsistent(clients.doc, table(), key)).toBeUndefined();
    expect(await readConsistent(clients.doc, table(), key, (item) => parsed.push(item))).toBe(
      undefined,
    );
    expect(parsed).toEqual([]);
  });
});

describe("queryItems", () => {
  it("collects every page in key order", async () => {
    const pk = await partitionOf(30, 10);
    const items = await queryItems(clients.doc, partitionQuery(pk, { Limit: 7 }));
    expect(items.map((i) => i.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it("stops after the page that reaches maxItems, keeping that page whole", async () => {
    const pk = await partitionOf(30, 10);
    const items = await queryItems(clients.doc, partitionQuery(pk, { Limit: 7 }), {
      maxItems: 10,
    });
    expect(items.map((i) => i.n)).toEqual(Array.from({ length: 14 }, (_, i) => i));
  });

  it("stops after maxPages pages", async () => {
    const pk = await partitionOf(30, 10);
    const items = await queryItems(clients.doc, partitionQuery(pk, { Limit: 4 }), {
      maxPages: 2,
    });
    expect(items).toHaveLength(8);
  });

  it("answers an empty list for an empty partition", async () => {
    expect(await queryItems(clients.doc, partitionQuery(uniqueId("HELPERS")))).toEqual([]);
  });
});
