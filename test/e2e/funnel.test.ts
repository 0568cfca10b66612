import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler as publisher } from "../../functions/incentive-publisher.ts";
import { daytimeZone } from "../../scripts/local/daytime.ts";
import type { StreamPoller } from "../../scripts/local/stream-poller.ts";
import { uniqueId } from "../support/aws.ts";
import { offset } from "../support/fixtures.ts";
import { call, useTestServer } from "../support/local-server.ts";
import {
  createCircleStore,
  createOffer,
  liveOfferBody,
  roleHeaders,
} from "../support/merchant-api.ts";
import {
  drainQueue,
  startMerchantStream,
  subscribeMerchantQueue,
} from "../support/merchant-stream.ts";

const server = useTestServer();
let poller: StreamPoller;
const merchantId = uniqueId("m_e2e");
const STORE = { lat: 43.2965, lon: 5.3698 };

beforeAll(async () => {
  // Deliver only this test's incentives: other test files share the table.
  poller = await startMerchantStream({ merchantId, publisher });
});
afterAll(async () => {
  await poller.stop();
});

describe("the footfall funnel end to end", () => {
  it("registers, pings, sends, visits, redeems — and the log and report agree", async () => {
    const queueUrl = await subscribeMerchantQueue(merchantId);
    const analyst = await roleHeaders(server, merchantId, "marketing-analyst");
    const pos = await roleHeaders(server, merchantId, "pos");

    const storeId = await createCircleStore(server, merchantId, {
      name: "Vieux-Port",
      at: STORE,
      radiusM: 40,
    });
    const offerId = await createOffer(
      server,
      merchantId,
      liveOfferBody([storeId], {
        name: "Pastis hour",
        message: { title: "Come in", body: "A free tasting at the Vieux-Port store" },
        holdoutPercent: 50,
      }),
    );

    const timeZone = daytimeZone();
    const now = Date.now();
    const near = offset(STORE, 250, 0);
    const devices: { token: string; incentives: { code: string }[]; visits: boolean }[] = [];
    for (let i = 0; i < 16; i++) {
      const reg = await call(`${server.url}/v1/devices`, {
        method: "POST",
        headers: { "x-app-key": server.appKey },
        body: { platform: "android", consent: { location: true, marketing: true }, timeZone },
      });
      expect(reg.status).toBe(201);
      const token = reg.body.token as string;
      const trigger = await call(`${server.url}/v1/pings`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: { pings: [{ ...near, accuracyM: 15, timestamp: now - 150_000, speedMps: 1.2 }] },
      });
      expect(trigger.status).toBe(202);
      expect(trigger.body.events).toEqual([
        expect.objectContaining({ type: "entered", kind: "trigger" }),
      ]);
      devices.push({ token, incentives: trigger.body.incentives, visits: i % 2 === 0 });
      if (i === 0) {
        const nearby = await call(
          `${server.url}/v1/offers/nearby?lat=${near.lat}&lon=${near.lon}&radiusM=1000`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        expect(nearby.status).toBe(200);
        expect(nearby.body.offers).toEqual([
          expect.objectContaining({ offerId, storeId, storeName: "Vieux-Port" }),
        ]);
      }
    }
    const treated = devices.filter((d) => d.incentives.length === 1);
    const held = devices.filter((d) => d.incentives.length === 0);
    expect(treated.length + held.length).toBe(16);
    expect(treated.length).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);

    const inStore = offset(STORE, 5, 5);
    for (const device of devices.filter((d) => d.visits)) {
      const visit = await call(`${server.url}/v1/pings`, {
        method: "POST",
        headers: { authorization: `Bearer ${device.token}` },
        body: {
          pings: [-140, -70, 0].map((s) => ({
            ...inStore,
            accuracyM: 8,
            timestamp: now + s * 1000,
            speedMps: 0.3,
          })),
        },
      });
      expect(visit.status).toBe(202);
      expect(
        visit.body.events
          .filter((e: { kind: string; type: string }) => e.kind === "footprint")
          .map((e: { type: string }) => e.type),
      ).toEqual(["entered", "dwelled"]);
    }
    const visitsTreated = treated.filter((d) => d.visits).length;
    const visitsHeld = held.filter((d) => d.visits).length;

    const messages = await drainQueue(
      queueUrl,
      (received, lastPollEmpty) => received.length >= treated.length && lastPollEmpty,
    );
    expect(messages).toHaveLength(treated.length);
    expect(new Set(messages.map((m) => m.incentiveId)).size).toBe(treated.length);

    const code = treated[0]?.incentives[0]?.code ?? "";
    const redeemed = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: pos,
      body: { code, storeId },
    });
    expect(redeemed.status).toBe(200);
    const again = await call(`${server.url}/v1/redemptions`, {
      method: "POST",
      headers: pos,
      body: { code, storeId },
    });
    expect(again.status).toBe(409);

    const log = await call(`${server.url}/v1/conversions?offerId=${offerId}&limit=200`, {
      headers: analyst,
    });
    expect(log.status).toBe(200);
    const byType = new Map<string, number>();
    for (const r of log.body.items as { type: string }[])
      byType.set(r.type, (byType.get(r.type) ?? 0) + 1);
    expect(Object.fromEntries(byType)).toEqual({
      triggered: 16,
      sent: treated.length,
      held_out: held.length,
      attributed_visit: visitsTreated + visitsHeld,
      // Every visitor had one touch of the offer (a send or a holdout): each visit is credited.
      credited_visit: visitsTreated + visitsHeld,
      redeemed: 1,
    });

    const report = await call(`${server.url}/v1/reports/offers/${offerId}`, { headers: analyst });
    expect(report.status).toBe(200);
    expect(report.body.totals.funnel).toMatchObject({
      triggered: 16,
      sent: treated.length,
      heldOut: held.length,
      attributedVisits: { treated: visitsTreated, holdout: visitsHeld },
      redemptions: 1,
    });
  });
});
