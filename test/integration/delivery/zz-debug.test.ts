import { it } from "vitest";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from "@aws-sdk/client-dynamodb-streams";
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, dynamoClient } from "../../../shared/adapters/aws-clients.ts";
import { env } from "../../support/aws.ts";
import { isolatedTables, putPendingIncentive } from "./messaging.ts";

it("debug", async () => {
  const tables = await isolatedTables();
  const table = tables.INCENTIVES_TABLE ?? "";
  const streams = new DynamoDBStreamsClient({ endpoint: env("AWS_ENDPOINT_URL_DYNAMODB") });
  const d = await dynamoClient.send(new DescribeTableCommand({ TableName: table }));
  const arn = d.Table?.LatestStreamArn ?? "";
  const desc = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = desc.StreamDescription?.Shards?.[0]?.ShardId ?? "";
  let it = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard, ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
  let running = true;
  let total = 0;
  let errors = 0;
  const loop = (async () => {
    while (running) {
      try {
        const out = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 100 }));
        total += out.Records?.length ?? 0;
        it = out.NextShardIterator;
      } catch (e) { errors++; if (errors < 3) console.log("ERR", (e as Error).name, "after", total); }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  let n = 0;
  await Promise.all(Array.from({ length: 30 }, async (_, i) => {
    if (process.env.DBG_TX) {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [
        { Put: { TableName: table, Item: { pk: `A${i}`, sk: "1" } } },
        { Put: { TableName: table, Item: { pk: `B${i}`, sk: "1" } } },
        { Update: { TableName: table, Key: { pk: "C", sk: "1" }, UpdateExpression: "ADD n :one", ExpressionAttributeValues: { ":one": 1 } } },
      ] })).catch(() => n++);
    } else await putPendingIncentive({}, table);
  }));
  await new Promise((r) => setTimeout(r, 1000));
  running = false;
  await loop;
  console.log("total", total, "errors", errors, "txfail", n);
}, 60000);
