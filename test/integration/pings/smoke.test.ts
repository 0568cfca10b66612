import { describe, expect, it } from "vitest";
import { registerDevice } from "../../support/device-api.ts";
import { indexFootprint } from "../../support/fixtures.ts";
import { call, useTestServer } from "../../support/local-server.ts";
import { offsetM } from "../../support/pings.ts";

const server = useTestServer();

describe("ping ingestion over HTTP (local server, device authorizer)", () => {
  it("a registered device enters a store, then leaves it from a place no zone covers", async () => {
    const site = { lat: 50.85, lon: 4.35 };
    const storeId = await indexFootprint(site);
    const reg = await registerDevice(server, { consent: { location: true, marketing: false } });
    const auth = { authorization: `Bearer ${reg.token}` };
    const t0 = Date.now() - 600_000;
    const ping = (eastM: number, s: number) => ({
      ...offsetM(site, eastM, 0),
      accuracyM: 8,
      timestamp: t0 + s * 1000,
      id: `p${s}`,
    });

    const inside = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: auth,
      body: { pings: [ping(-60, 0), ping(-5, 40), ping(2, 60), ping(0, 200)] },
    });
    expect(inside.status).toBe(202);
    expect(inside.body.events).toEqual([
      { type: "entered", kind: "footprint", storeId, at: new Date(t0 + 40_000).toISOString() },
      { type: "dwelled", kind: "footprint", storeId, at: new Date(t0 + 200_000).toISOString() },
    ]);

    // 2 km away: no cell of the store's cover, but the authorizer now says the device has an
    // open visit, so the state is read and the visit closes.
    const away = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: auth,
      body: { pings: [ping(2_000, 600)] },
    });
    expect(away.status).toBe(202);
    expect(away.body.events).toEqual([
      { type: "exited", kind: "footprint", storeId, at: new Date(t0 + 600_000).toISOString() },
    ]);
  });
});
