import {
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
  ThrottledException,
} from "@aws-sdk/client-sns";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StreamPoller, startStreamPoller } from "../../../scripts/local/stream-poller.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { env, testClients } from "../../support/aws.ts";
import { lambdaContext } from "../../support/http-events.ts";
import {
  countByIncentive,
  createQueue,
  createTopicWithQueues,
  isolatedTables,
  overrideEnv,
  putPendingIncentive,
  receiveAll,
} from "./messaging.ts";

const { sns, sqs } = testClients();
// Faults go into every SNS client of this file (the publisher's module-scope one included);
// successful publishes still reach fauxqs through the real implementation.
const realSend = SNSClient.prototype.send as (command: PublishCommand) => Promise<unknown>;
const mockAllSnsClients = () => mockClient(SNSClient);
let snsMock: ReturnType<typeof mockAllSnsClients>;
let queueUrl: string;
let dlqUrl: string;
let poller: StreamPoller;
let restoreEnv: () => void;
const failuresReported: number[] = [];

const throttled = () =>
  new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } });
const passthrough = (input: PublishCommandInput, getClient: () => unknown) =>
  realSend.call(getClient() as SNSClient, new PublishCommand(input));

async function statusOf(incentiveId: string) {
  const out = await documentClient.send(
    new GetCommand({
      TableName: env("INCENTIVES_TABLE"),
      Key: incentiveKeys.incentive(incentiveId),
      ConsistentRead: true,
    }),
  );
  return out.Item?.status;
}

beforeAll(async () => {
  const tables = await isolatedTables();
  const topic = await createTopicWithQueues(sns, sqs, { all: undefined });
  queueUrl = topic.queues.all ?? "";
  dlqUrl = (await createQueue(sqs, "publisher-dlq")).queueUrl;
  restoreEnv = overrideEnv({
    ...tables,
    INCENTIVE_TOPIC_ARN: topic.topicArn,
    INCENTIVE_DLQ_URL: dlqUrl,
    DELIVERY_MAX_ATTEMPTS: "2",
    DELIVERY_BASE_DELAY_MS: "1",
  });
  const { handler } = await import("../../../functions/incentive-publisher.ts");
  snsMock = mockAllSnsClients();
  poller = await startStreamPoller({
    endpoint: env("AWS_ENDPOINT_URL_DYNAMODB"),
    region: env("AWS_REGION"),
    tableName: env("INCENTIVES_TABLE"),
    handler: async (event: DynamoDBStreamEvent) => {
      const result = await handler(event, lambdaContext);
      failuresReported.push(result.batchItemFailures.length);
      return result;
    },
    intervalMs: 50,
  });
});

afterAll(async () => {
  await poller?.stop();
  snsMock?.restore();
  restoreEnv?.();
});

describe("publisher behind the stream poller: failed records are retried by the event source", () => {
  it("throttling beyond the in-invocation attempts is retried from the stream; each incentive lands once", async () => {
    snsMock.reset();
    snsMock
      .on(PublishCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .callsFake(passthrough);
    const incentives = [];
    for (let i = 0; i < 3; i++) incentives.push(await putPendingIncentive());
    await poller.drain();

    const counts = countByIncentive(await receiveAll(sqs, queueUrl));
    expect(counts).toEqual(new Map(incentives.map((inc) => [inc.incentiveId, 1])));
    // 5 throttled attempts + exactly one successful publish per incentive: no duplicate publish.
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(8);
    expect(failuresReported.some((n) => n > 0)).toBe(true);
    for (const inc of incentives) expect(await statusOf(inc.incentiveId)).toBe("sent");
  });

  it("a permanent failure is dead-lettered by the publisher and not retried", async () => {
    snsMock.reset();
    const bad = await putPendingIncentive({ title: "rejected by SNS" });
    const good = await putPendingIncentive();
    snsMock.on(PublishCommand).callsFake((input: PublishCommandInput, getClient: () => unknown) => {
      if (input.Message?.includes(bad.incentiveId)) {
        throw Object.assign(new Error("Invalid parameter: Message"), {
          name: "InvalidParameterException",
          $metadata: { httpStatusCode: 400 },
        });
      }
      return passthrough(input, getClient);
    });
    await poller.drain();
    expect(countByIncentive(await receiveAll(sqs, queueUrl))).toEqual(
      new Map([[good.incentiveId, 1]]),
    );
    const parked = await receiveAll(sqs, dlqUrl);
    expect(parked.map((m) => JSON.parse(m.body).incentiveId)).toEqual([bad.incentiveId]);
    expect(await statusOf(bad.incentiveId)).toBe("failed");
    expect(await statusOf(good.incentiveId)).toBe("sent");
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(2);
  });
});
