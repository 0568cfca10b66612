import {
  CreateTopicCommand,
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
  SubscribeCommand,
  ThrottledException,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { FUNCTION_SPECS, streamMapping } from "../../../infra/function-specs.ts";
import { ensureTables } from "../../../scripts/local/create-tables.ts";
import { type StreamPoller, startStreamPoller } from "../../../scripts/local/stream-poller.ts";
import { documentClient, dynamoClient } from "../../../shared/adapters/aws-clients.ts";
import { type Incentive, incentiveKeys } from "../../../shared/domain/incentive.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";
import { registeredDevice, storedItem } from "../../support/fixtures.ts";
import { lambdaContext } from "../../support/http-events.ts";

/** fauxqs resource names allow letters, digits, - and _ only, up to 80 characters. */
const resourceName = (prefix: string) =>
  uniqueId(prefix)
    .replace(/[^A-Za-z0-9_-]/g, "-")
    .slice(0, 80);

/** The incentive publisher's deployed event source mapping (filters, batch size, retries). */
export function publisherMapping() {
  const trigger = FUNCTION_SPECS["incentive-publisher"]?.trigger;
  if (trigger?.kind !== "tableStream") throw new Error("the publisher has a stream trigger");
  return streamMapping(trigger);
}

export async function createQueue(sqs: SQSClient, prefix: string) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: resourceName(prefix) }));
  if (!QueueUrl) throw new Error("no queue url");
  const attrs = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueArn = attrs.Attributes?.QueueArn;
  if (!queueArn) throw new Error("no queue arn");
  return { queueUrl: QueueUrl, queueArn };
}

/**
 * A topic of this test's own with one raw-delivery queue per subscription (optionally filtered on
 * message attributes), so counts are never disturbed by other test files.
 */
export async function createTopicWithQueues(
  sns: SNSClient,
  sqs: SQSClient,
  subscriptions: Record<string, Record<string, string[]> | undefined>,
) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: resourceName("incentives") }));
  if (!TopicArn) throw new Error("no topic arn");
  const queues: Record<string, string> = {};
  for (const [name, filterPolicy] of Object.entries(subscriptions)) {
    const { queueUrl, queueArn } = await createQueue(sqs, name);
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: queueArn,
        Attributes: {
          RawMessageDelivery: "true",
          ...(filterPolicy ? { FilterPolicy: JSON.stringify(filterPolicy) } : {}),
        },
      }),
    );
    queues[name] = queueUrl;
  }
  return { topicArn: TopicArn, queues };
}

export interface ReceivedMessage {
  body: string;
  attributes: Record<string, string | undefined>;
}

/** Empties a queue: receives (and deletes) until a long poll comes back empty. */
export async function receiveAll(sqs: SQSClient, queueUrl: string): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageAttributeNames: ["All"],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return received;
    for (const m of messages) {
      received.push({
        body: m.Body ?? "",
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
        ),
      });
    }
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/** How many times each id occurs among message bodies (by `incentiveId`). */
export function countByIncentive(messages: ReceivedMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const id = (JSON.parse(m.body) as { incentiveId: string }).incentiveId;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Puts a pending incentive straight into the outbox, as a committed grant leaves it. Without a
 * `deviceId` override the incentive belongs to a freshly registered, consenting device.
 */
export async function putPendingIncentive(
  overrides: Partial<Incentive> = {},
  table = env("INCENTIVES_TABLE"),
): Promise<Incentive> {
  const grantedAt = Date.now();
  const deviceId =
    "deviceId" in overrides ? overrides.deviceId : (await registeredDevice()).deviceId;
  const incentive: Incentive = {
    incentiveId: uniqueId("inc"),
    merchantId: uniqueId("m"),
    offerId: uniqueId("of"),
    storeId: uniqueId("st"),
    deviceId,
    outcome: "sent",
    status: "pending",
    code: "K7QXM4PR9T",
    codeKind: "unique",
    title: "10% off",
    body: "Show this code at the till",
    triggerType: "entered",
    zoneId: "tz.test",
    grantedAt,
    expiresAtMs: grantedAt + 48 * 3_600_000,
    attributionWindowHours: 24,
    ...overrides,
  };
  await documentClient.send(
    new PutCommand({
      TableName: table,
      Item: {
        ...incentiveKeys.incentive(incentive.incentiveId),
        entity: "incentive",
        ...incentive,
      },
    }),
  );
  return incentive;
}

/**
 * Tables of this test file's own (same definitions, unique prefix) so the stream poller reads only
 * the incentives this file creates, never another file's outbox.
 */
export async function isolatedTables(): Promise<Record<string, string>> {
  const prefix = resourceName("ff-delivery").toLowerCase();
  return await ensureTables(dynamoClient, prefix);
}

/** Sets env vars for handlers loaded afterwards (they read config at load); returns the undo. */
export function overrideEnv(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** The incentive's delivery status in the outbox (consistent read). */
export async function incentiveStatus(incentiveId: string): Promise<unknown> {
  return (await storedItem("INCENTIVES_TABLE", incentiveKeys.incentive(incentiveId)))?.status;
}

const realSend = SNSClient.prototype.send as (command: PublishCommand) => Promise<unknown>;

/**
 * What an SNS client mock calls to let a publish through to fauxqs (the real `send`): faults
 * are injected into every SNS client of a test file, successful publishes still arrive.
 */
export const publishForReal = (input: PublishCommandInput, getClient: () => unknown) =>
  realSend.call(getClient() as SNSClient, new PublishCommand(input));

/** SNS refusing a publish for its rate (429): a transient fault, retried. */
export const throttled = () =>
  new ThrottledException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } });

