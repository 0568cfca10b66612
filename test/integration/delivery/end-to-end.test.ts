import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamPoller } from "../../../scripts/local/stream-poller.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { incentiveKeys } from "../../../shared/domain/incentive.ts";
import { ingestPings } from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";
import { offset, registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { messageValidator } from "../../unit/delivery/message-schema.ts";
import {
  countByIncentive,
  isolatedPublisher,
  pollIncentives,
  type ReceivedMessage,
  receiveAll,
} from "./messaging.ts";

const { sqs } = testClients();
const validate = messageValidator();
const merchantA = uniqueId("mA");
const merchantB = uniqueId("mB");

let queues: Record<string, string>;
let poller: StreamPoller;
let restoreEnv: () => void;
let publisher: (
  event: DynamoDBStreamEvent,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const pollerErrors: unknown[] = [];

/** A midday instant in Paris so quiet hours never interfere. */
function parisNoon(): number {
  const d = new Date();
  d.setUTCHours(11, 0, 0, 0);
  return d.getTime() > Date.now() ? d.getTime() - 86_400_000 : d.getTime();
}

async function statusesOf(ids: string[]) {
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const res = await documentClient.send(
      new QueryCommand({
        TableName: env("INCENTIVES_TABLE"),
        KeyConditionExpression: "pk = :pk AND sk = :sk",
        ExpressionAttributeValues: { ":pk": incentiveKeys.incentive(id).pk, ":sk": "INCENTIVE" },
        ConsistentRead: true,
      }),
    );
    out[id] = res.Items?.[0]?.status;
  }
  return out;
}

beforeAll(async () => {
  const setUp = await isolatedPublisher({
    all: undefined,
    merchantA: { merchantId: [merchantA] },
  });
  queues = setUp.queues;
  restoreEnv = setUp.restoreEnv;
  publisher = setUp.publish;
  poller = await pollIncentives({
    handler: publisher,
    onError: (error) => pollerErrors.push(error),
  });
});

afterAll(async () => {
  await poller?.stop();
  restoreEnv?.();
});

describe("incentive delivery end to end: outbox stream → publisher → SNS topic → SQS (fauxqs, no mocks)", () => {
  const granted: { incentiveId: string; merchantId: string }[] = [];
  let all: ReceivedMessage[] = [];

  it("publishes every granted incentive exactly once, and the A-only subscription gets only A's", async () => {
    const now = parisNoon();
    const pingDeps = { ...pingDepsFromEnv(zoneEventSinkFromEnv()), clock: { now: () => now } };
    const a = await seedStoreAndOffer({ merchantId: merchantA });
    const b = await seedStoreAndOffer({ merchantId: merchantB });
    const plan = [...Array(6).fill(a), ...Array(4).fill(b)] as (typeof a)[];
    const devices = await Promise.all(plan.map(() => registeredDevice()));
    const results = await Promise.all(
      devices.map((device, i) =>
        ingestPings(pingDeps, device, [
          {
            ...offset(plan[i]?.location ?? a.location, 40 + i * 5, 0),
            accuracyM: 10,
            timestamp: now - 1000,
            speedMps: 1,
          },
        ]),
      ),
    );
    results.forEach((r, i) => {
      for (const inc of r.incentives as { incentiveId: string }[]) {
        granted.push({ incentiveId: inc.incentiveId, merchantId: plan[i]?.merchantId ?? "" });
      }
    });
    expect(granted).toHaveLength(10);

    await poller.drain();
    all = await receiveAll(sqs, queues.all ?? "");
    const counts = countByIncentive(all);
    expect(counts).toEqual(new Map(granted.map((g) => [g.incentiveId, 1])));

    const onlyA = countByIncentive(await receiveAll(sqs, queues.merchantA ?? ""));
    const grantedA = granted.filter((g) => g.merchantId === merchantA);
    expect(grantedA).toHaveLength(6);
    expect(onlyA).toEqual(new Map(grantedA.map((g) => [g.incentiveId, 1])));

    const statuses = await statusesOf(granted.map((g) => g.incentiveId));
    expect(Object.values(statuses)).toEqual(Array(10).fill("sent"));
    expect(pollerErrors).toEqual([]);
  });

  it("every published body validates against events/incentive-message.schema.json, and carries filterable attributes", () => {
    expect(all).toHaveLength(10);
    for (const m of all) {
      const body = JSON.parse(m.body);
      expect(validate(body)).toEqual({ ok: true, errors: [] });
      expect(m.attributes).toEqual({
        merchantId: body.merchantId,
        offerId: body.offerId,
        storeId: body.storeId,
        eventType: "incentive.sent",
        incentiveId: body.incentiveId,
      });
      // Pseudonymous device reference only: no raw device id leaves the service.
      expect(body.deviceRef).not.toMatch(/^dev_/);
    }
    const { redemption: _dropped, ...withoutRedemption } = JSON.parse(all[0]?.body ?? "{}");
    const missing = validate(withoutRedemption);
    expect(missing.ok).toBe(false);
    expect(missing.errors).toContainEqual(
      expect.objectContaining({ keyword: "required", params: { missingProperty: "redemption" } }),
    );
  });

  it("a redelivered stream record (the sample event shape) publishes nothing more", async () => {
    const sample = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, "../../../events/incentive-stream-event.json"),
        "utf8",
      ),
    ) as DynamoDBStreamEvent;
    const { incentiveId } = granted[0] ?? { incentiveId: "" };
    const record = structuredClone(sample.Records[0]);
    if (!record?.dynamodb?.NewImage) throw new Error("sample event has no NewImage");
    record.dynamodb.NewImage.incentiveId = { S: incentiveId };
    record.dynamodb.NewImage.pk = { S: incentiveKeys.incentive(incentiveId).pk };
    const result = await publisher({ Records: [record, record] });
    expect(result).toEqual({ batchItemFailures: [] });
    expect(await receiveAll(sqs, queues.all ?? "")).toEqual([]);
  });
});
