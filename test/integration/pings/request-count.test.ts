import { beforeEach, describe, expect, it, vi } from "vitest";
import { cellsForPoint } from "../../../shared/domain/geometry/cover.ts";
import { uniqueId } from "../../support/aws.ts";
import { coldPingHandler } from "../../support/cold-ping-handler.ts";
import { bodyOf } from "../../support/http-events.ts";
import { offsetM } from "../../support/pings.ts";

/** A spot with no geofence: the Great Sandy Desert. */
const EMPTY = { lat: -20.5, lon: 124.5 };

/** A device context as the authorizer made it `ageMs` ago (0: for this request, not cached). */
function device(openZones = 0, ageMs = 0) {
  return {
    deviceId: uniqueId("dev"),
    consentLocation: true,
    consentMarketing: true,
    timeZone: "Australia/Perth",
    segments: "[]",
    platform: "android",
    openZones,
    authorizedAt: Date.now() - ageMs,
  };
}

/** 100 pings on a 10 × 10 grid `stepM` apart, one per second ending now. */
function grid(origin: { lat: number; lon: number }, stepM: number, now = Date.now()) {
  return Array.from({ length: 100 }, (_, k) => ({
    ...offsetM(origin, (k % 10) * stepM, Math.floor(k / 10) * stepM),
    accuracyM: 15,
    timestamp: now - (100 - k) * 1000,
  }));
}

describe("DynamoDB requests per ping batch (real handler, SDK middleware count)", () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it("a warm batch of 100 pings in no zone costs zero requests", async () => {
    const { requests, post } = await coldPingHandler();
    const dev = device();
    const origin = offsetM(EMPTY, 0, 0);
    const cold = await post(grid(origin, 40), dev);
    expect(cold.statusCode).toBe(202);
    expect(requests.length).toBeGreaterThan(0);
    requests.length = 0;
    // The same places a little later (another device even): every cell is cached, negatively.
    const warm = await post(grid(origin, 40, Date.now() + 1), device());
    expect(warm.statusCode).toBe(202);
    expect(bodyOf(warm)).toMatchObject({ accepted: 100, rejected: [], events: [] });
    expect(requests).toEqual([]);
  });

  it("a context API Gateway reused from its cache costs one small profile read, never a state read", async () => {
    const { requests, post } = await coldPingHandler();
    const origin = offsetM(EMPTY, 0, 0);
    await post(grid(origin, 40), device());
    requests.length = 0;
    // Its openZones may predate an entry: the count on the profile decides, not the cached one.
    const cached = await post(grid(origin, 40, Date.now() + 1), device(0, 30_000));
    expect(cached.statusCode).toBe(202);
    expect(requests.map((r) => r.command)).toEqual(["GetItemCommand"]);
  });

  it("a cold batch across many cells costs one parallel round of BatchGetItem and nothing else", async () => {
    const { requests, post } = await coldPingHandler();
    const pings = grid(offsetM(EMPTY, 30_000, 30_000), 2_000);
    const unique = new Set(pings.flatMap((p) => cellsForPoint(p.lat, p.lon)));
    expect(unique.size).toBeGreaterThan(300);
    const result = await post(pings, device());
    expect(result.statusCode).toBe(202);
    expect(bodyOf(result)).toMatchObject({ accepted: 100, events: [] });
    expect(requests.map((r) => r.command)).toEqual(
      Array.from({ length: Math.ceil(unique.size / 100) }, () => "BatchGetItemCommand"),
    );
    // One round: every request started before the first one finished.
    const lastStart = Math.max(...requests.map((r) => r.start));
    const firstEnd = Math.min(...requests.map((r) => r.end));
    expect(lastStart).toBeLessThan(firstEnd);
  });
});
