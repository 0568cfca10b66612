import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { cellsForPoint } from "../../../shared/domain/geometry/cover.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { coldPingHandler } from "../../support/cold-ping-handler.ts";
import { isolatedSite, registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { bodyOf, deviceToken } from "../../support/http-events.ts";
import { offsetM } from "../../support/pings.ts";

/** A spot with no geofence: the Great Sandy Desert. */
const EMPTY = { lat: -20.5, lon: 124.5 };

/** A registered device (its profile stored, as after `POST /v1/devices`); posts carry its token. */
async function device() {
  const d = await registeredDevice({ timeZone: "Australia/Perth", platform: "android" });
  return { deviceId: d.deviceId };
}

/** 100 pings on a 10 × 10 grid `stepM` apart, one per second ending now. */
function grid(origin: { lat: number; lon: number }, stepM: number, now = Date.now()) {
  return Array.from({ length: 100 }, (_, k) => ({
    ...offsetM(origin, (k % 10) * stepM, Math.floor(k / 10) * stepM),
    accuracyM: 15,
    timestamp: now - (100 - k) * 1000,
  }));
}

/** The one read of the ping path: profile and visit state of this device, in one Query. */
function isSnapshotQuery(r: { command: string; input: string }, deviceId: string): boolean {
  const input = JSON.parse(r.input) as {
    ConsistentRead?: boolean;
    ExpressionAttributeValues?: Record<string, string>;
  };
  const values = input.ExpressionAttributeValues ?? {};
  return (
    r.command === "QueryCommand" &&
    input.ConsistentRead === true &&
    values[":pk"] === deviceKeys.partition(deviceId) &&
    values[":from"] === deviceKeys.profileToVisits.from &&
    values[":to"] === deviceKeys.profileToVisits.to
  );
}

describe("DynamoDB requests per ping batch, device check included (real handler, SDK middleware count)", () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it("a warm batch of 100 pings in no zone costs exactly one request: the Query that admits the device", async () => {
    const { requests, post } = await coldPingHandler();
    const origin = offsetM(EMPTY, 0, 0);
    const cold = await post(grid(origin, 40), await device());
    expect(cold.statusCode).toBe(202);
    expect(requests.length).toBeGreaterThan(1);
    requests.length = 0;
    // The same places a little later (another device even): every cell is cached, negatively.
    const dev = await device();
    const warm = await post(grid(origin, 40, Date.now() + 1), dev);
    expect(warm.statusCode).toBe(202);
    expect(bodyOf(warm)).toMatchObject({ accepted: 100, rejected: [], events: [] });
    expect(requests).toHaveLength(1);
    expect(isSnapshotQuery(requests[0] as never, dev.deviceId)).toBe(true);
  });

  it("a missing, forged, expired or malformed token costs no request at all (401)", async () => {
    const { requests, post } = await coldPingHandler();
    const dev = await device();
    const now = Math.floor(Date.now() / 1000);
    const refused = {
      missing: {} as Record<string, string>,
      forged: { authorization: `Bearer ${deviceToken(dev.deviceId, { secret: "x".repeat(43) })}` },
      expired: {
        authorization: `Bearer ${deviceToken(dev.deviceId, { iat: now - 7200, exp: now - 60 })}`,
      },
      malformed: { authorization: "Bearer not.a.token" },
      notBearer: { authorization: `Basic ${deviceToken(dev.deviceId)}` },
    };
    for (const [kind, headers] of Object.entries(refused)) {
      const res = await post(grid(EMPTY, 40), {}, headers);
      expect(res.statusCode, kind).toBe(401);
      expect(res.headers?.["content-type"], kind).toBe("application/problem+json");
      expect(bodyOf(res), kind).toMatchObject({ status: 401 });
    }
    expect(requests).toEqual([]);
  });

  it("a revoked token, an erasing or an unknown device cost the one Query and nothing else (401)", async () => {
    const { requests, post } = await coldPingHandler();
    const revoked = await device();
    const erasing = await device();
    const table = env("DEVICES_TABLE");
    const later = Math.floor(Date.now() / 1000) + 30;
    await documentClient.send(
      new UpdateCommand({
        TableName: table,
        Key: deviceKeys.profile(revoked.deviceId),
        UpdateExpression: "SET tokensNotBefore = :t",
        ExpressionAttributeValues: { ":t": later },
      }),
    );
    await documentClient.send(
      new UpdateCommand({
        TableName: table,
        Key: deviceKeys.profile(erasing.deviceId),
        UpdateExpression: "SET erasingAt = :t",
        ExpressionAttributeValues: { ":t": Date.now() },
      }),
    );
    const site = await isolatedSite();
    await seedStoreAndOffer({ location: site });
    const inStore = Array.from({ length: 5 }, (_, k) => ({
      ...offsetM(site, k, 0),
      accuracyM: 8,
      timestamp: Date.now() - (5 - k) * 10_000,
    }));
    for (const dev of [revoked, erasing, { deviceId: uniqueId("dev") }]) {
      requests.length = 0;
      const res = await post(inStore, dev);
      expect(res.statusCode).toBe(401);
      expect(bodyOf(res)).toMatchObject({ detail: "The device token is invalid or expired." });
      // No cell read, no state write: the refusal comes from the one read.
      expect(requests).toHaveLength(1);
      expect(isSnapshotQuery(requests[0] as never, dev.deviceId)).toBe(true);
    }
  });

  it("a cold batch across many cells costs the Query, then one parallel round of BatchGetItem", async () => {
    const { requests, post } = await coldPingHandler();
    const pings = grid(offsetM(EMPTY, 30_000, 30_000), 2_000);
    const unique = new Set(pings.flatMap((p) => cellsForPoint(p.lat, p.lon)));
    expect(unique.size).toBeGreaterThan(300);
    const dev = await device();
    const result = await post(pings, dev);
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ accepted: 100, events: [] });
    expect(requests.map((r) => r.command)).toEqual([
      "QueryCommand",
      ...Array.from({ length: Math.ceil(unique.size / 100) }, () => "BatchGetItemCommand"),
    ]);
    const cells = requests.slice(1);
    // One round: every cell request started before the first one finished.
    const lastStart = Math.max(...cells.map((r) => r.start));
    const firstEnd = Math.min(...cells.map((r) => r.end));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it("a warm batch that enters a store, gets an incentive and dwells: six requests, the outbox cleared by the visit's transaction", async () => {
    const { requests, post } = await coldPingHandler();
    const site = await isolatedSite();
    const { offerId, storeId } = await seedStoreAndOffer({
      location: site,
      footprintRadiusM: 40,
      triggerRadiusM: 200,
      // Whatever the hour the suite runs at and however slowly, the offer may be sent.
      offer: { quietHours: "none", trigger: { on: "enter", freshnessMinutes: 60 } },
    });
    /** Walking in from 320 m north (10 pings, 15 s apart), then 14 pings inside, 15 s apart. */
    const walkIn = (now: number) =>
      Array.from({ length: 24 }, (_, k) => ({
        ...offsetM(site, (k % 3) * 3, k < 10 ? 320 - k * 32 : (k % 4) * 4),
        accuracyM: 8,
        timestamp: now - (24 - k) * 15_000,
      }));
    // Another device walks the same way first: its cells, offer and store are cached.
    const first = await post(walkIn(Date.now() - 1), await device());
    expect(first.statusCode).toBe(202);
    requests.length = 0;

    const dev = await device();
    const res = await post(walkIn(Date.now()), dev);
    expect(res.statusCode).toBe(202);
    const body = bodyOf(res) as {
      events: { type: string; kind: string; storeId: string }[];
      incentives: { offerId: string; storeId: string }[];
    };
    expect(body.incentives).toMatchObject([{ offerId, storeId }]);
    expect(body.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "entered", kind: "trigger", storeId }),
        expect.objectContaining({ type: "dwelled", kind: "footprint", storeId }),
      ]),
    );
    // The Query that admits the device; the state saved with its outbox (created: with the
    // profile check); the counters, with the visit history the visit will need; the grant; the
    // visit's attribution handles; the visit, whose transaction also clears the outbox.
    expect(requests.map((r) => r.command)).toEqual([
      "QueryCommand",
      "TransactWriteItemsCommand",
      "BatchGetItemCommand",
      "TransactWriteItemsCommand",
      "QueryCommand",
      "TransactWriteItemsCommand",
    ]);
    expect(isSnapshotQuery(requests[0] as never, dev.deviceId)).toBe(true);
    expect(requests[2]?.input).toContain(`JOURNEY#`);
    expect(requests[5]?.input).toContain('"sk":"VISITS"');
    // Saved once with the outbox, cleared once: nothing left for the sweeper to hand on.
    const visits = await documentClient.send(
      new GetCommand({ TableName: env("DEVICES_TABLE"), Key: deviceKeys.visits(dev.deviceId) }),
    );
    expect(visits.Item).toMatchObject({ version: 2, pending: [] });
  });
});