/**
 * An SNS client mock's Publish: throws `fault()` for the message of the incentive that
 * `incentiveId()` names (none while it names none), lets every other publish through to fauxqs.
 */
export function failPublishOf(incentiveId: () => string | undefined, fault: () => Error) {
  return (input: PublishCommandInput, getClient: () => unknown) => {
    const id = incentiveId();
    if (id && input.Message?.includes(id)) throw fault();
    return publishForReal(input, getClient);
  };
}

/**
 * The incentive publisher on tables and a topic of this file's own (one queue per subscription,
 * see {@link createTopicWithQueues}), loaded after the environment points at them, as a Lambda
 * cold start would. `restoreEnv` undoes the environment.
 */
export async function isolatedPublisher(
  subscriptions: Record<string, Record<string, string[]> | undefined>,
  extraEnv: Record<string, string> = {},
): Promise<{
  queues: Record<string, string>;
  publish: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  restoreEnv: () => void;
}> {
  const { sns, sqs } = testClients();
  const tables = await isolatedTables();
  const topic = await createTopicWithQueues(sns, sqs, subscriptions);
  const restoreEnv = overrideEnv({ ...tables, INCENTIVE_TOPIC_ARN: topic.topicArn, ...extraEnv });
  const { handler } = await import("../../../functions/incentive-publisher.ts");
  return { queues: topic.queues, publish: (event) => handler(event, lambdaContext), restoreEnv };
}

/** The local event source mapping on the incentives table, polling every 50 ms. */
export async function pollIncentives(
  options: Omit<Parameters<typeof startStreamPoller>[0], "endpoint" | "region" | "tableName">,
): Promise<StreamPoller> {
  return await startStreamPoller({
    endpoint: env("AWS_ENDPOINT_URL_DYNAMODB"),
    region: env("AWS_REGION"),
    tableName: env("INCENTIVES_TABLE"),
    intervalMs: 50,
    ...options,
  });
}

/**
 * The incentive publisher of {@link isolatedPublisher} behind the local event source mapping, with
 * faults injectable into SNS: `snsMock` mocks every SNS client of the test file (the publisher's
 * module-scope one included; {@link publishForReal} lets a publish through to fauxqs). `poll`
 * starts the mapping; `observe` sees each invocation's event and the publisher's answer. `stop`
 * stops the mapping, then restores SNS and the environment.
 */
export async function publisherWithFaults(
  subscriptions: Record<string, Record<string, string[]> | undefined>,
  extraEnv: Record<string, string> = {},
) {
  const setUp = await isolatedPublisher(subscriptions, extraEnv);
  const snsMock = mockClient(SNSClient);
  let poller: StreamPoller | undefined;
  return {
    queues: setUp.queues,
    snsMock,
    async poll(
      options: Omit<Parameters<typeof pollIncentives>[0], "handler"> & {
        observe: (event: DynamoDBStreamEvent, response: DynamoDBBatchResponse) => void;
      },
    ): Promise<StreamPoller> {
      const { observe, ...mapping } = options;
      poller = await pollIncentives({
        ...mapping,
        handler: async (event: DynamoDBStreamEvent) => {
          const response = await setUp.publish(event);
          observe(event, response);
          return response;
        },
      });
      return poller;
    },
    async stop() {
      await poller?.stop();
      snsMock.restore();
      setUp.restoreEnv();
    },
  };
}
