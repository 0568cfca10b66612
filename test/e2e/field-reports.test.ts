/**
 * Faults from public field reports, replayed through the local HTTP server on DynamoDB Local
 * with the inputs of the report and the right value as the expectation.
 */
import { describe, expect, it } from "vitest";
import { uniqueId } from "../support/aws.ts";
import { registerDevice } from "../support/device-api.ts";
import { square } from "../support/geo.ts";
import { call, useTestServer } from "../support/local-server.ts";
import { createCircleStore, roleHeaders } from "../support/merchant-api.ts";

const server = useTestServer();

describe("lost visit after a long gap", () => {
  it("dwells at +180 s and logs the visit although the previous fix was 40 minutes away", async () => {
    const merchantId = uniqueId("m_gap");
    const analyst = await roleHeaders(server, merchantId, "marketing-analyst");
    const shopAt = { lat: 50.0, lon: 10.2 };
    const northAt = { lat: 50.1799, lon: 10.2 };
    const shopId = await createCircleStore(server, merchantId, {
      name: "Shop",
      at: shopAt,
      radiusM: 40,
    });
    await createCircleStore(server, merchantId, { name: "North", at: northAt, radiusM: 100 });
    const reg = await registerDevice(server, { platform: "ios", timeZone: "Europe/Berlin" });
    const device = { authorization: `Bearer ${reg.token}` };

    // T is 250 s ago, so the last ping (T + 300 s) is within the accepted clock skew.
    const T = Date.now() - 250_000;
    const batches = [
      { ...northAt, accuracyM: 8, timestamp: T - 40 * 60_000 },
      { ...shopAt, accuracyM: 6, timestamp: T },
      { lat: 50.000009, lon: 10.2, accuracyM: 7, timestamp: T + 180_000 }, // 1 m north
      { lat: 50.003, lon: 10.2, accuracyM: 10, timestamp: T + 300_000 },
    ];
    const shopEvents: { type: string; at: string }[] = [];
    for (const ping of batches) {
      const res = await call(`${server.url}/v1/pings`, {
        method: "POST",
        headers: device,
        body: { pings: [ping] },
      });
      expect(res.status).toBe(202);
      for (const e of res.body.events as { type: string; storeId: string; kind: string }[]) {
        if (e.storeId === shopId && e.kind === "footprint") shopEvents.push(e as never);
      }
    }
    expect(shopEvents.map((e) => e.type)).toEqual(["entered", "dwelled", "exited"]);

    const log = await call(`${server.url}/v1/conversions?storeId=${shopId}&type=visited`, {
      headers: analyst,
    });
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(1);
  });
});

describe("points on a polygon's edge", () => {
  it("all 4 corners and 4 edge midpoints of the reported rectangle enter the footprint", async () => {
    const merchantId = uniqueId("m_edge");
    const admin = await roleHeaders(server, merchantId, "merchant-admin");
    const ring = square(
      -79.4586181640625,
      39.53793974517629,
      -79.4286181640625,
      39.56793974517629,
    ) as [number, number][];
    const store = await call(`${server.url}/v1/stores`, {
      method: "POST",
      headers: admin,
      body: {
        name: "Rectangle",
        location: { lat: 39.55293974517629, lon: -79.4436181640625 },
        footprint: { type: "Polygon", coordinates: [ring] },
      },
    });
    expect(store.status, JSON.stringify(store.body)).toBe(201);
    const points: { lat: number; lon: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const a = ring[i] as [number, number];
      const b = ring[i + 1] as [number, number];
      points.push({ lat: a[1], lon: a[0] }, { lat: (a[1] + b[1]) / 2, lon: (a[0] + b[0]) / 2 });
    }
    let entered = 0;
    for (const point of points) {
      const reg = await registerDevice(server, { consent: { location: true, marketing: false } });
      const res = await call(`${server.url}/v1/pings`, {
        method: "POST",
        headers: { authorization: `Bearer ${reg.token}` },
        body: { pings: [{ ...point, accuracyM: 5, timestamp: Date.now() - 1_000 }] },
      });
      expect(res.status).toBe(202);
      const events = res.body.events as { type: string; storeId: string }[];
      if (events.some((e) => e.type === "entered" && e.storeId === store.body.storeId)) entered++;
    }
    expect(entered).toBe(8);
  });
});
