import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { storedOf } from "../shared/adapters/dynamo/pickup-store.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { countOutcome } from "../shared/metrics.ts";
import { publishPickupOutbox } from "../shared/use-cases/pickups/pickups.ts";
import { pickupPublishDepsFromEnv } from "../shared/wiring/pickup-publisher-deps.ts";

const deps = pickupPublishDepsFromEnv(process.env, (outcome, n) => countOutcome(outcome, n ?? 1));

/**
 * DynamoDB stream consumer of the incentives table for pickup orders: every saved pickup with
 * an outbox (filter: `entity` = pickup, `outboxPending`) has its `pickup.*` events published on
 * the incentive topic, `ready` also pushed to the shopper, an arrival handed to the cross-sell
 * decision (offers firing on pickup arrival), then the outbox cleared. Failures are
 * reported per record and retried by the event source mapping, then sent to its DLQ.
 */
export const handler = lambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  async (event) => {
    const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName === "REMOVE" || image?.entity?.S !== "pickup") continue;
      try {
        const { pickup } = storedOf(unmarshall(image as Record<string, AttributeValue>));
        const published = await publishPickupOutbox(deps, pickup.merchantId, pickup.pickupId);
        logger.info("pickup events published", { published });
      } catch (error) {
        logger.warn("stream record will be retried", { error: (error as Error).name });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" });
      }
    }
    return { batchItemFailures };
  },
);
