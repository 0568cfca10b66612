import {
  InternalErrorException,
  InvalidParameterException,
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoDecisionStore } from "../../../shared/adapters/dynamo/decision-store.ts";
import { dynamoDeviceStore } from "../../../shared/adapters/dynamo/device-store.ts";
import { snsIncentiveChannels } from "../../../shared/adapters/sns/incentive-channels.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { pseudonymize } from "../../../shared/privacy.ts";
import {
  type DeliveryDeps,
  deliverIncentive,
} from "../../../shared/use-cases/incentives/deliver.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { env, testClients } from "../../support/aws.ts";
import { offset, registeredDevice, seedStoreAndOffer, storedItem } from "../../support/fixtures.ts";
import {
  countByIncentive,
  createQueue,
  createTopicWithQueues,
  putPendingIncentive,
  receiveAll,
  throttled,
} from "./messaging.ts";

const { sns: realSns, sqs } = testClients();
/** The client the channels publish through: faults are injected here, successes reach fauxqs. */
const faultySns = new SNSClient({});
const snsMock = mockClient(faultySns);
const passthrough = (input: PublishCommandInput) => realSns.send(new PublishCommand(input));

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const throttling = () =>
  Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", ...meta(400) });
const internal = () => new InternalErrorException({ message: "Internal failure", ...meta(500) });

const NOW = Date.UTC(2026, 10, 24, 12);
let topic: { topicArn: string; queueUrl: string };
let dlqUrl: string;
let delays: number[];

function deps(): DeliveryDeps {
  return {
    store: dynamoDecisionStore(documentClient, {
      devices: env("DEVICES_TABLE"),
      incentives: env("INCENTIVES_TABLE"),
      conversions: env("CONVERSIONS_TABLE"),
    }),
    devices: dynamoDeviceStore(documentClient, env("DEVICES_TABLE")),
    channels: snsIncentiveChannels(faultySns, sqs, { topicArn: topic.topicArn, dlqUrl }),
    clock: { now: () => NOW },
    deviceRef: (deviceId, merchantId) => pseudonymize(env("PSEUDONYM_KEY"), deviceId, merchantId),
    sleep: async (ms) => {
      delays.push(ms);
    },
    maxAttempts: 4,
    baseDelayMs: 50,
  };
}

async function stored(incentiveId: string) {
  return await storedItem("INCENTIVES_TABLE", incentiveKeys.incentive(incentiveId));
}

const publishCalls = () => snsMock.commandCalls(PublishCommand).length;

/** A midday instant in Paris so quiet hours never interfere with the real sink. */
function parisNoon(): number {
  const d = new Date();
  d.setUTCHours(11, 0, 0, 0);
  return d.getTime() > Date.now() ? d.getTime() - 86_400_000 : d.getTime();
}

beforeEach(async () => {
  snsMock.reset();
  delays = [];
  const created = await createTopicWithQueues(realSns, sqs, { all: undefined });
  topic = { topicArn: created.topicArn, queueUrl: created.queues.all ?? "" };
  dlqUrl = (await createQueue(sqs, "incentive-dlq")).queueUrl;
});

afterAll(() => {
  snsMock.restore();
});

