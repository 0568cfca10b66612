import { describe, expect, it } from "vitest";
import { handler as createStore } from "../../../functions/store-create.ts";
import { getPickup } from "../../../shared/use-cases/pickups/pickups.ts";
import { uniqueId } from "../../support/aws.ts";
import { isolatedSite, registeredDevice } from "../../support/fixtures.ts";
import { scriptStart } from "../../support/pings.ts";
import { invoke } from "../catalog/helpers.ts";
import {
  DRIVE_UP_EVENTS,
  FOOTPRINT_M,
  merchant,
  offsetM,
  parseMessages,
  pickupWorld,
  trajectory,
} from "./world.ts";

const T0 = scriptStart();
/** The curbside bay: a 6 m circle 52 m north of the centre, just beyond the footprint's edge. */
const BAY_NORTH_M = 52;
/** A second bay across the car park, 200 m north: no footprint cell reaches it. */
const FAR_BAY_NORTH_M = 200;

/** A store created through the catalog API with a footprint and two pickup bays. */
async function storeWithBays(merchantId: string) {
  const at = await isolatedSite();
  const res = await invoke<{ storeId: string }>(
    createStore,
    { merchantId, role: "merchant-admin" },
    {
      method: "POST",
      path: "/v1/stores",
      body: {
        name: "Drive-up store",
        externalRef: uniqueId("code"),
        location: at,
        footprint: { type: "Circle", center: at, radiusM: FOOTPRINT_M },
        pickupBays: [
          {
            name: "Bay 1",
            geometry: { type: "Circle", center: offsetM(at, 0, BAY_NORTH_M), radiusM: 6 },
          },
          {
            name: "Overflow",
            geometry: { type: "Circle", center: offsetM(at, 0, FAR_BAY_NORTH_M), radiusM: 8 },
          },
        ],
      },
    },
  );
  if (res.status !== 201) throw new Error(`store: ${res.status} ${JSON.stringify(res.body)}`);
  return { storeId: res.body.storeId, at };
}

/** A merchant with a store with bays, a pickup world from just before T0 and a registered device. */
async function bayScene() {
  const principal = merchant();
  const { storeId, at } = await storeWithBays(principal.merchantId);
  const world = await pickupWorld(T0 - 60_000);
  const device = await registeredDevice();
  return { principal, storeId, at, world, device };
}

describe("pickup bays on the local engines", () => {
  it("a car arrives: footprint entry is arrived, bay entry is waiting, in order, once", async () => {
    const { principal, storeId, at, world, device } = await bayScene();
    const { created } = await world.createAndAttach(principal, storeId, device);

    // 12 m/s from 3 km south to 60 m south, 3 m/s through the car park into the bay, then
    // parked in the bay for two minutes.
    const trip = trajectory(
      at,
      { eastM: 0, northM: -3000 },
      [
        { toNorthM: -60, speedMps: 12, everyS: 15 },
        { toNorthM: BAY_NORTH_M, speedMps: 3, everyS: 5 },
      ],
      T0,
    );
    const last = trip.at(-1)?.ping;
    if (!last) throw new Error("empty trip");
    const parked = Array.from({ length: 8 }, (_, i) => ({
      ...last,
      timestamp: last.timestamp + (i + 1) * 15_000,
      speedMps: 0,
    }));
    await world.follow(device, trip);
    for (const ping of parked) await world.post(device, [ping]);

    const view = await getPickup(world.deps, principal, created.pickupId);
    expect(view.state).toBe("waiting");
    const entry = trip.find((s) => Math.abs(s.northM) <= FOOTPRINT_M);
    const inBay = trip.find((s) => Math.abs(s.northM - BAY_NORTH_M) <= 6);
    expect(Date.parse(view.times.arrived ?? "")).toBe(entry?.ping.timestamp);
    expect(Date.parse(view.times.waiting ?? "")).toBe(inBay?.ping.timestamp);

    const types = parseMessages(await world.received()).map((m) => m.eventType);
    expect(types).toEqual([...DRIVE_UP_EVENTS, "pickup.waiting"]);
  });

  it("a car that stops in a bay without crossing the footprint arrived and waits at once", async () => {
    const { principal, storeId, at, world, device } = await bayScene();
    const trip = trajectory(
      at,
      { eastM: 0, northM: 1500 },
      [{ toNorthM: FAR_BAY_NORTH_M, speedMps: 5, everyS: 20 }],
      T0,
    );
    const { view } = await world.pickupAfter(principal, storeId, device, trip);
    expect(view.state).toBe("waiting");
    expect(view.times.arrived).toBe(view.times.waiting);
    const types = parseMessages(await world.received()).map((m) => m.eventType);
    expect(types.slice(-2)).toEqual(["pickup.arrived", "pickup.waiting"]);
  });

  it("a device without a pickup in a bay: no visit, no state read, no pickup work", async () => {
    const { at, world, device } = await bayScene();
    const bay = offsetM(at, 0, FAR_BAY_NORTH_M);
    const ping = { ...bay, accuracyM: 5, speedMps: 0 };
    // Twice: the first batch fills the cell cache, the second is the warm path.
    for (const ts of [T0, T0 + 60_000, T0 + 240_000]) {
      const result = await world.post(device, [{ ...ping, timestamp: ts }]);
      expect(result.events).toEqual([]);
      expect(result.stateRead).toBe(false);
      expect(result.pickups).toBeUndefined();
    }
  });
});
