import { CreateTopicCommand, PublishCommand, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { dynamoDeviceStore } from "../../../shared/adapters/dynamo/device-store.ts";
import type { Device } from "../../../shared/domain/device.ts";
import { ConflictError } from "../../../shared/errors.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";

const clients = testClients();

function device(id: string): Device {
  return {
    deviceId: id,
    appId: "app_1",
    platform: "android",
    consent: { location: true, marketing: false },
    segments: ["vip"],
    version: 1,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

describe("DynamoDB Local", () => {
  const store = dynamoDeviceStore(clients.doc, env("DEVICES_TABLE"));

  it("writes, reads, guards versions and erases a device partition", async () => {
    const id = uniqueId("dev");
    await store.create(device(id));
    await expect(store.create(device(id))).rejects.toBeInstanceOf(ConflictError);
    expect(await store.get(id)).toMatchObject({ deviceId: id, segments: ["vip"], version: 1 });

    await store.replace({ ...device(id), version: 2, segments: [] }, 1);
    await expect(store.replace({ ...device(id), version: 2 }, 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await store.get(id))?.segments).toEqual([]);

    await clients.doc.send(
      new UpdateCommand({
        TableName: env("DEVICES_TABLE"),
        Key: { pk: `DEVICE#${id}`, sk: "PROFILE" },
        // Pickup references (the pickup use cases' own attribute) and the retired open-visit count.
        UpdateExpression: "SET pickupRefs = :refs, openZones = :n, openZonesAsOf = :t",
        ExpressionAttributeValues: { ":refs": new Set(["m1|p1"]), ":n": 2, ":t": 1_000 },
      }),
    );
    // A stale read of the profile (it still holds the retired count) written back.
    const stale = (await store.get(id)) as Device;
    await store.replace({ ...stale, version: 3, locale: "fr-FR" }, 2);
    const replaced = await store.get(id);
    expect(replaced).toMatchObject({ pickupRefs: new Set(["m1|p1"]), locale: "fr-FR", version: 3 });
    expect(replaced).not.toHaveProperty("openZones");
    expect(replaced).not.toHaveProperty("openZonesAsOf");
    await store.replace({ ...device(id), version: 4 }, 3);
    expect((await store.get(id))?.locale).toBeUndefined();

    expect(await store.erase(id)).toBe(1);
    expect(await store.get(id)).toBeUndefined();
  });
});

describe("fauxqs", () => {
  it("delivers an SNS publish to a subscribed SQS queue", async () => {
    const name = uniqueId("t");
    const { TopicArn } = await clients.sns.send(new CreateTopicCommand({ Name: name }));
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    await clients.sns.send(
      new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: Attributes?.QueueArn }),
    );
    await clients.sns.send(
      new PublishCommand({ TopicArn, Message: JSON.stringify({ hello: name }) }),
    );
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
    );
    const bodies = (received.Messages ?? []).map((m) =>
      JSON.parse(JSON.parse(m.Body ?? "{}").Message),
    );
    expect(bodies).toEqual([{ hello: name }]);
  });
});
