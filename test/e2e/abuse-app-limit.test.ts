/**
 * The per-app registration limit over the local HTTP API: a farm spreading its registrations over
 * many source addresses still meets the app's own ceiling, and other apps are unaffected.
 */
import { describe, expect, it } from "vitest";
import { createTestAppKey } from "../support/app-keys.ts";
import { useTestServer } from "../support/local-server.ts";
import { callFrom, loopbackAddress } from "../support/source-address.ts";

// A small per-app ceiling for this file's server (config is read when the handler first loads);
// the per-address limit stays far above it so only the app's limit can refuse.
const PER_APP = 12;
process.env.REGISTRATION_LIMIT_PER_APP = String(PER_APP);
process.env.REGISTRATION_LIMIT_PER_ADDRESS = "100000";

const server = useTestServer();

const register = (appKey: string, from = loopbackAddress()) =>
  callFrom(from, `${server.url}/v1/devices`, {
    method: "POST",
    headers: { "x-app-key": appKey },
    body: { platform: "ios", consent: { location: true, marketing: true } },
  });

describe("per-app registration limit", () => {
  it("a 60-request burst from 60 addresses for one app: the limit accepted, the rest 429 naming the app", async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => register(server.appKey)));
    const accepted = results.filter((r) => r.status === 201).length;
    const limited = results.filter((r) => r.status === 429);
    console.log(
      `60 registrations of one app from 60 addresses (limit ${PER_APP}/min): ${accepted} accepted, ${limited.length} × 429`,
    );
    // A fixed window may roll over during the burst: then at most twice the limit.
    expect(accepted === PER_APP || (accepted > PER_APP && accepted <= 2 * PER_APP)).toBe(true);
    expect(accepted + limited.length).toBe(60);
    const refused = limited[0];
    expect(refused?.headers["content-type"]).toBe("application/problem+json");
    expect(refused?.body).toMatchObject({ status: 429, scope: "app" });
    const retryAfter = Number(refused?.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused?.body.retryAfterSeconds).toBe(retryAfter);
  });

  it("another app of the same deployment still registers while the first is limited", async () => {
    const other = await createTestAppKey("other app");
    // Exhaust the first app's window (whatever is left of it), then prove it is refused.
    let firstRefused = false;
    for (let i = 0; i < 2 * PER_APP + 1 && !firstRefused; i++) {
      firstRefused = (await register(server.appKey)).status === 429;
    }
    expect(firstRefused).toBe(true);
    const res = await register(other.appKey);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.device.appId).toBe(other.appId);
  });

  it("an unknown app key is refused with 401, not 429", async () => {
    const res = await register(`ffk_${"A".repeat(43)}`);
    expect(res.status).toBe(401);
  });
});
