import middy from "@middy/core";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { logger } from "../shared/logger.ts";
import { deliverIncentive } from "../shared/use-cases/incentives/deliver.ts";
import { deliveryDepsFromEnv } from "../shared/wiring/delivery-deps.ts";

const deps = deliveryDepsFromEnv();

/**
 * DynamoDB stream consumer of the incentives table (the outbox): publishes each newly pending
 * incentive. Transient failures are reported per record so only those are retried; after the
 * event source's retries they land in its on-failure destination (a DLQ).
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  async (event) => {
    const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (
        record.eventName === "REMOVE" ||
        image?.entity?.S !== "incentive" ||
        image.status?.S !== "pending"
      )
        continue;
      const incentiveId = image.incentiveId?.S;
      if (!incentiveId) continue;
      try {
        const result = await deliverIncentive(deps, incentiveId);
        logger.info("incentive delivery", { incentiveId, result });
      } catch (error) {
        logger.warn("incentive delivery will be retried", {
          incentiveId,
          error: (error as Error).name,
        });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" });
      }
    }
    return { batchItemFailures };
  },
);
