import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEVICE_AUTHORIZER_CACHE } from "../../infra/routes.ts";
import { documentClient, dynamoClient } from "../../shared/adapters/aws-clients.ts";
import { TABLE_LIST } from "../../shared/tables.ts";
import { sweepDueVisits } from "../../shared/use-cases/pings/sweep-visits.ts";
import { zoneEventSinkFromEnv } from "../../shared/wiring/event-sink-deps.ts";
import { sweepDepsFromEnv } from "../../shared/wiring/sweep-deps.ts";
import { isolatedTables, overrideEnv } from "../integration/delivery/messaging.ts";
import { env } from "../support/aws.ts";
import { patchMe } from "../support/device-api.ts";
import { conversionLog, middayZone, offset, seedStoreAndOffer } from "../support/fixtures.ts";
import { call, startTestServer } from "../support/local-server.ts";

let server: Awaited<ReturnType<typeof startTestServer>>;
/** Moves the API's authorizer-cache clock (the handlers keep real time). */
let skewMs = 0;

let restoreEnv: () => void;

/** An offer without quiet hours: these tests expect an incentive at whatever hour they run. */
const ANY_HOUR = { offer: { quietHours: "none" as const } };

beforeAll(async () => {
  // Own tables: the scans below read whole tables and the sweep reads the whole due index.
  restoreEnv = overrideEnv(await isolatedTables());
  server = await startTestServer({ now: () => Date.now() + skewMs });
});
afterAll(async () => {
  await server.close();
  restoreEnv?.();
});

async function register(consent = { location: true, marketing: true }) {
  const reg = await call(`${server.url}/v1/devices`, {
    method: "POST",
    headers: { "x-app-key": server.appKey },
    body: { platform: "ios", consent, timeZone: middayZone() },
  });
  expect(reg.status).toBe(201);
  return {
    deviceId: reg.body.device.deviceId as string,
    auth: { authorization: `Bearer ${reg.body.token}` },
  };
}

function ping(
  auth: Record<string, string>,
  points: { lat: number; lon: number }[],
  startAt: number,
) {
  return call(`${server.url}/v1/pings`, {
    method: "POST",
    headers: auth,
    body: {
      pings: points.map((p, i) => ({
        ...p,
        accuracyM: 8,
        speedMps: 0.3,
        timestamp: startAt + i * 70_000,
      })),
    },
  });
}

