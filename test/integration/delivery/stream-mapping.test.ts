/**
 * Local stream delivery follows the deployed event source mapping: the same definition
 * (infra/function-specs.ts) gives the filters, batch size and retries; records arrive in
 * Lambda's event shape; a batch that used up its retries goes to the on-failure destination.
 * Runs on DynamoDB Local against a table of its own.
 */
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { _Record as StreamApiRecord } from "@aws-sdk/client-dynamodb-streams";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ensureDeadLetterQueue,
  sqsOnFailureDestination,
} from "../../../scripts/local/on-failure.ts";
import {
  type OnFailureRecord,
  passesFilters,
  type StreamPoller,
  startStreamPoller,
  toLambdaRecord,
} from "../../../scripts/local/stream-poller.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";
import { publisherMapping } from "./messaging.ts";

const mapping = publisherMapping();

/** A TTL deletion as the DynamoDB Streams API returns it (GetRecords). */
const ttlRemove: StreamApiRecord = {
  eventID: "1",
  eventName: "REMOVE",
  eventVersion: "1.1",
  eventSource: "aws:dynamodb",
  awsRegion: "us-east-1",
  userIdentity: { PrincipalId: "dynamodb.amazonaws.com", Type: "Service" },
  dynamodb: {
    ApproximateCreationDateTime: new Date("2026-11-30T08:00:00Z"),
    Keys: { pk: { S: "CODE#X" }, sk: { S: "CODE" } },
    OldImage: { entity: { S: "code" }, status: { S: "issued" }, pk: { S: "CODE#X" } },
    SequenceNumber: "100",
    SizeBytes: 40,
    StreamViewType: "NEW_AND_OLD_IMAGES",
  },
};

describe("records in Lambda's event shape", () => {
  it("a TTL removal of an issued code passes the deployed filter (principalId/type)", () => {
    const record = toLambdaRecord(ttlRemove, "arn:stream", "us-east-1");
    expect(record.userIdentity).toEqual({ type: "Service", principalId: "dynamodb.amazonaws.com" });
    expect(record.dynamodb?.ApproximateCreationDateTime).toBe(
      Date.parse("2026-11-30T08:00:00Z") / 1000,
    );
    expect(record.eventSourceARN).toBe("arn:stream");
    expect(passesFilters(record, mapping.filterPatterns)).toBe(true);
    // The Streams API shape cast as is (PrincipalId/Type) never matched: the branch never ran.
    expect(passesFilters(ttlRemove as unknown as DynamoDBRecord, mapping.filterPatterns)).toBe(
      false,
    );
  });

  it("neighbours: a user's delete, a redeemed code and a sent incentive do not pass", () => {
    const { userIdentity: _, ...userDelete } = ttlRemove;
    expect(passesFilters(toLambdaRecord(userDelete, "a", "r"), mapping.filterPatterns)).toBe(false);
    const redeemed = {
      ...ttlRemove,
      dynamodb: {
        ...ttlRemove.dynamodb,
        OldImage: { entity: { S: "code" }, status: { S: "redeemed" } },
      },
    };
    expect(passesFilters(toLambdaRecord(redeemed, "a", "r"), mapping.filterPatterns)).toBe(false);
    const sent: StreamApiRecord = {
      eventName: "MODIFY",
      dynamodb: { NewImage: { entity: { S: "incentive" }, status: { S: "sent" } } },
    };
    expect(passesFilters(toLambdaRecord(sent, "a", "r"), mapping.filterPatterns)).toBe(false);
    const pending: StreamApiRecord = {
      eventName: "INSERT",
      dynamodb: { NewImage: { entity: { S: "incentive" }, status: { S: "pending" } } },
    };
    expect(passesFilters(toLambdaRecord(pending, "a", "r"), mapping.filterPatterns)).toBe(true);
  });
});

describe("the local mapping on DynamoDB Local", () => {
  let tableName: string;
  let poller: StreamPoller | undefined;

  beforeAll(async () => {
    tableName = uniqueId("stream_mapping");
    const ddb = new DynamoDBClient({
      endpoint: env("AWS_ENDPOINT_URL_DYNAMODB"),
      region: env("AWS_REGION"),
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "pk", AttributeType: "S" },
          { AttributeName: "sk", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    ddb.destroy();
  });

  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  const put = (pk: string, entity: string, status: string) =>
    documentClient.send(
      new PutCommand({ TableName: tableName, Item: { pk, sk: "I", entity, status } }),
    );

  it("filters, batches of batchSize, retries, then the on-failure destination (a DLQ message)", async () => {
    const batches: string[][] = [];
    const { sqs } = testClients();
    const dlqUrl = await ensureDeadLetterQueue(sqs, uniqueId("publisher"));
    const attemptsOfPoison = { n: 0 };
    const run = uniqueId("r");
    poller = await startStreamPoller({
      endpoint: env("AWS_ENDPOINT_URL_DYNAMODB"),
      region: env("AWS_REGION"),
      tableName,
      mapping,
      intervalMs: 50,
      handler: async (event) => {
        const ids = event.Records.map((r) => r.dynamodb?.NewImage?.pk?.S ?? "");
        batches.push(ids);
        const poison = event.Records.find((r) => r.dynamodb?.NewImage?.pk?.S === `${run}-poison`);
        if (!poison) return { batchItemFailures: [] };
        attemptsOfPoison.n++;
        return { batchItemFailures: [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? "" }] };
      },
      // The same destination `npm start` uses: a message on the function's local DLQ.
      onFailure: sqsOnFailureDestination(sqs, dlqUrl),
    });
    for (let i = 0; i < 60; i++) await put(`${run}-ok-${i}`, "incentive", "pending");
    for (let i = 0; i < 5; i++) await put(`${run}-sent-${i}`, "incentive", "sent");
    await put(`${run}-other`, "device", "pending");
    await put(`${run}-poison`, "incentive", "pending");
    await poller.drain();

    const delivered = new Set(batches.flat());
    for (let i = 0; i < 60; i++) expect(delivered.has(`${run}-ok-${i}`)).toBe(true);
    expect([...delivered].some((id) => id.includes("-sent-") || id.endsWith("-other"))).toBe(false);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(mapping.batchSize);
    // The poison record: first try plus retryAttempts retries, then sent on, not skipped.
    expect(attemptsOfPoison.n).toBe(mapping.retryAttempts + 1);
    const failures: OnFailureRecord[] = [];
    for (let i = 0; i < 5 && failures.length === 0; i++) {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const m of out.Messages ?? [])
        failures.push(JSON.parse(m.Body ?? "{}") as OnFailureRecord);
    }
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      requestContext: { condition: "RetryAttemptsExhausted" },
      DDBStreamBatchInfo: { batchSize: 1 },
    });
  });
});
