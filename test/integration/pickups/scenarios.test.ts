import { describe, expect, it } from "vitest";
import { pickupKeys } from "../../../shared/domain/pickup/keys.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import { eraseDevice } from "../../../shared/use-cases/devices.ts";
import {
  attachPickupToDevice,
  deviceArrived,
  getPickup,
  listStorePickups,
  staffUpdatePickup,
} from "../../../shared/use-cases/pickups/pickups.ts";
import { eraseDepsFromEnv } from "../../../shared/wiring/device-deps.ts";
import {
  deviceProfile,
  registeredDevice,
  seedStoreAndOffer,
  storedItem,
} from "../../support/fixtures.ts";
import { scriptStart } from "../../support/pings.ts";
import {
  carApproach,
  DRIVE_UP_EVENTS,
  FOOTPRINT_M,
  merchant,
  parseMessages,
  pickupScene,
  trajectory,
} from "./world.ts";

const T0 = scriptStart();

const scene = () => pickupScene(T0);

/** The scene with a pickup ordered at its store and attached to its device. */
async function sceneWithPickup() {
  const at = await scene();
  const { created } = await at.world.createAndAttach(at.principal, at.seeded.storeId, at.device);
  return { ...at, created };
}

async function pickupItem(merchantId: string, pickupId: string) {
  return await storedItem("INCENTIVES_TABLE", pickupKeys.pickup(merchantId, pickupId));
}

async function profileRefs(deviceId: string) {
  return [...(((await deviceProfile(deviceId))?.pickupRefs as Set<string> | undefined) ?? [])];
}

