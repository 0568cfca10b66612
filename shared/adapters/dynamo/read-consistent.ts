import {
  type DynamoDBDocumentClient,
  GetCommand,
  type GetCommandOutput,
} from "@aws-sdk/lib-dynamodb";

/** An item as the Document client returns it (numbers as `number`, string sets as `Set`). */
export type StoredItem = NonNullable<GetCommandOutput["Item"]>;

/**
 * Reads one item with a strongly consistent GetItem: it reflects every write that succeeded
 * before the read (DynamoDB Developer Guide, "Read consistency"), at one read capacity unit per
 * 4 KB, twice an eventually consistent read. One request, never retried here (the SDK client
 * retries throttling and network failures).
 *
 * Forms: `readConsistent(client, table, key)` answers the raw item; with `{ projection }` only
 * the attributes named in that ProjectionExpression (plain attribute names, no placeholders);
 * with a `parse` function, what `parse` makes of the item (a parser may itself answer
 * undefined, e.g. for an expired item that TTL has not deleted yet).
 *
 * @returns the (parsed) item, or undefined when no item has `key`.
 * @throws any error of the client (throttling, validation, network), unchanged; whatever
 *   `parse` throws.
 */
export function readConsistent(
  client: DynamoDBDocumentClient,
  table: string,
  key: StoredItem,
  options?: { projection?: string },
): Promise<StoredItem | undefined>;
export function readConsistent<T>(
  client: DynamoDBDocumentClient,
  table: string,
  key: StoredItem,
  parse: (item: StoredItem) => T,
): Promise<T | undefined>;
export async function readConsistent<T>(
  client: DynamoDBDocumentClient,
  table: string,
  key: StoredItem,
  parseOrOptions?: ((item: StoredItem) => T) | { projection?: string },
): Promise<T | StoredItem | undefined> {
  const projection = typeof parseOrOptions === "object" ? parseOrOptions.projection : undefined;
  const out = await client.send(
    new GetCommand({
      TableName: table,
      Key: key,
      ConsistentRead: true,
      ...(projection ? { ProjectionExpression: projection } : {}),
    }),
  );
  if (!out.Item) return undefined;
  return typeof parseOrOptions === "function" ? parseOrOptions(out.Item) : out.Item;
}
