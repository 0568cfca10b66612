import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/incentive-publisher.ts";
import { uniqueId } from "../../support/aws.ts";
import { offerCounters } from "../../support/fixtures.ts";

function ttlRemoval(code: Record<string, unknown>, byService = true): DynamoDBStreamEvent {
  return {
    Records: [
      {
        eventName: "REMOVE",
        ...(byService
          ? { userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" } }
          : {}),
        dynamodb: { OldImage: marshall(code) as never, SequenceNumber: "1" },
      } as never,
    ],
  };
}

/** A stored code item of `merchantId` as the TTL removes it: issued, for a fresh incentive. */
function codeItem(merchantId: string, fields: Record<string, unknown>) {
  return { entity: "code", incentiveId: uniqueId("inc"), merchantId, status: "issued", ...fields };
}

describe("expired codes", () => {
  it("logs `expired` once for an unredeemed code removed by TTL, on the store's local day", async () => {
    const merchantId = uniqueId("m");
    const code = codeItem(merchantId, {
      offerId: "of_x",
      storeId: "st_x",
      expiresAtMs: Date.parse("2026-03-01T23:30:00Z"),
      deviceRef: "ref",
      timeZone: "Asia/Tokyo",
    });
    expect((await handler(ttlRemoval(code), {} as never)).batchItemFailures).toEqual([]);
    await handler(ttlRemoval(code), {} as never);
    const counters = await offerCounters(merchantId, "of_x", "st_x", "2026-03-02");
    expect(counters?.expired).toBe(1);
  });

  it("counts a code claimed online apart from the geofence funnel (onlineExpired), a geofence send's as expired", async () => {
    const merchantId = uniqueId("m");
    const base = {
      offerId: "of_online",
      storeId: "-",
      expiresAtMs: Date.parse("2026-03-01T12:00:00Z"),
      timeZone: "UTC",
    };
    for (const kind of ["claim", "web_claim"]) {
      const code = codeItem(merchantId, { ...base, touch: { kind, channel: "email" } });
      expect((await handler(ttlRemoval(code), {} as never)).batchItemFailures).toEqual([]);
    }
    const sent = codeItem(merchantId, {
      ...base,
      storeId: "st_z",
      touch: { kind: "geofence", channel: "geofence", variant: "A" },
    });
    await handler(ttlRemoval(sent), {} as never);
    const read = async (storeId: string) =>
      offerCounters(merchantId, "of_online", storeId, "2026-03-01");
    const online = await read("-");
    expect(online?.onlineExpired).toBe(2);
    expect(online?.expired).toBeUndefined();
    const geofence = await read("st_z");
    expect(geofence?.expired).toBe(1);
    expect(geofence?.onlineExpired).toBeUndefined();
  });

  it("ignores redeemed codes and removals not made by TTL", async () => {
    const merchantId = uniqueId("m");
    const base = codeItem(merchantId, {
      offerId: "of_y",
      storeId: "st_y",
      expiresAtMs: Date.parse("2026-03-01T12:00:00Z"),
    });
    await handler(ttlRemoval({ ...base, status: "redeemed" }), {} as never);
    await handler(ttlRemoval({ ...base, status: "issued" }, false), {} as never);
    const counters = await offerCounters(merchantId, "of_y", "st_y", "2026-03-01");
    expect(counters).toBeUndefined();
  });
});
