import { describe, expect, it } from "vitest";
import { handler } from "../../../functions/ping-ingest.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import type { HttpResult } from "../../../shared/http/types.ts";
import { uniqueId } from "../../support/aws.ts";
import { indexFootprint, registeredDevice, storedItem } from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext } from "../../support/http-events.ts";
import { offsetM } from "../../support/pings.ts";

let siteCounter = 0;
/** A fresh spot per test, away from the other ping tests' sites. */
function newSite() {
  siteCounter += 1;
  return { lat: 43.3 + 0.1 * siteCounter, lon: -1.9 };
}

function device(overrides: Record<string, string | number | boolean> = {}) {
  return {
    deviceId: uniqueId("dev"),
    consentLocation: true,
    consentMarketing: false,
    timeZone: "Europe/Madrid",
    segments: "[]",
    platform: "ios",
    ...overrides,
  };
}

const registered = new Set<string>();

/** Stores the device's profile once, as `POST /v1/devices` would: pings of unknown devices get 401. */
async function register(ctx: Record<string, string | number | boolean>): Promise<void> {
  const deviceId = String(ctx.deviceId);
  if (registered.has(deviceId)) return;
  registered.add(deviceId);
  await registeredDevice({
    deviceId,
    consentLocation: ctx.consentLocation === true,
    consentMarketing: ctx.consentMarketing === true,
    timeZone: String(ctx.timeZone),
    platform: String(ctx.platform),
  });
}

async function post(
  body: unknown,
  ctx: Record<string, string | number | boolean> | null = device(),
  rawBody?: string,
): Promise<HttpResult> {
  if (ctx) await register(ctx);
  const event = httpEvent({
    method: "POST",
    path: "/v1/pings",
    ...(rawBody !== undefined ? { rawBody } : { body }),
    ...(ctx ? { device: ctx } : {}),
  });
  return (await handler(event, lambdaContext)) as HttpResult;
}

async function storedVisits(deviceId: string) {
  return await storedItem("DEVICES_TABLE", deviceKeys.visits(deviceId));
}

