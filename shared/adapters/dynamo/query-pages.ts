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
