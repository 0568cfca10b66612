import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler as incentivePublisher } from "../../functions/incentive-publisher.ts";
import { handler as pickupPublisher } from "../../functions/pickup-publisher.ts";
import { FUNCTION_SPECS, streamMapping } from "../../infra/function-specs.ts";
import type { StreamPoller } from "../../scripts/local/stream-poller.ts";
import { DRIVE_UP_EVENTS } from "../integration/pickups/world.ts";
import { uniqueId } from "../support/aws.ts";
import { isolatedSite, offset } from "../support/fixtures.ts";
import { call, useTestServer } from "../support/local-server.ts";
import { createCircleStore, roleHeaders } from "../support/merchant-api.ts";
import {
  drainQueue,
  startMerchantStream,
  subscribeMerchantQueue,
} from "../support/merchant-stream.ts";

/** The authorizer cache's clock: moved past its TTL where a test needs a fresh decision. */
let cacheOffsetMs = 0;
const server = useTestServer({ now: () => Date.now() + cacheOffsetMs });
let poller: StreamPoller;
const crossSellPollers: StreamPoller[] = [];
const merchantId = uniqueId("m_pickup");
const crossSellMerchant = uniqueId("m_xsell");
const STORE = { lat: 45.764, lon: 4.8357 };

beforeAll(async () => {
  const trigger = FUNCTION_SPECS["pickup-publisher"]?.trigger;
  if (trigger?.kind !== "tableStream") throw new Error("pickup-publisher has no stream trigger");
  // The deployed mapping (filters, batch size), delivering only this test's pickups.
  poller = await startMerchantStream({
    merchantId,
    publisher: pickupPublisher,
    mapping: streamMapping(trigger),
  });
  // The cross-sell merchant's pickups, and its incentives through the incentive publisher.
  const incentives = FUNCTION_SPECS["incentive-publisher"]?.trigger;
  if (incentives?.kind !== "tableStream") throw new Error("incentive-publisher has no stream");
  crossSellPollers.push(
    await startMerchantStream({
      merchantId: crossSellMerchant,
      publisher: pickupPublisher,
      mapping: streamMapping(trigger),
    }),
    await startMerchantStream({
      merchantId: crossSellMerchant,
      publisher: incentivePublisher,
      mapping: streamMapping(incentives),
    }),
  );
});
afterAll(async () => {
  for (const p of crossSellPollers) await p.stop();
  await poller.stop();
});

/** A checked-in message schema of events/, compiled as an independent subscriber would. */
function schemaValidator(file: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(
    JSON.parse(readFileSync(resolve(import.meta.dirname, "../../events", file), "utf8")),
  );
}
const validate = schemaValidator("pickup-message.schema.json");
const validateIncentive = schemaValidator("incentive-message.schema.json");

