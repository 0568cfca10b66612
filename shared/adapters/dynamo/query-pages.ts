import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
} from "@aws-sdk/lib-dynamodb";

/**
 * Every page of a Query, in order: each request starts at the previous page's
 * `LastEvaluatedKey` (the first at `input.ExclusiveStartKey`, if any) until DynamoDB reports no
 * more. A page holds at most 1 MB of items (DynamoDB's limit); stop early by leaving the loop.
 */
export async function* queryPages(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
): AsyncGenerator<QueryCommandOutput> {
  let start = input.ExclusiveStartKey;
  do {
    const page = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Where `queryItems` stops early; both counted after whole pages. */
export interface QueryItemsLimit {
  /** No further page is requested once this many items are held (the last page is kept whole). */
  maxItems?: number;
  /** No further page is requested after this many pages (the result is then truncated). */
  maxPages?: number;
}

/**
 * The items of every page of a Query, in order (see `queryPages`), until DynamoDB reports no
 * more or a `limit` is reached.
 *
 * @throws any error of the client, unchanged.
 */
export async function queryItems(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: QueryItemsLimit = {},
): Promise<NonNullable<QueryCommandOutput["Items"]>> {
  const items: NonNullable<QueryCommandOutput["Items"]> = [];
  let pages = 0;
  for await (const page of queryPages(client, input)) {
    for (const item of page.Items ?? []) items.push(item);
    pages += 1;
    if (items.length >= (limit.maxItems ?? Infinity) || pages >= (limit.maxPages ?? Infinity)) {
      break;
    }
  }
  return items;
}
