import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/** Fresh clients for tests (endpoints come from the env the global setup provided). */
export function testClients() {
  const dynamo = new DynamoDBClient({});
  return {
    dynamo,
    doc: DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
    sns: new SNSClient({}),
    sqs: new SQSClient({ useQueueUrlAsEndpoint: false }),
  };
}

/** Reads a required env var set by the global setup. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set by the test setup`);
  return value;
}

let counter = 0;
/** Unique id per test for isolation on shared tables. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}