describe("delivery under SNS faults (DynamoDB Local + fauxqs, faults injected on the client)", () => {
  it("throttled twice then recovering: a granted incentive is delivered exactly once and marked sent", async () => {
    const { location } = await seedStoreAndOffer({});
    const now = parisNoon();
    const pingDeps = { ...pingDepsFromEnv(zoneEventSinkFromEnv()), clock: { now: () => now } };
    const result = await ingestPings(pingDeps, await registeredDevice(), [
      { ...offset(location, 60, 0), accuracyM: 10, timestamp: now - 1000, speedMps: 1 },
    ]);
    const granted = result.incentives as { incentiveId: string }[];
    expect(granted).toHaveLength(1);
    const incentiveId = granted[0]?.incentiveId ?? "";
    expect(await stored(incentiveId)).toMatchObject({ status: "pending" });

    snsMock
      .on(PublishCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(internal())
      .callsFake(passthrough);
    expect(await deliverIncentive(deps(), incentiveId)).toBe("sent");

    expect(publishCalls()).toBe(3);
    expect(delays).toEqual([50, 100]);
    expect(countByIncentive(await receiveAll(sqs, topic.queueUrl))).toEqual(
      new Map([[incentiveId, 1]]),
    );
    expect(await stored(incentiveId)).toMatchObject({ status: "sent", sentAt: NOW, attempts: 1 });
  });

  it("throttled on every attempt: throws for a stream retry, stays pending, and the retry delivers once", async () => {
    const incentive = await putPendingIncentive();
    snsMock
      .on(PublishCommand)
      .rejectsOnce(throttling())
      .rejectsOnce(throttled())
      .rejectsOnce(internal())
      .rejectsOnce(throttling())
      .callsFake(passthrough);

    await expect(deliverIncentive(deps(), incentive.incentiveId)).rejects.toMatchObject({
      name: "ThrottlingException",
    });
    expect(publishCalls()).toBe(4);
    expect(await stored(incentive.incentiveId)).toMatchObject({ status: "pending" });
    expect(await receiveAll(sqs, topic.queueUrl)).toEqual([]);

    expect(await deliverIncentive(deps(), incentive.incentiveId)).toBe("sent");
    expect(await deliverIncentive(deps(), incentive.incentiveId)).toBe("skipped");
    expect(publishCalls()).toBe(5);
    const received = await receiveAll(sqs, topic.queueUrl);
    expect(countByIncentive(received)).toEqual(new Map([[incentive.incentiveId, 1]]));
    expect(received[0]?.attributes).toEqual({
      merchantId: incentive.merchantId,
      offerId: incentive.offerId,
      storeId: incentive.storeId,
      eventType: "incentive.sent",
      incentiveId: incentive.incentiveId,
    });
    expect(await stored(incentive.incentiveId)).toMatchObject({ status: "sent" });
  });

  it("a permanent failure is marked failed and parked once on the dead-letter queue", async () => {
    const incentive = await putPendingIncentive();
    snsMock
      .on(PublishCommand)
      .rejects(
        new InvalidParameterException({ message: "Invalid parameter: TopicArn", ...meta(400) }),
      );

    expect(await deliverIncentive(deps(), incentive.incentiveId)).toBe("failed");
    expect(publishCalls()).toBe(1);
    expect(delays).toEqual([]);
    expect(await stored(incentive.incentiveId)).toMatchObject({
      status: "failed",
      lastError: "InvalidParameterException",
    });
    // A redelivered record neither republishes nor dead-letters again.
    expect(await deliverIncentive(deps(), incentive.incentiveId)).toBe("skipped");
    expect(publishCalls()).toBe(1);

    const parked = await receiveAll(sqs, dlqUrl);
    expect(parked).toHaveLength(1);
    expect(JSON.parse(parked[0]?.body ?? "{}")).toMatchObject({
      incentiveId: incentive.incentiveId,
      merchantId: incentive.merchantId,
      offerId: incentive.offerId,
      reason: "InvalidParameterException",
      at: NOW,
    });
    expect(await receiveAll(sqs, topic.queueUrl)).toEqual([]);
  });

  it("a redelivered stream record after success does not publish again", async () => {
    const incentive = await putPendingIncentive();
    snsMock.on(PublishCommand).callsFake(passthrough);
    expect(await deliverIncentive(deps(), incentive.incentiveId)).toBe("sent");
    const redelivered = await Promise.all([
      deliverIncentive(deps(), incentive.incentiveId),
      deliverIncentive(deps(), incentive.incentiveId),
    ]);
    expect(redelivered).toEqual(["skipped", "skipped"]);
    expect(publishCalls()).toBe(1);
    expect(countByIncentive(await receiveAll(sqs, topic.queueUrl))).toEqual(
      new Map([[incentive.incentiveId, 1]]),
    );
  });

  it("many incentives with intermittent throttling: each lands on the queue exactly once", async () => {
    const incentives = await Promise.all(Array.from({ length: 20 }, () => putPendingIncentive()));
    let n = 0;
    // Every third publish is throttled; the stream retries whatever still throws.
    snsMock.on(PublishCommand).callsFake((input: PublishCommandInput) => {
      n += 1;
      if (n % 3 === 0) throw throttled();
      return passthrough(input);
    });
    const pendingIds = new Set(incentives.map((i) => i.incentiveId));
    for (let round = 0; round < 5 && pendingIds.size > 0; round++) {
      for (const id of [...pendingIds]) {
        const result = await deliverIncentive({ ...deps(), maxAttempts: 1 }, id).catch(
          () => "retry",
        );
        if (result !== "retry") pendingIds.delete(id);
      }
    }
    expect(pendingIds.size).toBe(0);
    const counts = countByIncentive(await receiveAll(sqs, topic.queueUrl));
    expect(counts.size).toBe(20);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(n).toBeGreaterThan(20);
  });
});