describe("POST /v1/pings (handler): bad pings", () => {
  it("reports each bad ping by index and field, and processes the good ones (202)", async () => {
    const site = newSite();
    const storeId = await indexFootprint(site);
    const now = Date.now();
    const at = (s: number, e = 0) => ({
      ...offsetM(site, e, 0),
      accuracyM: 10,
      timestamp: now - 200_000 + s * 1000,
    });
    const pings = [
      at(0, -120), // 0 good, outside
      { ...at(10), lat: 91 }, // 1
      { ...at(20), lon: -181 }, // 2
      { ...at(30), accuracyM: 0 }, // 3
      { ...at(40), accuracyM: 5001 }, // 4
      { ...at(50), timestamp: now + 3 * 60_000 }, // 5
      { ...at(60), timestamp: now - 25 * 3_600_000 }, // 6
      { ...at(70), altitude: 35 }, // 7
      at(80, -10), // 8 good, inside
      { ...at(90), lat: "48.1" }, // 9
      at(100, 5), // 10 good, inside
    ];
    const dev = device();
    // 1e999 is how JSON says "infinite": it parses to Infinity and must be refused too.
    const raw = JSON.stringify({ pings }).replace('"lat":91', '"lat":1e999');
    const result = await post(undefined, dev, raw);
    expect(result.statusCode).toBe(202);
    const body = bodyOf<{
      accepted: number;
      rejected: { index: number; field: string; reason: string }[];
      events: unknown[];
    }>(result);
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.field])).toEqual([
      [1, "lat"],
      [2, "lon"],
      [3, "accuracyM"],
      [4, "accuracyM"],
      [5, "timestamp"],
      [6, "timestamp"],
      [7, "altitude"],
      [9, "lat"],
    ]);
    expect(body.rejected.find((r) => r.index === 1)?.reason).toMatch(/Infinity/);
    expect(body.rejected.find((r) => r.index === 5)?.reason).toBe(
      "more than 2 minutes in the future",
    );
    expect(body.rejected.find((r) => r.index === 6)?.reason).toBe("older than 24 hours");
    expect(body.rejected.find((r) => r.index === 7)?.reason).toBe("unknown field");
    // The good pings worked: the device entered the footprint at the first good inside ping.
    expect(body.events).toEqual([
      {
        type: "entered",
        kind: "footprint",
        storeId,
        at: new Date(now - 200_000 + 80_000).toISOString(),
      },
    ]);
    expect((await storedVisits(dev.deviceId))?.state.zones).toHaveLength(1);
  });

  it("answers 400 problem+json when no ping is accepted, keeping every per-index reason", async () => {
    const dev = device();
    const result = await post(
      { pings: [{ lat: 0 }, { lat: 1, lon: 1, accuracyM: 5, timestamp: 1 }] },
      dev,
    );
    expect(result.statusCode).toBe(400);
    expect(result.headers?.["content-type"]).toBe("application/problem+json");
    const problem = bodyOf<{
      detail: string;
      accepted: number;
      errors: { path: string; reason: string }[];
      rejected: { index: number; field: string; reason: string }[];
    }>(result);
    expect(problem.detail).toBe("No ping was accepted: all 2 pings were rejected (see errors).");
    expect(problem.accepted).toBe(0);
    expect(problem.errors.map((e) => e.path)).toEqual([
      "pings/0/lon",
      "pings/0/accuracyM",
      "pings/0/timestamp",
      "pings/1/timestamp",
    ]);
    expect(problem.rejected.map((r) => [r.index, r.field])).toEqual([
      [0, "lon"],
      [0, "accuracyM"],
      [0, "timestamp"],
      [1, "timestamp"],
    ]);
    expect(problem.rejected[3]?.reason).toMatch(/^looks like epoch seconds \(1 seconds = /);
    expect(await storedVisits(dev.deviceId)).toBeUndefined();
  });

  it("tells a phone sending epoch seconds exactly that (400), and accepts the same ping in ms", async () => {
    const site = newSite();
    await indexFootprint(site);
    const dev = device();
    const nowS = Math.floor(Date.now() / 1000) - 10;
    const ping = { ...site, accuracyM: 10 };
    const bad = await post({ pings: [{ ...ping, timestamp: nowS }] }, dev);
    expect(bad.statusCode).toBe(400);
    const problem = bodyOf<{ detail: string; errors: { path: string; reason: string }[] }>(bad);
    expect(problem.errors).toEqual([
      {
        path: "pings/0/timestamp",
        reason: `looks like epoch seconds (${nowS} seconds = ${new Date(nowS * 1000).toISOString()}); send epoch milliseconds (multiply by 1000) or an RFC 3339 date-time with offset`,
      },
    ]);
    expect(problem.detail).toMatch(
      /^No ping was accepted: pings\/0\/timestamp: looks like epoch seconds/,
    );
    const good = await post({ pings: [{ ...ping, timestamp: nowS * 1000 }] }, dev);
    expect(good.statusCode).toBe(202);
    expect(bodyOf<{ accepted: number }>(good).accepted).toBe(1);
  });

  it("refuses more than 100 pings, an empty batch and unknown envelope fields (400 problem)", async () => {
    const site = newSite();
    const one = { ...site, accuracyM: 10, timestamp: Date.now() - 1000 };
    const cases: [unknown, string][] = [
      [{ pings: Array.from({ length: 101 }, () => one) }, "pings"],
      [{ pings: [] }, "pings"],
      [{}, "pings"],
      [{ pings: [one], deviceId: "someone-else" }, "deviceId"],
    ];
    for (const [body, path] of cases) {
      const dev = device();
      const result = await post(body, dev);
      expect(result.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(result.headers?.["content-type"]).toBe("application/problem+json");
      const problem = bodyOf<{ errors: { path: string; reason: string }[] }>(result);
      expect(problem.errors.map((e) => e.path)).toEqual([path]);
      expect(await storedVisits(dev.deviceId)).toBeUndefined();
    }
  });

  it("refuses a body that is not JSON (400) and a request without a device (401)", async () => {
    const notJson = await post(undefined, device(), "{pings:");
    expect(notJson.statusCode).toBe(400);
    const anonymous = await post({ pings: [{ lat: 0, lon: 0, accuracyM: 5, timestamp: 1 }] }, null);
    expect(anonymous.statusCode).toBe(401);
  });

  it("answers 403 to a device without location consent and stores nothing", async () => {
    const site = newSite();
    await indexFootprint(site);
    const dev = device({ consentLocation: false });
    const pings = [0, 60, 130].map((s) => ({
      ...site,
      accuracyM: 10,
      timestamp: Date.now() - 200_000 + s * 1000,
    }));
    const result = await post({ pings }, dev);
    expect(result.statusCode).toBe(403);
    expect(bodyOf(result)).toMatchObject({ status: 403 });
    expect(await storedVisits(dev.deviceId)).toBeUndefined();
  });
});
