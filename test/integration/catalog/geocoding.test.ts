import {
  LocationClient,
  SearchPlaceIndexForTextCommand,
  ThrottlingException,
} from "@aws-sdk/client-location";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { zoneIds } from "../../../shared/domain/zone.ts";
import type { HttpEvent, HttpResult } from "../../../shared/http/types.ts";
import { uniqueId } from "../../support/aws.ts";
import { placeSearchAnswer } from "../../support/location.ts";
import {
  addressedFootprintStore,
  circleStore,
  errorPaths,
  expectIndexed,
  indexEntriesOf,
  invoke,
  LOUVRE,
  merchantItems,
} from "./helpers.ts";

// The handler reads its config at cold start: the place index must be set before it loads.
vi.hoisted(() => {
  process.env.PLACE_INDEX_NAME = "footfall-test-places";
});

const location = mockClient(LocationClient);
let createStore: (event: HttpEvent, context: never) => Promise<HttpResult>;

beforeAll(async () => {
  ({ handler: createStore } = await import("../../../functions/store-create.ts"));
});
afterEach(() => location.reset());

const admin = () => ({ merchantId: uniqueId("m"), role: "merchant-admin" });

/** A store with only an address (no location, no footprint): it must be geocoded. */
function addressOnly() {
  return { name: "Café Lumière", address: "Rue de Rivoli, 75001 Paris" };
}

function post(as: { merchantId: string; role: string }) {
  return invoke<{
    location: { lat: number; lon: number };
    locationSource: string;
    timeZone: string;
  }>(createStore, as, { method: "POST", path: "/v1/stores", body: addressOnly() });
}

describe("geocoding an address-only store", () => {
  it("uses the match as the store's location and gives it the default 50 m footprint", async () => {
    location
      .on(SearchPlaceIndexForTextCommand)
      .resolves(
        placeSearchAnswer({ label: "Rue de Rivoli", lat: 48.8607, lon: 2.3377, relevance: 0.95 }),
      );
    const res = await post(admin());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      location: { lat: 48.8607, lon: 2.3377 },
      locationSource: "geocoder",
      timeZone: "Europe/Paris",
      footprint: { type: "Circle", center: { lat: 48.8607, lon: 2.3377 }, radiusM: 50 },
      footprintSource: "default",
    });
    await expectIndexed(zoneIds.footprint((res.body as unknown as { storeId: string }).storeId));
    const input = location.commandCalls(SearchPlaceIndexForTextCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      IndexName: "footfall-test-places",
      Text: "Rue de Rivoli, 75001 Paris",
    });
  });

  it("answers 422 naming address when nothing matches, and stores nothing", async () => {
    location.on(SearchPlaceIndexForTextCommand).resolves(placeSearchAnswer());
    const as = admin();
    const res = await post(as);
    expect(res.status).toBe(422);
    expect(errorPaths(res.body)).toEqual(["address"]);
    expect(await merchantItems(as.merchantId)).toEqual([]);
  });

  it("does not geocode an address sent with a footprint: the footprint places the store", async () => {
    const res = await invoke<{ location: { lat: number; lon: number }; locationSource: string }>(
      createStore,
      admin(),
      {
        method: "POST",
        path: "/v1/stores",
        body: addressedFootprintStore(LOUVRE),
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.locationSource).toBe("footprint");
    expect(res.body.location).toEqual({
      lat: expect.closeTo(LOUVRE.lat, 9),
      lon: expect.closeTo(LOUVRE.lon, 9),
    });
    expect(location.commandCalls(SearchPlaceIndexForTextCommand)).toHaveLength(0);
  });

  it("gives a store with a location but no footprint the default circle, without geocoding", async () => {
    const res = await invoke<{ footprint: unknown }>(createStore, admin(), {
      method: "POST",
      path: "/v1/stores",
      body: { name: "Kiosk", location: LOUVRE, address: "Rue de Rivoli, 75001 Paris" },
    });
    expect(res.status).toBe(201);
    expect(res.body.footprint).toEqual({ type: "Circle", center: LOUVRE, radiusM: 50 });
    expect(location.commandCalls(SearchPlaceIndexForTextCommand)).toHaveLength(0);
  });

  it("answers 400 naming footprint when a store has neither footprint, location nor address", async () => {
    const as = admin();
    const res = await invoke(createStore, as, {
      method: "POST",
      path: "/v1/stores",
      body: { name: "Nowhere" },
    });
    expect(res.status).toBe(400);
    expect(errorPaths(res.body)).toEqual(["footprint"]);
    expect(await merchantItems(as.merchantId)).toEqual([]);
  });

  it("answers 503 when the geocoder is throttled or failing, and stores nothing", async () => {
    const as = admin();
    location.on(SearchPlaceIndexForTextCommand).rejects(
      new ThrottlingException({
        message: "Rate exceeded",
        Message: "Rate exceeded",
        $metadata: {},
      }),
    );
    const throttled = await post(as);
    expect(throttled.status).toBe(503);
    location.on(SearchPlaceIndexForTextCommand).rejects(new Error("connect ETIMEDOUT"));
    const down = await post(as);
    expect(down.status).toBe(503);
    expect(JSON.stringify(down.body)).not.toContain("ETIMEDOUT");
    expect(await merchantItems(as.merchantId)).toEqual([]);
    expect(await indexEntriesOf(as.merchantId)).toEqual([]);
  });

  it("does not call the geocoder when the request has a location", async () => {
    const res = await invoke(createStore, admin(), {
      method: "POST",
      path: "/v1/stores",
      body: circleStore(LOUVRE, { address: "Rue de Rivoli, 75001 Paris" }),
    });
    expect(res.status).toBe(201);
    expect(location.commandCalls(SearchPlaceIndexForTextCommand)).toHaveLength(0);
  });
});
