/**
 * The outbox clear carried by the decision step's last transaction (grant or visit), on
 * DynamoDB Local: applied when the visit item is still at the version the batch saved, dropped
 * (the decision committed all the same) when a later save moved it, so a later batch's outbox is
 * never lost.
 */
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import {
  dynamoDecisionStore,
  type GrantPlan,
} from "../../../shared/adapters/dynamo/decision-store.ts";
import { dynamoVisitStore } from "../../../shared/adapters/dynamo/visit-store.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { emptyVisitState } from "../../../shared/domain/visit/index.ts";
import type { ZoneEvent } from "../../../shared/domain/visit/types.ts";
import type { OutboxClear } from "../../../shared/use-cases/ports/visit-store.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { putBareProfile } from "../../support/fixtures.ts";

const tables = () => ({
  devices: env("DEVICES_TABLE"),
  incentives: env("INCENTIVES_TABLE"),
  conversions: env("CONVERSIONS_TABLE"),
});
const visitStore = () => dynamoVisitStore(documentClient, env("DEVICES_TABLE"));
const decisions = () => dynamoDecisionStore(documentClient, tables());

function event(deviceId: string, at: number): ZoneEvent {
  return {
    type: "entered",
    kind: "trigger",
    zoneId: `tz.of-${deviceId}.st-${deviceId}`,
    merchantId: "m-outbox",
    storeId: `st-${deviceId}`,
    offerId: `of-${deviceId}`,
    at,
    enteredAt: at,
    driving: false,
  };
}

/** A device whose visit item holds `pending` events at version 1 (due for the sweeper). */
async function deviceWithOutbox(pending: ZoneEvent[]) {
  const deviceId = uniqueId("dev");
  await putBareProfile(deviceId);
  const state = { ...emptyVisitState(), lastProcessedTs: 1_000 };
  const version = await visitStore().save(deviceId, { state, pending }, 0, 4_000_000_000, 5_000);
  return { deviceId, state, version };
}

async function visitItem(deviceId: string) {
  const out = await documentClient.send(
    new GetCommand({
      TableName: env("DEVICES_TABLE"),
      Key: deviceKeys.visits(deviceId),
      ConsistentRead: true,
    }),
  );
  return out.Item ?? {};
}

/** A suppression with no choice: the profile check, one claim, one log record. */
function suppression(deviceId: string, eventKey: string, outboxClear: OutboxClear): GrantPlan {
  return {
    deviceId,
    eventKeys: [eventKey],
    claimExpiresAt: 4_000_000_000,
    now: 1_000,
    records: [],
    counters: [],
    recordExpiresAt: 4_000_000_000,
    outboxClear,
  };
}

async function claim(deviceId: string, eventKey: string) {
  const out = await documentClient.send(
    new GetCommand({
      TableName: env("DEVICES_TABLE"),
      Key: { pk: deviceKeys.partition(deviceId), sk: `CLAIM#${eventKey}` },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

describe("the outbox clear in the decision's own transaction (DynamoDB Local)", () => {
  it("a grant clears the outbox saved at its version: pending emptied, version + 1, due as asked", async () => {
    const { deviceId, version } = await deviceWithOutbox([event("a", 1_000)]);
    expect(await visitItem(deviceId)).toMatchObject({ version: 1, dueAt: 5_000 });
    const clear = { deviceId, savedVersion: version, expiresAt: 4_000_000_001 };
    expect(await decisions().grant(suppression(deviceId, "ev-1", clear))).toEqual({
      kind: "committed",
    });
    expect(await claim(deviceId, "ev-1")).toMatchObject({ outcome: "suppressed" });
    const item = await visitItem(deviceId);
    expect(item).toMatchObject({ version: 2, pending: [], expiresAt: 4_000_000_001 });
    // Nothing pending and no open visit: out of the sparse due index.
    expect(item).not.toHaveProperty("dueAt");
    expect(item).not.toHaveProperty("dueShard");

    // A clear that leaves the item due (open visits) keeps it in the index at the new time.
    const open = await deviceWithOutbox([event("b", 1_000)]);
    await decisions().grant(
      suppression(open.deviceId, "ev-2", {
        deviceId: open.deviceId,
        savedVersion: open.version,
        expiresAt: 4_000_000_000,
        dueAt: 9_000,
      }),
    );
    expect(await visitItem(open.deviceId)).toMatchObject({
      version: 2,
      pending: [],
      dueAt: 9_000,
      dueShard: deviceKeys.dueShard(open.deviceId),
    });
  });

  it("a clear whose item a later batch saved is dropped: the grant commits, the later outbox stays", async () => {
    const first = event("c", 1_000);
    const { deviceId, state, version } = await deviceWithOutbox([first]);
    // A later batch saved meanwhile, carrying the first outbox on with its own event.
    const later = [first, event("d", 2_000)];
    await visitStore().save(deviceId, { state, pending: later }, version, 4_000_000_000, 6_000);
    const clear = { deviceId, savedVersion: version, expiresAt: 4_000_000_000 };
    expect(await decisions().grant(suppression(deviceId, "ev-3", clear))).toEqual({
      kind: "committed",
    });
    expect(await claim(deviceId, "ev-3")).toBeDefined();
    expect(await visitItem(deviceId)).toMatchObject({ version: 2, pending: later, dueAt: 6_000 });
  });

  it("a visit carries the clear the same way: applied at its version, dropped after a later save", async () => {
    const store = decisions();
    const visit = (deviceId: string, eventKey: string, outboxClear: OutboxClear) =>
      store.recordVisit({
        deviceId,
        eventKey,
        claimExpiresAt: 4_000_000_000,
        now: 1_000,
        records: [],
        counters: [],
        attributed: [],
        recordExpiresAt: 4_000_000_000,
        outboxClear,
      });
    const cleared = await deviceWithOutbox([event("e", 1_000)]);
    expect(
      await visit(cleared.deviceId, "visit-1", {
        deviceId: cleared.deviceId,
        savedVersion: cleared.version,
        expiresAt: 4_000_000_000,
      }),
    ).toBe("committed");
    expect(await visitItem(cleared.deviceId)).toMatchObject({ version: 2, pending: [] });

    const moved = await deviceWithOutbox([event("f", 1_000)]);
    const later = [event("f", 1_000), event("g", 2_000)];
    await visitStore().save(moved.deviceId, { state: moved.state, pending: later }, 1, 4e9, 6_000);
    expect(
      await visit(moved.deviceId, "visit-2", {
        deviceId: moved.deviceId,
        savedVersion: moved.version,
        expiresAt: 4_000_000_000,
      }),
    ).toBe("committed");
    expect(await claim(moved.deviceId, "visit-2")).toMatchObject({ outcome: "visit" });
    expect(await visitItem(moved.deviceId)).toMatchObject({ version: 2, pending: later });
    // A replay finds the claim: nothing is written, the outbox is left for its own batch.
    expect(
      await visit(moved.deviceId, "visit-2", {
        deviceId: moved.deviceId,
        savedVersion: 2,
        expiresAt: 4_000_000_000,
      }),
    ).toBe("duplicate");
    expect(await visitItem(moved.deviceId)).toMatchObject({ version: 2, pending: later });
  });
});
