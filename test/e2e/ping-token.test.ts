/**
 * `POST /v1/pings` has no Lambda authorizer: ping-ingest checks the device token itself. Through
 * the local server (no authorizer on this route, as deployed), every refused token gets the
 * device routes' 401 problem+json, and an admitted device is judged by its profile as it is now.
 */
import { describe, expect, it } from "vitest";
import { patchMe, registerDevice } from "../support/device-api.ts";
import { isolatedSite, middayZone, offset, seedStoreAndOffer } from "../support/fixtures.ts";
import { deviceToken } from "../support/http-events.ts";
import { call, useTestServer } from "../support/local-server.ts";

const server = useTestServer();

/** A device registered with the app key, in a zone where it is now midday. */
const register = () => registerDevice(server, { timeZone: middayZone() });

function ping(headers: Record<string, string>, at: { lat: number; lon: number }) {
  return call(`${server.url}/v1/pings`, {
    method: "POST",
    headers,
    body: { pings: [{ ...at, accuracyM: 10, timestamp: Date.now() - 5_000 }] },
  });
}

function expectRefused(res: Awaited<ReturnType<typeof call>>, detail: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ status: 401, detail });
}

describe("POST /v1/pings checks the device token in the function", () => {
  it("refuses a missing, forged, expired or non-bearer token with the same 401 as the authorizer", async () => {
    const site = await isolatedSite();
    const { deviceId } = await register();
    const now = Math.floor(Date.now() / 1000);
    expectRefused(await ping({}, site), "A device bearer token is required.");
    const invalid = "The device token is invalid or expired.";
    const forged = deviceToken(deviceId, { secret: "f".repeat(43) });
    expectRefused(await ping({ authorization: `Bearer ${forged}` }, site), invalid);
    // A forged token that has expired learns nothing more than a forged one.
    const forgedExpired = deviceToken(deviceId, { secret: "f".repeat(43), exp: now - 1 });
    expectRefused(await ping({ authorization: `Bearer ${forgedExpired}` }, site), invalid);
    const expiredAt = now - 1;
    const expired = deviceToken(deviceId, { iat: now - 7_200, exp: expiredAt });
    const saysExpired =
      `The device token expired at ${new Date(expiredAt * 1000).toISOString()}; ` +
      "register the device again (POST /v1/devices).";
    expectRefused(await ping({ authorization: `Bearer ${expired}` }, site), saysExpired);
    // The body is not even looked at: a refused token with a bad batch is still a 401.
    const bad = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: { authorization: `Bearer ${expired}` },
      body: { pings: [] },
    });
    expectRefused(bad, saysExpired);
    // Another device route (behind the authorizer) refuses the same tokens the same way.
    for (const [token, detail] of [
      [expired, saysExpired],
      [forgedExpired, invalid],
    ] as const) {
      const me = await call(`${server.url}/v1/devices/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expectRefused(me, detail);
    }
  });

  it("a token revoked by a refresh is refused at the next batch; the new one works", async () => {
    const site = await isolatedSite();
    const { token } = await register();
    expect((await ping({ authorization: `Bearer ${token}` }, site)).status).toBe(202);
    // A second later, so the new token's iat is after the old one's (revocation is per second).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refreshed = await call(`${server.url}/v1/devices/me/token`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: { revokeEarlier: true },
    });
    expect(refreshed.status).toBe(200);
    expectRefused(
      await ping({ authorization: `Bearer ${token}` }, site),
      "The device token is invalid or expired.",
    );
    const fresh = await ping({ authorization: `Bearer ${refreshed.body.token}` }, site);
    expect(fresh.status).toBe(202);
  });

  it("segments changed on the profile decide the next batch (no cached context)", async () => {
    const seeded = await seedStoreAndOffer({
      offer: { segments: ["vip"], allowSelfDeclaredSegments: true },
    });
    const { token } = await register();
    const auth = { authorization: `Bearer ${token}` };
    const far = await ping(auth, offset(seeded.location, 20_000, 0));
    expect(far.status).toBe(202);
    const patched = await patchMe(server, auth, { segments: ["vip"] });
    expect(patched.status).toBe(200);
    const inside = await call(`${server.url}/v1/pings`, {
      method: "POST",
      headers: auth,
      body: {
        pings: [0, 1, 2].map((i) => ({
          ...offset(seeded.location, i, 0),
          accuracyM: 8,
          timestamp: Date.now() - 3_000 + i * 1000,
        })),
      },
    });
    expect(inside.status).toBe(202);
    expect(inside.body.incentives).toHaveLength(1);
  });
});
