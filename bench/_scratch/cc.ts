import { startLocalStack } from "../../scripts/local/environment.ts";

const stack = await startLocalStack({ tablePrefix: "bench-scratch" });
Object.assign(process.env, stack.env);
const { dynamoClient, documentClient } = await import("../../shared/adapters/aws-clients.ts");
const { countRequests } = await import("../ingest/counters.ts");
const { GetCommand, PutCommand, BatchGetCommand, UpdateCommand } = await import(
  "@aws-sdk/lib-dynamodb"
);
const c = countRequests(dynamoClient as never, true);
const T = stack.env.GEO_INDEX_TABLE!;
console.log(Object.keys(stack.env));
const s0 = c.snapshot();
await documentClient.send(
  new GetCommand({
    TableName: stack.env.DEVICES_TABLE,
    Key: { pk: "x", sk: "y" },
    ConsistentRead: true,
  }),
);
console.log("get", c.since(s0));
const s1 = c.snapshot();
await documentClient.send(
  new BatchGetCommand({
    RequestItems: { [T]: { Keys: [{ cell: "a" }, { cell: "b" }, { cell: "c" }] } },
  }),
);
console.log("batchget", c.since(s1));
const s2 = c.snapshot();
await documentClient.send(
  new UpdateCommand({
    TableName: T,
    Key: { cell: "a" },
    UpdateExpression: "SET #z = :e",
    ExpressionAttributeNames: { "#z": "z1" },
    ExpressionAttributeValues: { ":e": { v: 1, g: "x".repeat(3000) } },
  }),
);
console.log("update", c.since(s2));
await stack.stop();
