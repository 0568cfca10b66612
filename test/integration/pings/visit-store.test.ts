import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import {
  DeviceErased,
  dynamoVisitStore,
  VisitStateConflict,
} from "../../../shared/adapters/dynamo/visit-store.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { emptyVisitState } from "../../../shared/domain/visit/index.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { putBareProfile } from "../../support/fixtures.ts";

const store = () => dynamoVisitStore(documentClient, env("DEVICES_TABLE"));

describe("visit store (DynamoDB Local)", () => {
  it("saves under an optimistic lock: a stale version is a conflict, nothing is overwritten", async () => {
    const visits = store();
    const deviceId = uniqueId("dev");
    await putBareProfile(deviceId);
    expect(await visits.load(deviceId)).toEqual({ state: undefined, pending: [], version: 0 });
    const first = { ...emptyVisitState(), lastProcessedTs: 1_000 };
    expect(await visits.save(deviceId, { state: first, pending: [] }, 0, 99)).toBe(1);
    const rival = { ...emptyVisitState(), lastProcessedTs: 2_000 };
    await expect(
      visits.save(deviceId, { state: rival, pending: [] }, 0, 99),
    ).rejects.toBeInstanceOf(VisitStateConflict);
    expect(await visits.load(deviceId)).toEqual({ state: first, pending: [], version: 1 });
    expect(await visits.save(deviceId, { state: rival, pending: [] }, 1, 99)).toBe(2);
    expect((await visits.load(deviceId)).state).toEqual(rival);
  });

  it("creates nothing for a device without a profile or under erasure (a cached token)", async () => {
    const visits = store();
    const state = { ...emptyVisitState(), lastProcessedTs: 1_000 };
    const gone = uniqueId("dev");
    await expect(visits.save(gone, { state, pending: [] }, 0, 99)).rejects.toBeInstanceOf(
      DeviceErased,
    );
    const erasing = uniqueId("dev");
    await documentClient.send(
      new PutCommand({
        TableName: env("DEVICES_TABLE"),
        Item: { ...deviceKeys.profile(erasing), entity: "device", erasingAt: 1 },
      }),
    );
    await expect(visits.save(erasing, { state, pending: [] }, 0, 99)).rejects.toBeInstanceOf(
      DeviceErased,
    );
    expect(await visits.load(gone)).toEqual({ state: undefined, pending: [], version: 0 });
    expect((await visits.load(erasing)).version).toBe(0);
  });
});
