import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { incentiveStreamChange } from "../shared/adapters/dynamo/incentive-stream.ts";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { deliverIncentive } from "../shared/use-cases/incentives/deliver.ts";
import { recordCodeExpiry } from "../shared/use-cases/incentives/expire.ts";
import { deliveryDepsFromEnv } from "../shared/wiring/delivery-deps.ts";

const deps = deliveryDepsFromEnv();

/**
 * One record, in shard order (records of one item must not overtake each other). A throw marks
 * the record failed: the event source retries the batch from it (ReportBatchItemFailures).
 */
async function publishRecord(record: DynamoDBRecord): Promise<void> {
  const change = incentiveStreamChange(record);
  try {
    if (change.kind === "codeExpired") {
      await recordCodeExpiry({ store: deps.store, retentionDays: deps.retentionDays }, change.code);
    } else if (change.kind === "pending") {
      const result = await deliverIncentive(deps, change.incentiveId);
      logger.info("incentive delivery", { incentiveId: change.incentiveId, result });
    }
  } catch (error) {
    logger.warn("stream record will be retried", {
      error: (error as Error).name,
      sequenceNumber: record.dynamodb?.SequenceNumber,
    });
    throw error;
  }
}

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * DynamoDB stream consumer of the incentives table (the outbox), through the Powertools batch
 * processor: publishes each newly pending incentive, and logs `expired` for codes TTL removed
 * unredeemed. Records are processed one after another; each failed one is reported in
 * `batchItemFailures` (its sequence number), so the event source retries from the first failure
 * only; after its retries they land in its on-failure destination (a DLQ). A batch that fails
 * entirely is reported the same way rather than thrown.
 */
export const handler = lambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  (event, context) =>
    processPartialResponse(event, publishRecord, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    }),
);
