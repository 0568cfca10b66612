import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { deliverIncentive } from "../shared/use-cases/incentives/deliver.ts";
import { type ExpiredCode, recordCodeExpiry } from "../shared/use-cases/incentives/expire.ts";
import { deliveryDepsFromEnv } from "../shared/wiring/delivery-deps.ts";

const deps = deliveryDepsFromEnv();

/** A code item removed by DynamoDB TTL (not by a person or the application). */
function isTtlRemovalOfCode(record: DynamoDBRecord): boolean {
  const identity = (record as { userIdentity?: { type?: string; principalId?: string } })
    .userIdentity;
  return (
    record.eventName === "REMOVE" &&
    record.dynamodb?.OldImage?.entity?.S === "code" &&
    identity?.type === "Service" &&
    identity.principalId === "dynamodb.amazonaws.com"
  );
}

/**
 * DynamoDB stream consumer of the incentives table (the outbox): publishes each newly pending
 * incentive, and logs `expired` for codes TTL removed unredeemed. Transient failures are reported
 * per record so only those are retried; after the event source's retries they land in its
 * on-failure destination (a DLQ).
 */
export const handler = lambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  async (event) => {
    const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        if (isTtlRemovalOfCode(record)) {
          const code = unmarshall(
            record.dynamodb?.OldImage as Record<string, AttributeValue>,
          ) as ExpiredCode;
          await recordCodeExpiry({ store: deps.store, retentionDays: deps.retentionDays }, code);
          continue;
        }
        const image = record.dynamodb?.NewImage;
        if (
          record.eventName === "REMOVE" ||
          image?.entity?.S !== "incentive" ||
          image.status?.S !== "pending"
        )
          continue;
        const incentiveId = image.incentiveId?.S;
        if (!incentiveId) continue;
        const result = await deliverIncentive(deps, incentiveId);
        logger.info("incentive delivery", { incentiveId, result });
      } catch (error) {
        logger.warn("stream record will be retried", { error: (error as Error).name });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" });
      }
    }
    return { batchItemFailures };
  },
);
