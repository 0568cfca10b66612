/**
 * A poison record in the incentive outbox, through the publisher's batch processor and the local
 * event source mapping (the deployed one: filters, batch size, retries, bisection): the record is
 * reported in `batchItemFailures`, retried from it on (never the records before it), finally
 * handed to the on-failure destination, and every other incentive is published exactly once.
 * Runs on DynamoDB Local (its stream) and fauxqs, against tables of its own.
 */
import { PublishCommand } from "@aws-sdk/client-sns";
import type { DynamoDBBatchResponse } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OnFailureRecord } from "../../../scripts/local/stream-poller.ts";
import type { Incentive } from "../../../shared/domain/incentive.ts";
import { testClients } from "../../support/aws.ts";
import {
  countByIncentive,
  failPublishOf,
  incentiveStatus,
  publisherMapping,
  publisherWithFaults,
  putPendingIncentive,
  receiveAll,
  throttled,
} from "./messaging.ts";

const mapping = publisherMapping();

const { sqs } = testClients();
let publisher: Awaited<ReturnType<typeof publisherWithFaults>> | undefined;
let queueUrl: string;
/** Each handler invocation: the incentives and sequence numbers handed over, and the answer. */
const invocations: { ids: string[]; sequenceNumbers: string[]; response: DynamoDBBatchResponse }[] =
  [];
const discarded: OnFailureRecord[] = [];
const incentives: Incentive[] = [];
let poison: Incentive;

beforeAll(async () => {
  publisher = await publisherWithFaults(
    { all: undefined },
    { DELIVERY_MAX_ATTEMPTS: "2", DELIVERY_BASE_DELAY_MS: "1" },
  );
  queueUrl = publisher.queues.all ?? "";
  // SNS keeps throttling the poison incentive's publish; every other one goes through to fauxqs.
  publisher.snsMock
    .on(PublishCommand)
    .callsFake(failPublishOf(() => poison?.incentiveId, throttled));
  // Written before the poller starts, so the first batch holds all five, in write order.
  for (let i = 0; i < 5; i++) {
    const incentive = await putPendingIncentive();
    incentives.push(incentive);
    if (i === 2) poison = incentive;
  }
  const poller = await publisher.poll({
    mapping,
    observe: (event, response) => {
      invocations.push({
        ids: event.Records.map((r) => r.dynamodb?.NewImage?.incentiveId?.S ?? ""),
        sequenceNumbers: event.Records.map((r) => r.dynamodb?.SequenceNumber ?? ""),
        response,
      });
    },
    onFailure: async (failure) => {
      discarded.push(failure);
    },
  });
  await poller.drain();
});

afterAll(async () => {
  await publisher?.stop();
});

describe("incentive publisher: one poison record in a batch", () => {
  it("reports the poison record alone in batchItemFailures; the others are published once", async () => {
    const first = invocations[0];
    if (!first) throw new Error("the publisher was never invoked");
    expect(first.ids).toEqual(incentives.map((i) => i.incentiveId));
    const poisonSeq = first.sequenceNumbers[2];
    expect(first.response.batchItemFailures).toEqual([{ itemIdentifier: poisonSeq }]);

    // Every later invocation starts at the poison record or after it: the records before it
    // are never handed over again.
    for (const later of invocations.slice(1)) {
      expect(later.ids).not.toContain(incentives[0]?.incentiveId);
      expect(later.ids).not.toContain(incentives[1]?.incentiveId);
    }
    expect(invocations.length).toBeGreaterThan(1);

    const published = countByIncentive(await receiveAll(sqs, queueUrl));
    const healthy = incentives.filter((i) => i !== poison);
    expect(published).toEqual(new Map(healthy.map((i) => [i.incentiveId, 1])));
    for (const i of healthy) expect(await incentiveStatus(i.incentiveId)).toBe("sent");
    expect(await incentiveStatus(poison.incentiveId)).toBe("pending");
    // Every retry starts at the poison record: it is the first record of each later invocation
    // that holds it.
    for (const later of invocations.slice(1)) {
      if (later.ids.includes(poison.incentiveId)) expect(later.sequenceNumbers[0]).toBe(poisonSeq);
    }

    // After the mapping's retries (bisected down to the poison record), the on-failure
    // destination names exactly that record.
    expect(discarded).toHaveLength(1);
    expect(discarded[0]?.DDBStreamBatchInfo).toMatchObject({
      startSequenceNumber: poisonSeq,
      endSequenceNumber: poisonSeq,
      batchSize: 1,
    });
    expect(discarded[0]?.responseContext.functionError).toBe("BatchItemFailures");
  });
});
