import { describe, expect, it } from "vitest";
import {
  applyRouteEstimate,
  DEFAULT_ROUTE_REFINEMENT,
  type Pickup,
  routeRequest,
  staffAction,
} from "../../../shared/domain/pickup/pickup.ts";

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);

/** An attached pickup en route, `distanceM` from the footprint closing at `mps`. */
function travelling(distanceM: number, mps: number, overrides: Partial<Pickup> = {}): Pickup {
  return {
    merchantId: "m_a",
    pickupId: "pu_0123456789",
    storeId: "st_0123456789",
    orderRef: "A-1",
    mode: "in_store",
    promisedAt: T0 + 3_600_000,
    stage: "en_route",
    times: { created: T0 - 600_000, attached: T0 - 600_000, en_route: T0 - 300_000 },
    nearbyThresholdS: 300,
    deviceId: "dv_0123456789",
    trip: { ts: T0, lat: 48.85, lon: 2.33, distanceM, closingMps: mps },
    estimatedArrivalAt: T0 + Math.round((distanceM / mps) * 1000),
    version: 3,
    ...overrides,
  };
}

describe("route refinement (pure)", () => {
  it("asks only in the band around the threshold, not yet nearby, once per interval", () => {
    // 12 m/s: 600 m = 50 s (below 75 s), 3,000 m = 250 s, 8,000 m = 667 s (above 600 s).
    expect(routeRequest(travelling(600, 12), T0)).toBeUndefined();
    expect(routeRequest(travelling(3000, 12), T0)).toMatchObject({
      mode: "car",
      distanceEtaS: 250,
    });
    expect(routeRequest(travelling(8000, 12), T0)).toBeUndefined();
    expect(routeRequest(travelling(3000, 12, { stage: "nearby" }), T0)).toBeUndefined();
    const asked = travelling(3000, 12, { routeCheckedAt: T0 - 30_000 });
    expect(routeRequest(asked, T0)).toBeUndefined();
    expect(routeRequest(asked, T0 + 30_000)).toBeDefined();
    expect(routeRequest(travelling(300, 1.4), T0)).toMatchObject({ mode: "walk" });
    const { deviceId: _d, ...detached } = travelling(3000, 12);
    expect(routeRequest(detached, T0)).toBeUndefined();
  });

  it("a travel time sets the estimate and the ratio, and fires nearby under the threshold", () => {
    const p = travelling(3000, 12, { estimatedArrivalAt: T0 + 400_000 });
    const request = { from: { lat: 0, lon: 0 }, mode: "car" as const, distanceEtaS: 400 };
    const slower = applyRouteEstimate(p, request, 500, T0);
    expect(slower.events).toEqual([]);
    expect(slower.pickup).toMatchObject({
      routeRatio: 1.25,
      estimatedArrivalAt: T0 + 500_000,
      routeCheckedAt: T0,
    });
    const faster = applyRouteEstimate(p, request, 280, T0);
    expect(faster.events.map((e) => e.type)).toEqual(["nearby"]);
    expect(faster.pickup.nearbyEstimateAt).toBe(T0 + 280_000);
    // Clamped: a route ten times the straight line is a bad answer, not a tenfold estimate.
    const absurd = applyRouteEstimate(p, request, 4000, T0);
    expect(absurd.pickup.routeRatio).toBe(DEFAULT_ROUTE_REFINEMENT.ratioBounds[1]);
  });

  it("a failed route only records the ask; the end of the pickup drops the route memory", () => {
    const p = travelling(3000, 12);
    const request = { from: { lat: 0, lon: 0 }, mode: "car" as const, distanceEtaS: 250 };
    const failed = applyRouteEstimate(p, request, undefined, T0);
    expect(failed.events).toEqual([]);
    expect(failed.pickup.estimatedArrivalAt).toBe(p.estimatedArrivalAt);
    expect(failed.pickup.routeCheckedAt).toBe(T0);
    const refined = applyRouteEstimate(p, request, 500, T0).pickup;
    const done = staffAction(refined, "cancel", T0 + 1000).pickup;
    expect(done.routeRatio).toBeUndefined();
    expect(done.routeCheckedAt).toBeUndefined();
    expect(done.trip).toBeUndefined();
  });
});