/** Every item of every table (scan: this is a test) whose JSON contains the raw device id. */
async function itemsHolding(deviceId: string): Promise<number> {
  let n = 0;
  for (const def of TABLE_LIST) {
    let start: Record<string, never> | undefined;
    do {
      const page = await dynamoClient.send(
        new ScanCommand({ TableName: env(def.envVar), ExclusiveStartKey: start }),
      );
      for (const item of page.Items ?? []) {
        if (JSON.stringify(unmarshall(item)).includes(deviceId)) n++;
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
  }
  return n;
}

describe("the local API caches device authorizer decisions exactly as API Gateway does", () => {
  // Each test starts on the real clock; a test moves it past the cache TTL where it needs to.
  beforeEach(() => {
    skewMs = 0;
  });

  it("reuses a decision for the cache TTL, then asks again", () => {
    expect(DEVICE_AUTHORIZER_CACHE).toEqual({
      identityHeader: "Authorization",
      resultsCacheTtlS: 60,
    });
  });

  it("after erasure, a token the cache still holds writes nothing, and no table holds the device id", async () => {
    const seeded = await seedStoreAndOffer(ANY_HOUR);
    const inStore = [0, 1, 2].map((i) => offset(seeded.location, 2 * i, 0));
    const { deviceId, auth } = await register();
    const now = Date.now();
    const first = await ping(auth, inStore, now - 150_000);
    expect(first.status).toBe(202);
    expect(first.body.incentives).toHaveLength(1);
    expect(await itemsHolding(deviceId)).toBeGreaterThan(0);

    const erased = await call(`${server.url}/v1/devices/me`, { method: "DELETE", headers: auth });
    expect(erased.status).toBe(204);
    // Point 5: nothing anywhere still holds the raw device id (incentives and codes included).
    expect(await itemsHolding(deviceId)).toBe(0);

    // The ping route has no authorizer (no cached decision): ping-ingest reads the profile with
    // the visit state on every batch, so the erased device is refused at once, in a zone or not.
    const cached = await ping(auth, inStore, Date.now() - 10_000);
    expect(cached.status).toBe(401);
    expect(cached.body.detail).toBe("The device token is invalid or expired.");
    const far = await ping(auth, [offset(seeded.location, 20_000, 0)], Date.now() - 1_000);
    expect(far.status).toBe(401);
    expect(await itemsHolding(deviceId)).toBe(0);

    // A route behind the authorizer may still hold a decision within its TTL; once it expires,
    // the authorizer refuses the token itself.
    skewMs = (DEVICE_AUTHORIZER_CACHE.resultsCacheTtlS + 1) * 1000;
    const me = await call(`${server.url}/v1/devices/me`, { headers: auth });
    expect(me.status).toBe(401);
  });

  it("withdrawn marketing consent stops incentives at once, even with a cached decision", async () => {
    const seeded = await seedStoreAndOffer(ANY_HOUR);
    const { auth } = await register();
    // The first call caches a decision that says "marketing: true".
    expect(
      (await ping(auth, [offset(seeded.location, 20_000, 0)], Date.now() - 200_000)).status,
    ).toBe(202);
    const patched = await patchMe(server, auth, { consent: { marketing: false } });
    expect(patched.status).toBe(200);
    const res = await ping(auth, [offset(seeded.location, 2, 0)], Date.now() - 5_000);
    expect(res.status).toBe(202);
    expect(res.body.events).toContainEqual(
      expect.objectContaining({ kind: "trigger", type: "entered" }),
    );
    expect(res.body.incentives).toEqual([]);
    const log = await conversionLog<{ type: string; reason?: string }>(seeded.merchantId);
    expect(log.filter((r) => r.type === "suppressed").map((r) => r.reason)).toEqual(["no_consent"]);
  });

  it("withdrawn location consent stops ping processing at the very next batch", async () => {
    const seeded = await seedStoreAndOffer({});
    const { auth } = await register();
    const far = [offset(seeded.location, 20_000, 0)];
    expect((await ping(auth, far, Date.now() - 60_000)).status).toBe(202);
    await patchMe(server, auth, { consent: { location: false } });
    // No decision cached for the ping route: the profile read with the batch decides.
    const refused = await ping(auth, far, Date.now() - 30_000);
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/^consent\/location/);
    await patchMe(server, auth, { consent: { location: true } });
    expect((await ping(auth, far, Date.now() - 20_000)).status).toBe(202);
  });

  it("no exit is lost: a batch in no zone reads the state with the profile, the sweeper closes the rest", async () => {
    const seeded = await seedStoreAndOffer({});
    const { deviceId, auth } = await register();
    const start = Date.now() - 240_000;
    // Far away first (no open visit), then the device enters the shop; then it is 20 km away.
    expect((await ping(auth, [offset(seeded.location, 20_000, 0)], start - 600_000)).status).toBe(
      202,
    );
    const inside = await ping(
      auth,
      [0, 1, 2].map((i) => offset(seeded.location, i, 0)),
      start,
    );
    expect(inside.body.events.map((e: { type: string }) => e.type)).toContain("entered");
    const away = await ping(auth, [offset(seeded.location, 20_000, 0)], Date.now() - 1_000);
    expect(away.status).toBe(202);
    // The batch in no zone still sees the open visits (state read with the profile, never a
    // cached count): it exits them itself, or leaves them to the sweeper's exit timeout.
    const exits: string[] = away.body.events
      .filter((e: { type: string }) => e.type === "exited")
      .map((e: { kind: string }) => `${e.kind}:away`);
    await sweepDueVisits({
      ...sweepDepsFromEnv(zoneEventSinkFromEnv()),
      clock: { now: () => start + 140_000 + 900_000 },
      onExit: (e) => exits.push(`${e.kind}:${e.reason}`),
    });
    expect(exits.length).toBeGreaterThanOrEqual(2);
    expect(exits.map((e) => e.split(":")[0])).toEqual(
      expect.arrayContaining(["trigger", "footprint"]),
    );
    // Every visit is closed and handed on: the stored state holds none open, its outbox empty.
    const visits = await documentClient.send(
      new QueryCommand({
        TableName: env("DEVICES_TABLE"),
        KeyConditionExpression: "pk = :pk AND sk = :sk",
        ExpressionAttributeValues: { ":pk": `DEVICE#${deviceId}`, ":sk": "VISITS" },
        ConsistentRead: true,
      }),
    );
    expect(visits.Items?.[0]?.state?.zones).toEqual([]);
    expect(visits.Items?.[0]?.pending).toEqual([]);
  });
});
