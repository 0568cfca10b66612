import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { lambdaHandler } from "../shared/lambda-handler.ts";
import { logger } from "../shared/logger.ts";
import { runImportJob } from "../shared/use-cases/store-import.ts";
import { importDepsFromEnv } from "../shared/wiring/catalog-deps.ts";

const deps = importDepsFromEnv();

/**
 * Catalog table stream (filtered to queued import jobs; re-checked here, as the local runner
 * delivers every record): runs each job until it is done or the invocation nears its timeout.
 * A failed run is reported for retry; its lease owner is the record's event id, so the retry
 * takes the job over at once, and any other invocation leaves it alone.
 */
export const handler = lambdaHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>().handler(
  async (event, context) => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (image?.entity?.S !== "importJob" || image.status?.S !== "queued") continue;
      const merchantId = image.merchantId?.S;
      const jobId = image.jobId?.S;
      if (!merchantId || !jobId) continue;
      try {
        // Lambda's 15 minutes when the caller (the local runner) gives no deadline.
        const deadline = Date.now() + (context?.getRemainingTimeInMillis?.() ?? 900_000);
        const outcome = await runImportJob(
          deps,
          merchantId,
          jobId,
          record.eventID ?? jobId,
          deadline,
        );
        logger.info("import run", { jobId, outcome });
      } catch (error) {
        logger.error("import run failed", { jobId, error: error as Error });
        failures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" });
      }
    }
    return { batchItemFailures: failures };
  },
);