describe("pickup orders end to end through the local HTTP API", () => {
  it("create, attach, ping, staff board, ready, complete — and the store hears every step", async () => {
    // What a store tablet subscribes with: its merchant, pickup events only.
    const queueUrl = await subscribeMerchantQueue(merchantId, {
      eventType: [{ prefix: "pickup." }],
    });
    const admin = await roleHeaders(server, merchantId, "merchant-admin");
    const pos = await roleHeaders(server, merchantId, "pos");
    const other = {
      authorization: `Bearer ${await server.token(uniqueId("m"), "merchant-admin")}`,
    };

    const storeId = await createCircleStore(
      server,
      merchantId,
      { name: "Bellecour", at: STORE, radiusM: 40 },
      { externalRef: "LYS-1" },
    );

    const bad = await call(`${server.url}/v1/pickups`, {
      method: "POST",
      headers: admin,
      body: { storeId: "code:LYS-1", orderRef: "", promisedAt: "tomorrow" },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const created = await call(`${server.url}/v1/pickups`, {
      method: "POST",
      headers: admin,
      body: {
        storeId: "code:LYS-1",
        orderRef: "WEB-1042",
        promisedAt: new Date(Date.now() + 15 * 60_000).toISOString(),
        mode: "curbside",
        customerName: "Camille",
        vehicle: { description: "Renault Clio", color: "blue", licensePlate: "AB-123-CD" },
      },
    });
    expect(created.status).toBe(201);
    const pickupId = created.body.pickupId as string;
    const attachToken = created.body.attachToken as string;
    expect(attachToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call(`${server.url}/v1/pickups/${pickupId}`, { headers: other })).status).toBe(
      404,
    );

    const register = async () => {
      const reg = await call(`${server.url}/v1/devices`, {
        method: "POST",
        headers: { "x-app-key": server.appKey },
        body: { platform: "ios", consent: { location: true, marketing: false } },
      });
      expect(reg.status).toBe(201);
      return { authorization: `Bearer ${reg.body.token as string}` };
    };
    const shopper = await register();
    /** The device attaches the pickup with the token the merchant handed over. */
    const attach = (device: { authorization: string }) =>
      call(`${server.url}/v1/devices/me/pickups`, {
        method: "POST",
        headers: device,
        body: { attachToken },
      });
    const attached = await attach(shopper);
    expect(attached.status).toBe(201);
    expect(attached.body).toMatchObject({ pickupId, state: "created" });
    // The token worked once: another device (or a replay) finds nothing.
    const thief = await register();
    const stolen = await attach(thief);
    expect(stolen.status).toBe(404);
    const peek = await call(`${server.url}/v1/devices/me/pickups/${pickupId}`, { headers: thief });
    expect(peek.status).toBe(404);

    // Driving in at 12 m/s, a fix every 15 s: from 4.5 km to 1.3 km (under 5 minutes away).
    const now = Date.now();
    const far = Array.from({ length: 18 }, (_, k) => ({
      ...offset(STORE, 0, -4500 + k * 180),
      accuracyM: 10,
      speedMps: 12,
      timestamp: now - (18 - k) * 15_000 - 60_000,
    }));
    const drive = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: shopper,
      body: { pings: far },
    });
    expect(drive.status).toBe(202);
    // The decision API Gateway cached at attach time is past its TTL by the time the car arrives.
    cacheOffsetMs = 61_000;
    const park = [-60, -45, -30, -20].map((north, k) => ({
      ...offset(STORE, 0, north),
      accuracyM: 8,
      speedMps: 2,
      timestamp: now - (4 - k) * 8_000,
    }));
    const arrive = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: shopper,
      body: { pings: park },
    });
    expect(arrive.status).toBe(202);

    const board = await call(`${server.url}/v1/stores/code:LYS-1/pickups`, { headers: pos });
    expect(board.status).toBe(200);
    expect(board.body.items).toEqual([
      expect.objectContaining({
        pickupId,
        orderRef: "WEB-1042",
        state: "arrived",
        customerName: "Camille",
        vehicle: { description: "Renault Clio", color: "blue", licensePlate: "AB-123-CD" },
      }),
    ]);
    expect(JSON.stringify(board.body)).not.toContain(String(STORE.lat).slice(0, 6));

    const ready = await call(`${server.url}/v1/pickups/${pickupId}/ready`, {
      method: "POST",
      headers: pos,
    });
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    expect(ready.body).toMatchObject({ ready: true, state: "arrived" });
    const done = await call(`${server.url}/v1/pickups/${pickupId}/complete`, {
      method: "POST",
      headers: pos,
    });
    expect(done.body).toMatchObject({ state: "completed" });
    const late = await call(`${server.url}/v1/pickups/${pickupId}/cancel`, {
      method: "POST",
      headers: pos,
    });
    expect(late.status).toBe(409);
    expect(late.body.errors).toEqual([{ path: "state", reason: "is completed" }]);
    const after = await call(`${server.url}/v1/stores/${storeId}/pickups`, { headers: pos });
    expect(after.body.items).toEqual([]);

    const messages = await drainQueue(queueUrl, (received) =>
      received.some((m) => m.eventType === "pickup.completed"),
    );
    for (const m of messages) expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
    expect(messages.map((m) => m.eventType)).toEqual([
      ...DRIVE_UP_EVENTS,
      "pickup.ready",
      "pickup.completed",
    ]);
    expect(new Set(messages.map((m) => m.storeId))).toEqual(new Set([storeId]));

    // The store's pickup metrics (answers checked against the OpenAPI document by the server).
    // Pickups count on their promised store-local day, which is already tomorrow in the store's
    // zone when the test runs in its last quarter-hour: the range names the days around now.
    const utcDay = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const around = `?from=${utcDay(-1)}&to=${utcDay(1)}`;
    const metrics = await call(`${server.url}/v1/reports/stores/${storeId}/pickups${around}`, {
      headers: admin,
    });
    expect(metrics.status).toBe(200);
    expect(metrics.body.totals).toMatchObject({
      pickups: 1,
      completed: 1,
      arrived: 1,
      waitTime: { count: 1 },
      onTime: { of: 1, count: 1, share: 1 },
      readyOnArrival: { of: 1 },
    });
    expect(JSON.stringify(metrics.body)).not.toMatch(/"lat"|"lon"|deviceId/);
    const staff = await call(`${server.url}/v1/reports/stores/${storeId}/pickups`, {
      headers: pos,
    });
    expect(staff.status).toBe(403);
    const foreign = await call(`${server.url}/v1/reports/stores/${storeId}/pickups`, {
      headers: other,
    });
    expect(foreign.status).toBe(404);
    const reversed = await call(
      `${server.url}/v1/reports/stores/${storeId}/pickups?from=2026-05-02&to=2026-05-01`,
      { headers: admin },
    );
    expect(reversed.status).toBe(400);
    expect(reversed.body.errors).toEqual([{ path: "to", reason: "must not be before from" }]);
  });

  it('a cross-sell on pickup arrival: offer by API, "I\'m here", incentive.sent on the topic, code redeemed', async () => {
    const site = await isolatedSite();
    const queueUrl = await subscribeMerchantQueue(crossSellMerchant, {
      eventType: ["incentive.sent"],
    });
    const admin = await roleHeaders(server, crossSellMerchant, "merchant-admin");
    const pos = await roleHeaders(server, crossSellMerchant, "pos");
    const storeId = await createCircleStore(server, crossSellMerchant, {
      name: "Drive",
      at: site,
      radiusM: 40,
    });
    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: admin,
      body: {
        name: "A coffee while you wait",
        storeIds: [storeId],
        trigger: { on: "pickup_arrived" },
        message: { title: "Coffee on us", body: "Show this code at the counter." },
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validTo: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        holdoutPercent: 0,
        quietHours: "none",
        attributionWindowHours: 4,
        redemption: { codeKind: "unique", expiresAfterHours: 4 },
      },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    expect(offer.body).toMatchObject({ trigger: { on: "pickup_arrived" }, zoneCount: 0 });
    expect(offer.body.triggerZone).toBeUndefined();
    const offerId = offer.body.offerId as string;

    const created = await call(`${server.url}/v1/pickups`, {
      method: "POST",
      headers: admin,
      body: {
        storeId,
        orderRef: "WEB-2001",
        promisedAt: new Date(Date.now() + 10 * 60_000).toISOString(),
        mode: "in_store",
      },
    });
    expect(created.status).toBe(201);
    const pickupId = created.body.pickupId as string;
    const reg = await call(`${server.url}/v1/devices`, {
      method: "POST",
      headers: { "x-app-key": server.appKey },
      body: { platform: "android", consent: { location: false, marketing: true } },
    });
    expect(reg.status).toBe(201);
    const shopper = { authorization: `Bearer ${reg.body.token as string}` };
    const attached = await call(`${server.url}/v1/devices/me/pickups`, {
      method: "POST",
      headers: shopper,
      body: { attachToken: created.body.attachToken },
    });
    expect(attached.status).toBe(201);
    // A fresh authorizer decision lists the attached pickup; "I'm here" twice (a retry).
    cacheOffsetMs += 61_000;
    for (let k = 0; k < 2; k++) {
      const here = await call(`${server.url}/v1/devices/me/pickups/${pickupId}/arrived`, {
        method: "POST",
        headers: shopper,
      });
      expect(here.status, JSON.stringify(here.body)).toBe(200);
      expect(here.body).toMatchObject({ state: "arrived" });
    }

    const messages = await drainQueue(queueUrl, (received) =>
      received.some((m) => m.eventType === "incentive.sent"),
    );
    expect(messages).toHaveLength(1);
    const message = messages[0] as Record<string, unknown>;
    expect(validateIncentive(message), JSON.stringify(validateIncentive.errors)).toBe(true);
    expect(message).toMatchObject({
      eventType: "incentive.sent",
      offerId,
      storeId,
      trigger: "pickup_arrived",
      touch: { channel: "pickup" },
      message: { title: "Coffee on us" },
    });
    const code = (message.redemption as { code: string }).code;
    const till = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: pos,
      body: { code, storeId },
    });
    expect(till.status, JSON.stringify(till.body)).toBe(200);
    expect(till.body).toMatchObject({ offerId, incentiveId: message.incentiveId });
  });
});
