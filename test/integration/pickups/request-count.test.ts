import { describe, expect, it } from "vitest";
import { attachPickupToDevice, createPickup } from "../../../shared/use-cases/pickups/pickups.ts";
import { pickupDepsFromEnv } from "../../../shared/wiring/pickup-deps.ts";
import { coldPingHandler, type RecordedRequest } from "../../support/cold-ping-handler.ts";
import { registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { bodyOf } from "../../support/http-events.ts";
import { offsetM } from "../../support/pings.ts";
import { merchant } from "./world.ts";

/** A spot with no geofence: the Gibson Desert. */
const EMPTY = { lat: -24.5, lon: 123.5 };

/** Whether a recorded request touched a pickup item or a device's pickup references. */
const touchesPickup = (r: RecordedRequest) =>
  r.input.includes("PICKUP") || r.input.includes("pickupRefs");

/**
 * The device a batch is posted as (its token is signed for `deviceId`). Its active pickups come
 * from its stored profile, read with the visit state in the ping path's one Query.
 */
function context(deviceId: string) {
  return { deviceId };
}

/** `count` pings along a line from `from`, `stepM` apart northward, one every 10 s ending now. */
function line(from: { lat: number; lon: number }, count: number, stepM: number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, k) => ({
    ...offsetM(from, 0, k * stepM),
    accuracyM: 8,
    timestamp: now - (count - k) * 10_000,
  }));
}

describe("per-ping DynamoDB cost of pickup tracking (real handler, SDK middleware count)", () => {
  it("a device without an active pickup: one request in no zone, zero pickup requests in a store", async () => {
    const { requests, post } = await coldPingHandler();
    const { deviceId } = await registeredDevice();
    await post(line(EMPTY, 20, 30), context(deviceId));
    requests.length = 0;
    // Warm, the same places a little later, in no zone: the profile-and-state Query only.
    const warm = await post(line(EMPTY, 20, 30), context(deviceId));
    expect(warm.statusCode).toBe(202);
    expect(requests.map((r) => r.command)).toEqual(["QueryCommand"]);
    expect(requests.filter(touchesPickup)).toEqual([]);

    // Walking into a store (visit state read and written): not one request is about pickups.
    const { location } = await seedStoreAndOffer({ footprintRadiusM: 40 });
    const walker = await registeredDevice();
    requests.length = 0;
    const inStore = await post(line(offsetM(location, 0, -200), 12, 20), context(walker.deviceId));
    expect(inStore.statusCode).toBe(202);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter(touchesPickup)).toEqual([]);
    expect(bodyOf(inStore)).not.toHaveProperty("pickups");
  });

  it("a device with an active pickup pays one pickup read per batch (plus writes on change)", async () => {
    const { requests, post } = await coldPingHandler();
    const principal = merchant();
    const { storeId, location } = await seedStoreAndOffer({
      merchantId: principal.merchantId,
      footprintRadiusM: 40,
    });
    const device = await registeredDevice();
    const deps = pickupDepsFromEnv();
    const created = await createPickup(deps, principal, {
      storeId,
      orderRef: "A-1",
      promisedAt: new Date(Date.now() + 600_000).toISOString(),
      mode: "in_store",
    });
    await attachPickupToDevice(deps, device, created.attachToken);
    await post(line(offsetM(location, 0, -3000), 3, 10), context(device.deviceId));
    requests.length = 0;
    const moving = await post(line(offsetM(location, 0, -2900), 3, 10), context(device.deviceId));
    expect(moving.statusCode).toBe(202);
    const pickupRequests = requests.filter(touchesPickup).map((r) => r.command);
    // Read, save (trip memory moved on), and the outbox cleared after publishing en_route.
    expect(pickupRequests[0]).toBe("GetItemCommand");
    expect(pickupRequests.filter((c) => c === "GetItemCommand")).toHaveLength(1);
    expect(pickupRequests.length).toBeLessThanOrEqual(3);
  });
});