describe("pickup scenarios on the local engines (DynamoDB Local, fauxqs)", () => {
  it("a car at 12 m/s from 8 km: en route, nearby within one ping of 5 min, arrived on entry", async () => {
    const { principal, seeded, world, device } = await scene();
    // 12 m/s until 60 m from the store's centre (20 m before the footprint), then 3 m/s into the
    // car park; a fix every 15 s, then every 10 s.
    const trip = carApproach(seeded.location, 8000, T0);
    const { created, view } = await world.pickupAfter(principal, seeded.storeId, device, trip);
    expect(view.state).toBe("arrived");
    const at = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);
    // Arrival: the first fix inside the footprint (40 m).
    const entry = trip.find((s) => Math.abs(s.northM) <= FOOTPRINT_M);
    expect(at(view.times.arrived)).toBe(entry?.ping.timestamp);
    // The true arrival time is the footprint entry (continuous motion): the last 20 m at 3 m/s.
    const tEntry = T0 + ((8000 - 60) / 12 + (60 - FOOTPRINT_M) / 3) * 1000;
    const firstUnder = trip.findIndex((s) => tEntry - s.ping.timestamp <= 300_000);
    const nearbyIndex = trip.findIndex((s) => s.ping.timestamp === at(view.times.nearby));
    expect(Math.abs(nearbyIndex - firstUnder)).toBeLessThanOrEqual(1);
    expect(at(view.times.en_route)).toBe(trip[1]?.ping.timestamp);

    // Estimate error: the estimate made at `nearby` against the real arrival.
    const item = await pickupItem(principal.merchantId, created.pickupId);
    const errorS =
      (Number(view.times.arrived && at(view.times.arrived)) - Number(item?.nearbyEstimateAt)) /
      1000;
    console.info(`pickup estimate error, car 12 m/s from 8 km: ${errorS.toFixed(1)} s late`);
    expect(Math.abs(errorS)).toBeLessThan(60);

    const messages = parseMessages(await world.received());
    expect(messages.map((m) => m.eventType)).toEqual(DRIVE_UP_EVENTS);
    expect(messages.every((m) => m.merchantId === principal.merchantId)).toBe(true);
    expect(messages[3]?.estimatedArrivalAt).toBeDefined();

    // Staff board: the pickup with its state and vehicle; completion takes it off the board
    // and drops the device's reference and the trip.
    const board = await listStorePickups(world.deps, principal, seeded.storeId);
    expect(board.items.map((p) => [p.pickupId, p.state])).toEqual([[created.pickupId, "arrived"]]);
    await staffUpdatePickup(world.deps, principal, created.pickupId, "ready");
    await staffUpdatePickup(world.deps, principal, created.pickupId, "complete");
    expect((await listStorePickups(world.deps, principal, seeded.storeId)).items).toEqual([]);
    expect(await profileRefs(device.deviceId)).toEqual([]);
    const done = await pickupItem(principal.merchantId, created.pickupId);
    expect(done?.trip).toBeUndefined();
    expect(done?.deviceId).toBeUndefined();
    // Off the board, into the store's ended pickups (the metrics' partition).
    expect(done?.gsi1pk).toBe(pickupKeys.finished(principal.merchantId, seeded.storeId));
    const tail = parseMessages(await world.received()).map((m) => m.eventType);
    expect(tail).toEqual(["pickup.ready", "pickup.completed"]);
  });

  it("a walk-in at 1.4 m/s from 600 m arrives; the estimate error is small", async () => {
    const { principal, seeded, world, device } = await scene();
    const trip = trajectory(
      seeded.location,
      { eastM: 0, northM: -600 },
      [{ toNorthM: -20, speedMps: 1.4, everyS: 30 }],
      T0,
    );
    const { created, view } = await world.pickupAfter(principal, seeded.storeId, device, trip, {
      mode: "in_store",
    });
    expect(view.state).toBe("arrived");
    expect(Object.keys(view.times)).toEqual([
      "created",
      "attached",
      "en_route",
      "nearby",
      "arrived",
    ]);
    const item = await pickupItem(principal.merchantId, created.pickupId);
    const errorS = (Date.parse(view.times.arrived ?? "") - Number(item?.nearbyEstimateAt)) / 1000;
    console.info(`pickup estimate error, walk-in 1.4 m/s from 600 m: ${errorS.toFixed(1)} s late`);
    expect(Math.abs(errorS)).toBeLessThan(45);
  });

  it("a drive-past at 14 m/s, 150 m off the store, never arrives; nor does a drive-through", async () => {
    const { principal, seeded, world, device } = await scene();
    const trip = trajectory(
      seeded.location,
      { eastM: 150, northM: -3000 },
      [{ toNorthM: 3000, speedMps: 14, everyS: 15 }],
      T0,
    );
    const { view } = await world.pickupAfter(principal, seeded.storeId, device, trip);
    expect(view.times.arrived).toBeUndefined();
    expect(["en_route", "nearby"]).toContain(view.state);
    // Driving away: no estimate is shown any more.
    expect(view.estimatedArrivalAt).toBeUndefined();

    const other = await registeredDevice();
    const straight = trajectory(
      seeded.location,
      { eastM: 0, northM: -3000 },
      [{ toNorthM: 3000, speedMps: 14, everyS: 5 }],
      T0,
    );
    const { view: view2 } = await world.pickupAfter(principal, seeded.storeId, other, straight);
    expect(view2.times.arrived).toBeUndefined();
    const board = await listStorePickups(world.deps, principal, seeded.storeId);
    expect(board.items).toHaveLength(2);
  });

  it("a cancelled order: no further events, the device's location no longer used", async () => {
    const { principal, seeded, world, device, created } = await sceneWithPickup();
    const trip = trajectory(
      seeded.location,
      { eastM: 0, northM: -3000 },
      [
        { toNorthM: -150, speedMps: 12, everyS: 15 },
        { toNorthM: 0, speedMps: 2, everyS: 10 },
      ],
      T0,
    );
    const half = Math.floor(trip.length / 3);
    await world.follow(device, trip.slice(0, half));
    // A device context from before the cancel (as cached by API Gateway) still names it.
    const stale = await world.authorized(device);
    expect(stale.pickupRefs).toHaveLength(1);
    await staffUpdatePickup(world.deps, principal, created.pickupId, "cancel");
    expect(await profileRefs(device.deviceId)).toEqual([]);
    const before = parseMessages(await world.received()).map((m) => m.eventType);
    expect(before.at(-1)).toBe("pickup.cancelled");
    for (const step of trip.slice(half)) {
      const result = await world.post(device, [step.ping]);
      expect(result.pickups).toBeUndefined();
    }
    expect(await world.received()).toEqual([]);
    const view = await getPickup(world.deps, principal, created.pickupId);
    expect(view.state).toBe("cancelled");
    expect(view.times.arrived).toBeUndefined();
    await expect(
      staffUpdatePickup(world.deps, principal, created.pickupId, "ready"),
    ).rejects.toMatchObject({
      status: 409,
    });
  });

  it("two stores of different merchants: neither sees the other's pickups", async () => {
    const a = await sceneWithPickup();
    const { created } = a;
    const b = merchant();
    const storeB = await seedStoreAndOffer({ merchantId: b.merchantId });
    const deviceB = await registeredDevice();
    const pickupB = await a.world.createAndAttach(b, storeB.storeId, deviceB);
    await expect(getPickup(a.world.deps, b, created.pickupId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      staffUpdatePickup(a.world.deps, b, created.pickupId, "cancel"),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(listStorePickups(a.world.deps, b, a.seeded.storeId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // A pickup cannot be created at another merchant's store.
    await expect(
      a.world.createAndAttach(b, a.seeded.storeId, await registeredDevice()),
    ).rejects.toBeInstanceOf(NotFoundError);
    const boardA = await listStorePickups(a.world.deps, a.principal, a.seeded.storeId);
    const boardB = await listStorePickups(a.world.deps, b, storeB.storeId);
    expect(boardA.items.map((p) => p.pickupId)).toEqual([created.pickupId]);
    expect(boardB.items.map((p) => p.pickupId)).toEqual([pickupB.created.pickupId]);
    // A device cannot claim another device's pickup, nor reuse a token.
    await expect(deviceArrived(a.world.deps, deviceB, created.pickupId)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      attachPickupToDevice(a.world.deps, deviceB, created.attachToken),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a shopper without location consent arrives by hand ('I'm here')", async () => {
    const { principal, seeded, world } = await scene();
    const device = await registeredDevice({ consentLocation: false });
    const { created } = await world.createAndAttach(principal, seeded.storeId, device);
    const signedIn = await world.authorized(device);
    const arrived = await deviceArrived(world.deps, signedIn, created.pickupId);
    expect(arrived.state).toBe("arrived");
    const again = await deviceArrived(world.deps, signedIn, created.pickupId);
    expect(again.times).toEqual(arrived.times);
    const view = await getPickup(world.deps, principal, created.pickupId);
    expect(view.arrivalSource).toBe("manual");
    const types = parseMessages(await world.received()).map((m) => m.eventType);
    expect(types).toEqual(["pickup.created", "pickup.attached", "pickup.arrived"]);
  });

  it("erasing the device detaches its active pickup: no device id or trip is left", async () => {
    const { principal, seeded, world, device, created } = await sceneWithPickup();
    const trip = trajectory(
      seeded.location,
      { eastM: 0, northM: -1000 },
      [{ toNorthM: -500, speedMps: 10, everyS: 15 }],
      T0,
    );
    await world.follow(device, trip);
    expect((await pickupItem(principal.merchantId, created.pickupId))?.trip).toBeDefined();
    await eraseDevice(eraseDepsFromEnv(), device.deviceId);
    const item = await pickupItem(principal.merchantId, created.pickupId);
    expect(item?.deviceId).toBeUndefined();
    expect(item?.trip).toBeUndefined();
    const board = await listStorePickups(world.deps, principal, seeded.storeId);
    expect(board.items.map((p) => p.pickupId)).toEqual([created.pickupId]);
  });
});
