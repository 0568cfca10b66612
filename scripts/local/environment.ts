import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { ensureTables } from "./create-tables.ts";
import { type Engines, startEngines } from "./engines.ts";

export const INCENTIVE_TOPIC_NAME = "footfall-incentives";
export const INCENTIVE_QUEUE_NAME = "footfall-incentives-local";

export interface LocalStack {
  engines: Engines;
  /** Everything a handler needs in `process.env` to run against the local engines. */
  env: Record<string, string>;
  incentiveQueueUrl: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  /** Directory for persisted DynamoDB data and local secrets; omit for in-memory and fresh secrets. */
  dataDir?: string;
  tablePrefix?: string;
  log?: (line: string) => void;
}

interface LocalSecrets {
  deviceTokenSecrets: string;
  pseudonymKey: string;
  cursorSecret: string;
}

function loadSecrets(dataDir: string | undefined): LocalSecrets {
  const fresh = (): LocalSecrets => ({
    deviceTokenSecrets: randomBytes(32).toString("base64url"),
    pseudonymKey: randomBytes(32).toString("base64url"),
    cursorSecret: randomBytes(32).toString("base64url"),
  });
  if (!dataDir) return fresh();
  const path = join(dataDir, "secrets.json");
  if (existsSync(path))
    return { ...fresh(), ...(JSON.parse(readFileSync(path, "utf8")) as LocalSecrets) };
  const secrets = fresh();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** Creates the incentive topic and a subscribed queue that shows what subscribers receive. */
async function ensureMessaging(engines: Engines) {
  const clientConfig = {
    region: engines.env.AWS_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  };
  const sns = new SNSClient({ ...clientConfig, endpoint: engines.snsEndpoint });
  const sqs = new SQSClient({
    ...clientConfig,
    endpoint: engines.snsEndpoint,
    useQueueUrlAsEndpoint: false,
  });
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: INCENTIVE_TOPIC_NAME }));
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: INCENTIVE_QUEUE_NAME }),
    );
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: "sqs",
        Endpoint: attrs.Attributes?.QueueArn,
        Attributes: { RawMessageDelivery: "true" },
      }),
    );
    if (!TopicArn || !QueueUrl) throw new Error("fauxqs returned no topic or queue");
    return { topicArn: TopicArn, queueUrl: QueueUrl };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}

/**
 * Starts the embedded engines and provisions tables, topic and queue from the shared definitions;
 * returns the env that makes handlers talk to them. Used by `npm start`, `npm run invoke` and tests.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const engines = await startEngines({
    ...(options.dataDir ? { dynamoDbPath: join(options.dataDir, "dynamodb") } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    const dynamo = new DynamoDBClient({
      endpoint: engines.dynamoEndpoint,
      region: engines.env.AWS_REGION,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const tableEnv = await ensureTables(dynamo, options.tablePrefix ?? "footfall-local");
    dynamo.destroy();
    const messaging = await ensureMessaging(engines);
    const secrets = loadSecrets(options.dataDir);
    const env: Record<string, string> = {
      ...engines.env,
      ...tableEnv,
      INCENTIVE_TOPIC_ARN: messaging.topicArn,
      DEVICE_TOKEN_SECRETS: secrets.deviceTokenSecrets,
      PSEUDONYM_KEY: secrets.pseudonymKey,
      CURSOR_SECRET: secrets.cursorSecret,
      FOOTFALL_STAGE: "local",
      POWERTOOLS_METRICS_DISABLED: "true",
      // Every simulated phone (npm run simulate, the tests, the bench) shares 127.0.0.1 here, so
      // the per-address registration limit is raised; export REGISTRATION_LIMIT_PER_ADDRESS=20 to
      // run with the deployed default.
      REGISTRATION_LIMIT_PER_ADDRESS: process.env.REGISTRATION_LIMIT_PER_ADDRESS ?? "100000",
    };
    return {
      engines,
      env,
      incentiveQueueUrl: messaging.queueUrl,
      stop: () => engines.stop(),
    };
  } catch (error) {
    await engines.stop();
    throw error;
  }
}
