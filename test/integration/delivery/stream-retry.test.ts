import { PublishCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamPoller } from "../../../scripts/local/stream-poller.ts";
import { testClients } from "../../support/aws.ts";
import {
  countByIncentive,
  createQueue,
  failPublishOf,
  incentiveStatus,
  publisherWithFaults,
  publishForReal,
  putPendingIncentive,
  receiveAll,
  throttled,
} from "./messaging.ts";

const { sqs } = testClients();
// Faults go into every SNS client of this file (the publisher's module-scope one included);
// successful publishes still reach fauxqs through the real implementation.
let publisher: Awaited<ReturnType<typeof publisherWithFaults>> | undefined;
let snsMock: NonNullable<typeof publisher>["snsMock"];
let queueUrl: string;
let dlqUrl: string;
let poller: StreamPoller;
const failuresReported: number[] = [];

const passthrough = publishForReal;

beforeAll(async () => {
  dlqUrl = (await createQueue(sqs, "publisher-dlq")).queueUrl;
  publisher = await publisherWithFaults(
    { all: undefined },
    { INCENTIVE_DLQ_URL: dlqUrl, DELIVERY_MAX_ATTEMPTS: "2", DELIVERY_BASE_DELAY_MS: "1" },
  );
  queueUrl = publisher.queues.all ?? "";
  snsMock = publisher.snsMock;
  poller = await publisher.poll({
    observe: (_event, result) => failuresReported.push(result.batchItemFailures.length),
  });
});

afterAll(async () => {
  await publisher?.stop();
});

describe("publisher behind the stream poller: failed records are retried by the event source", () => {
  it("throttling beyond the in-invocation attempts is retried from the stream; each incentive lands once", async () => {
    snsMock.reset();
    snsMock
      .on(PublishCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .callsFake(passthrough);
    const incentives = [];
    for (let i = 0; i < 3; i++) incentives.push(await putPendingIncentive());
    await poller.drain();

    const counts = countByIncentive(await receiveAll(sqs, queueUrl));
    expect(counts).toEqual(new Map(incentives.map((inc) => [inc.incentiveId, 1])));
    // 5 throttled attempts + exactly one successful publish per incentive: no duplicate publish.
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(8);
    expect(failuresReported.some((n) => n > 0)).toBe(true);
    for (const inc of incentives) expect(await incentiveStatus(inc.incentiveId)).toBe("sent");
  });

  it("a permanent failure is dead-lettered by the publisher and not retried", async () => {
    snsMock.reset();
    const bad = await putPendingIncentive({ title: "rejected by SNS" });
    const good = await putPendingIncentive();
    const invalid = () =>
      Object.assign(new Error("Invalid parameter: Message"), {
        name: "InvalidParameterException",
        $metadata: { httpStatusCode: 400 },
      });
    snsMock.on(PublishCommand).callsFake(failPublishOf(() => bad.incentiveId, invalid));
    await poller.drain();
    expect(countByIncentive(await receiveAll(sqs, queueUrl))).toEqual(
      new Map([[good.incentiveId, 1]]),
    );
    const parked = await receiveAll(sqs, dlqUrl);
    expect(parked.map((m) => JSON.parse(m.body).incentiveId)).toEqual([bad.incentiveId]);
    expect(await incentiveStatus(bad.incentiveId)).toBe("failed");
    expect(await incentiveStatus(good.incentiveId)).toBe("sent");
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(2);
  });
});
