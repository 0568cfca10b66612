import { SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import type { StreamMapping } from "../../infra/function-specs.ts";
import { type StreamPoller, startStreamPoller } from "../../scripts/local/stream-poller.ts";
import { env, testClients, uniqueId } from "./aws.ts";

const clients = testClients();

/** A stream-triggered function's handler, answering with the batch's failed records. */
type StreamPublisher = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse>;

/**
 * Polls the incentives table's stream like the deployed event source mapping (its filters and
 * batch size when `mapping` is given) and hands `publisher` only the records of `merchantId`:
 * other test files share the table, their records are acknowledged untouched.
 */
export async function startMerchantStream(options: {
  merchantId: string;
  publisher: StreamPublisher;
  mapping?: Partial<Omit<StreamMapping, "table">>;
}): Promise<StreamPoller> {
  return await startStreamPoller({
    endpoint: env("AWS_ENDPOINT_URL_DYNAMODB"),
    region: env("AWS_REGION"),
    tableName: env("INCENTIVES_TABLE"),
    ...(options.mapping ? { mapping: options.mapping } : {}),
    handler: async (event) => {
      const mine = event.Records.filter(
        (r) => r.dynamodb?.NewImage?.merchantId?.S === options.merchantId,
      );
      if (mine.length === 0) return { batchItemFailures: [] };
      return await options.publisher({ Records: mine }, {} as Context);
    },
  });
}

/**
 * A new raw-delivery SQS queue subscribed to the incentive topic with the filter policy a store
 * system would use: its merchant, plus any further message-attribute conditions. Returns its URL.
 */
export async function subscribeMerchantQueue(
  merchantId: string,
  filter: Record<string, unknown[]> = {},
): Promise<string> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: uniqueId("q") }));
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await clients.sns.send(
    new SubscribeCommand({
      TopicArn: env("INCENTIVE_TOPIC_ARN"),
      Protocol: "sqs",
      Endpoint: Attributes?.QueueArn,
      Attributes: {
        RawMessageDelivery: "true",
        FilterPolicy: JSON.stringify({ merchantId: [merchantId], ...filter }),
      },
    }),
  );
  return QueueUrl ?? "";
}

/**
 * Receives the queue's JSON message bodies (long polls of 1 s) until `done` says so or 30 s have
 * passed. `done` sees the bodies so far and whether the last poll came back empty.
 */
export async function drainQueue(
  queueUrl: string,
  done: (messages: Record<string, unknown>[], lastPollEmpty: boolean) => boolean,
): Promise<Record<string, unknown>[]> {
  const messages: Record<string, unknown>[] = [];
  const deadline = Date.now() + 30_000;
  let lastPollEmpty = false;
  while (Date.now() < deadline && !done(messages, lastPollEmpty)) {
    const out = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const m of out.Messages ?? []) messages.push(JSON.parse(m.Body ?? "{}"));
    lastPollEmpty = (out.Messages ?? []).length === 0;
  }
  return messages;
}
