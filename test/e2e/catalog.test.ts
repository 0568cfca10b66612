import { describe, expect, it } from "vitest";
import { ROUTES } from "../../infra/routes.ts";
import { openApiDocument } from "../../shared/openapi/document.ts";
import { uniqueId } from "../support/aws.ts";
import { call, useTestServer } from "../support/local-server.ts";
import { roleHeaders } from "../support/merchant-api.ts";

const server = useTestServer();

const PARIS = { lat: 48.8584, lon: 2.347 };

describe("catalog over HTTP", () => {
  it("creates stores and an offer with a merchant token, then pages through them", async () => {
    const merchantId = uniqueId("m");
    const auth = await roleHeaders(server, merchantId, "merchant-admin");
    const storeIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(`${server.url}/v1/stores`, {
        method: "POST",
        headers: auth,
        body: {
          name: `Store ${i}`,
          location: { lat: PARIS.lat + i * 0.001, lon: PARIS.lon },
          footprint: {
            type: "Circle",
            center: { lat: PARIS.lat + i * 0.001, lon: PARIS.lon },
            radiusM: 30,
          },
        },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get("etag")).toBe('"1"');
      storeIds.push(res.body.storeId);
    }

    const offer = await call(`${server.url}/v1/offers`, {
      method: "POST",
      headers: auth,
      body: {
        name: "Coffee −20 %",
        storeIds: storeIds.slice(0, 2),
        triggerZone: { type: "StoreRadius", radiusM: 250 },
        trigger: { on: "dwell", dwellSeconds: 60 },
        message: { title: "Coffee break?", body: "−20 % on any coffee." },
        validFrom: "2026-01-01T00:00:00Z",
        validTo: "2027-01-01T00:00:00Z",
        holdoutPercent: 10,
        attributionWindowHours: 24,
        redemption: { codeKind: "static", staticCode: "COFFEE-20", expiresAfterHours: 2 },
      },
    });
    expect(offer.status).toBe(201);
    expect(offer.body).toMatchObject({ status: "active", zoneCount: 2 });

    const seen: string[] = [];
    let url = `${server.url}/v1/stores?limit=2`;
    for (let page = 0; page < 5; page++) {
      const res = await call(url, { headers: auth });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((s: { storeId: string }) => s.storeId));
      if (!res.body.nextCursor) break;
      url = `${server.url}/v1/stores?limit=2&cursor=${encodeURIComponent(res.body.nextCursor)}`;
    }
    expect(seen.sort()).toEqual([...storeIds].sort());

    const analyst = await roleHeaders(server, merchantId, "marketing-analyst");
    const got = await call(`${server.url}/v1/offers/${offer.body.offerId}`, { headers: analyst });
    expect(got.status).toBe(200);
    const pos = await roleHeaders(server, merchantId, "pos");
    expect((await call(`${server.url}/v1/offers`, { headers: pos })).status).toBe(403);
    const stranger = {
      authorization: `Bearer ${await server.token(uniqueId("m"), "merchant-admin")}`,
    };
    const hidden = await call(`${server.url}/v1/stores/${storeIds[0]}`, { headers: stranger });
    expect(hidden.status).toBe(404);
    expect(hidden.headers.get("content-type")).toBe("application/problem+json");
  });

  it("routes the import endpoint and answers 401 without a token", async () => {
    const merchantId = uniqueId("m");
    const auth = await roleHeaders(server, merchantId, "merchant-admin");
    const body = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Point", coordinates: [PARIS.lon, PARIS.lat] },
          properties: { name: "Imported", externalRef: "IMP-1" },
        },
      ],
    };
    expect((await call(`${server.url}/v1/stores:import`, { method: "POST", body })).status).toBe(
      401,
    );
    const res = await call(`${server.url}/v1/stores:import`, {
      method: "POST",
      headers: auth,
      body,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", total: 1 });
    const job = await call(`${server.url}${res.headers.get("location")}`, { headers: auth });
    expect(job.status).toBe(200);
    expect(job.body.jobId).toBe(res.body.jobId);
  });

  it("serves the OpenAPI document without a token", async () => {
    const res = await call(`${server.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body).toEqual(openApiDocument(ROUTES));
  });
});
