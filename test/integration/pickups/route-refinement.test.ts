import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  amazonLocationCall,
  amazonLocationRoutes,
} from "../../../shared/adapters/location/route-calculator.ts";
import { DEFAULT_ROUTE_REFINEMENT } from "../../../shared/domain/pickup/pickup.ts";
import { getPickup } from "../../../shared/use-cases/pickups/pickups.ts";
import { type FakeAwsService, fakeAwsService, fakeCredentials } from "../../support/fake-aws.ts";
import { haversineM, scriptStart } from "../../support/pings.ts";
import { FOOTPRINT_M, parseMessages, pickupScene, trajectory } from "./world.ts";

const T0 = scriptStart();
const SPEED = 12;
/** The road the route calculator knows is 1.25 times the straight line, at the same speed. */
const CIRCUITY = 1.25;
const CALCULATOR = "footfall-pickups";

// Amazon Location has no emulator: CalculateRoute is answered by a local stand-in that checks
// each request's signature as the service would.
const REGION = "eu-west-3";
let location: FakeAwsService;
beforeAll(async () => {
  location = await fakeAwsService({ name: "geo", region: REGION });
});
afterAll(() => location.close());
afterEach(() => {
  location.calls.length = 0;
});

/** The CalculateRoute requests the service received (all validly signed, to this calculator). */
function calculateRouteCalls() {
  return location.calls.map((c) => {
    expect(c.signatureValid).toBe(true);
    expect(c.path).toBe(`/routes/v0/calculators/${CALCULATOR}/calculate/route`);
    return c.body as { DeparturePosition: number[]; TravelMode: string; DepartNow: boolean };
  });
}

async function carTrip() {
  const { principal, seeded, world, device } = await pickupScene(T0, {
    routes: amazonLocationRoutes(
      amazonLocationCall({
        env: { AWS_REGION: REGION, AWS_ENDPOINT_URL_LOCATION: location.url },
        credentials: fakeCredentials,
      }),
      CALCULATOR,
    ),
    routeRefinement: DEFAULT_ROUTE_REFINEMENT,
  });
  const { created } = await world.createAndAttach(principal, seeded.storeId, device);
  const trip = trajectory(
    seeded.location,
    { eastM: 0, northM: -8000 },
    [
      { toNorthM: -60, speedMps: SPEED, everyS: 15 },
      { toNorthM: -10, speedMps: 3, everyS: 10 },
    ],
    T0,
  );
  return { principal, seeded, world, device, created, trip };
}

/** Seconds of road travel from a departure position to the footprint, as the mock answers. */
function roadSeconds(store: { lat: number; lon: number }, position: number[] | undefined) {
  const [lon, lat] = position as [number, number];
  const edge = Math.max(0, haversineM({ lat, lon }, store) - FOOTPRINT_M);
  return (CIRCUITY * edge) / SPEED;
}

describe("arrival estimates refined by Amazon Location routes (CalculateRoute mocked)", () => {
  it("a car at 12 m/s: routes only near the threshold, at most one a minute; nearby follows the road", async () => {
    const { principal, seeded, world, device, created, trip } = await carTrip();
    location.answer((call) => ({
      body: {
        Summary: {
          DurationSeconds: roadSeconds(
            seeded.location,
            (call.body as { DeparturePosition: number[] }).DeparturePosition,
          ),
        },
      },
    }));
    await world.follow(device, trip);

    const calls = calculateRouteCalls();
    expect(calls.length).toBeGreaterThan(0);
    for (const input of calls) {
      expect(input.TravelMode).toBe("Car");
      expect(input.DepartNow).toBe(true);
      // Asked only while the estimate lay in [0.25, 2] × 5 min (straight line, 12 m/s).
      const straightS = roadSeconds(seeded.location, input.DeparturePosition) / CIRCUITY;
      expect(straightS).toBeGreaterThanOrEqual(0.25 * 300 - 15);
      expect(straightS).toBeLessThanOrEqual(2 * 300 + 15);
    }
    // The band (10 min down to 5 min, where nearby fires) takes 5 minutes at most: ≤ 6 calls.
    expect(calls.length).toBeLessThanOrEqual(6);

    const view = await getPickup(world.deps, principal, created.pickupId);
    expect(view.state).toBe("arrived");
    // Nearby fired when the road estimate (1.25 × straight) dropped to 5 min, within one ping.
    const tEntry = T0 + ((8000 - 60) / SPEED + (60 - FOOTPRINT_M) / 3) * 1000;
    const roadUnder = trip.findIndex((s) => (CIRCUITY * (tEntry - s.ping.timestamp)) / 1000 <= 300);
    const nearbyIndex = trip.findIndex(
      (s) => s.ping.timestamp === Date.parse(view.times.nearby ?? ""),
    );
    expect(Math.abs(nearbyIndex - roadUnder)).toBeLessThanOrEqual(1);
    const types = parseMessages(await world.received()).map((m) => m.eventType);
    expect(types.filter((t) => t === "pickup.nearby")).toHaveLength(1);
  });

  it("a failing route service: distance-based estimates, one ask a minute, pings still accepted", async () => {
    const { principal, world, device, created, trip } = await carTrip();
    location.answer(() => ({
      status: 429,
      headers: { "x-amzn-errortype": "ThrottlingException" },
      body: { message: "Rate exceeded" },
    }));
    for (const step of trip) {
      const result = await world.post(device, [step.ping]);
      expect(result.accepted).toBe(1);
    }
    const calls = calculateRouteCalls();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThanOrEqual(6);
    const view = await getPickup(world.deps, principal, created.pickupId);
    expect(view.state).toBe("arrived");
    // Nearby as without refinement: within one ping of the straight-line 5 minutes.
    const tEntry = T0 + ((8000 - 60) / SPEED + (60 - FOOTPRINT_M) / 3) * 1000;
    const firstUnder = trip.findIndex((s) => tEntry - s.ping.timestamp <= 300_000);
    const nearbyIndex = trip.findIndex(
      (s) => s.ping.timestamp === Date.parse(view.times.nearby ?? ""),
    );
    expect(Math.abs(nearbyIndex - firstUnder)).toBeLessThanOrEqual(1);
  });
});
