import "../config/load-secrets.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import * as z from "zod";
import { documentClient } from "../adapters/aws-clients.ts";
import { type DecisionStore, dynamoDecisionStore } from "../adapters/dynamo/decision-store.ts";
import { dynamoDeviceStore } from "../adapters/dynamo/device-store.ts";
import { snsIncentiveChannels } from "../adapters/sns/incentive-channels.ts";
import { systemClock } from "../adapters/system.ts";
import { configVars, readConfig } from "../config/read-config.ts";
import { tableNames, tableVars } from "../config/table-vars.ts";
import type { DeliveryDeps } from "../use-cases/incentives/deliver.ts";
import { deviceRefFromEnv } from "./device-ref.ts";

export const deliveryConfigSchema = z.object({
  ...tableVars("devices", "incentives", "conversions"),
  INCENTIVE_TOPIC_ARN: configVars.topicArn,
  INCENTIVE_DLQ_URL: configVars.optionalString,
  PSEUDONYM_KEY: configVars.secret,
  DELIVERY_MAX_ATTEMPTS: configVars.integer(1, 10, 4),
  DELIVERY_BASE_DELAY_MS: configVars.integer(0, 5000, 200),
  CONVERSION_RETENTION_DAYS: configVars.retentionDays,
});

/**
 * Retry budgets of a publish, one owner each:
 * - `deliverIncentive` retries a transient SNS failure DELIVERY_MAX_ATTEMPTS times with
 *   exponential backoff and dead-letters permanent ones at once, so this client makes a single
 *   attempt (SDK retries underneath would multiply the budget);
 * - when those attempts are used up the record fails, and the stream's event source mapping
 *   (infra/function-specs.ts: retryAttempts, bisect) retries it as a whole, later, then sends it
 *   to the on-failure destination.
 */
const publishClient = new SNSClient({ maxAttempts: 1 });

// Queue URLs are used as given (the configured endpoint, not a host parsed from the URL).
const sqsClient = new SQSClient({ maxAttempts: 4, useQueueUrlAsEndpoint: false });

/** Delivery dependencies, built once per cold start of the publisher. */
export function deliveryDepsFromEnv(
  env: Record<string, string | undefined> = process.env,
): DeliveryDeps & { store: DecisionStore; retentionDays: number } {
  const config = readConfig(deliveryConfigSchema, env);
  const tables = tableNames(config);
  return {
    store: dynamoDecisionStore(documentClient, tables),
    devices: dynamoDeviceStore(documentClient, tables.devices),
    channels: snsIncentiveChannels(publishClient, sqsClient, {
      topicArn: config.INCENTIVE_TOPIC_ARN,
      dlqUrl: config.INCENTIVE_DLQ_URL,
    }),
    clock: systemClock,
    deviceRef: deviceRefFromEnv(env),
    sleep: (ms) => sleep(ms).then(() => undefined),
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    baseDelayMs: config.DELIVERY_BASE_DELAY_MS,
    retentionDays: config.CONVERSION_RETENTION_DAYS,
  };
}
