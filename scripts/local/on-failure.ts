import { CreateQueueCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { OnFailureRecord } from "./stream-poller.ts";

/** The local name of a stream-triggered function's dead-letter queue (fauxqs). */
export function localDeadLetterQueueName(fn: string): string {
  return `footfall-local-${fn}-dlq`;
}

/**
 * Creates (idempotently) the dead-letter queue of a stream-triggered function on the local SQS
 * engine and returns its URL: the local counterpart of the DLQ the CDK app gives every function
 * with a trigger.
 */
export async function ensureDeadLetterQueue(
  sqs: Pick<SQSClient, "send">,
  fn: string,
): Promise<string> {
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: localDeadLetterQueueName(fn) }),
  );
  if (!QueueUrl) throw new Error(`the local SQS engine returned no URL for ${fn}'s DLQ`);
  return QueueUrl;
}

/**
 * A stream poller's on-failure destination that behaves like Lambda's: the record describing a
 * batch that used up its retries (shard and sequence range, not the data) is sent as the body of
 * one SQS message to the function's dead-letter queue.
 */
export function sqsOnFailureDestination(
  sqs: Pick<SQSClient, "send">,
  queueUrl: string,
): (failure: OnFailureRecord) => Promise<void> {
  return async (failure) => {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(failure) }),
    );
  };
}
