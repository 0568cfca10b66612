/**
 * Cross-sell on pickup arrival (offers with trigger `pickup_arrived`) on the local engines: the
 * catalog through its handlers, pings through the ping path with the real incentive step, the
 * pickup outbox through the pickup publisher's use case, the code through the redemption handler.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { handler as listConversions } from "../../../functions/conversions-list.ts";
import { handler as createOffer } from "../../../functions/offer-create.ts";
import { handler as redeem } from "../../../functions/redemption-create.ts";
import { handler as offerReport } from "../../../functions/report-offer.ts";
import { handler as createStore } from "../../../functions/store-create.ts";
import { documentClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoDecisionStore } from "../../../shared/adapters/dynamo/decision-store.ts";
import { dynamoDeviceStore } from "../../../shared/adapters/dynamo/device-store.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { isHeldOut } from "../../../shared/domain/decision/holdout.ts";
import { localDay } from "../../../shared/domain/decision/local-time.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import type { Ping } from "../../../shared/domain/visit/types.ts";
import { incentiveMessage } from "../../../shared/use-cases/incentives/deliver.ts";
import { pickupArrivalKey } from "../../../shared/use-cases/incentives/incentive-sink.ts";
import {
  deviceArrived,
  type PublishDeps,
  publishPickupOutbox,
} from "../../../shared/use-cases/pickups/pickups.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { isolatedSite, registeredDevice } from "../../support/fixtures.ts";
import { bodyOf, httpEvent, lambdaContext, merchantClaims } from "../../support/http-events.ts";
import { scriptStart } from "../../support/pings.ts";
import { circleStore, invoke, offerBody } from "../catalog/helpers.ts";
import { FOOTPRINT_M, merchant, offsetM, pickupWorld } from "./world.ts";

const T0 = scriptStart();

const tables = {
  devices: env("DEVICES_TABLE"),
  incentives: env("INCENTIVES_TABLE"),
  conversions: env("CONVERSIONS_TABLE"),
};
const decisions = dynamoDecisionStore(documentClient, tables);
const devices = dynamoDeviceStore(documentClient, tables.devices);

interface LogItem {
  type: string;
  offerId: string | null;
  incentiveId: string | null;
  group: string | null;
  reason: string | null;
  trigger: string | null;
  channel: string | null;
  deviceRef: string;
}

/** A merchant with a store (footprint 40 m) and a cross-sell on pickup arrival; optionally a
 * geofence offer (300 m around the store) too. */
async function scene(crossSell: Record<string, unknown> = {}, withGeofence = false) {
  const principal = merchant();
  const as = { merchantId: principal.merchantId, role: "merchant-admin" };
  const site = await isolatedSite();
  const store = await invoke<{ storeId: string }>(createStore, as, {
    method: "POST",
    path: "/v1/stores",
    body: circleStore(site, { footprint: { type: "Circle", center: site, radiusM: FOOTPRINT_M } }),
  });
  expect(store.status).toBe(201);
  const storeId = store.body.storeId;
  const { triggerZone: _zone, ...base } = offerBody([storeId], {
    name: "A coffee while you wait",
    trigger: { on: "pickup_arrived" },
    message: { title: "Coffee on us", body: "Show this code at the counter." },
    holdoutPercent: 0,
    quietHours: "none",
    ...crossSell,
  });
  const pickupOffer = await invoke<{ offerId: string; zoneCount: number; zoneCells: number }>(
    createOffer,
    as,
    { method: "POST", path: "/v1/offers", body: base },
  );
  expect(pickupOffer.status).toBe(201);
  // No trigger zone: the offer is found through its store on arrival, never by a geofence.
  expect(pickupOffer.body).toMatchObject({ zoneCount: 0, zoneCells: 0 });
  let geofenceOfferId: string | undefined;
  if (withGeofence) {
    const geofence = await invoke<{ offerId: string }>(createOffer, as, {
      method: "POST",
      path: "/v1/offers",
      body: offerBody([storeId], {
        triggerZone: { type: "StoreRadius", radiusM: 300 },
        holdoutPercent: 0,
        quietHours: "none",
      }),
    });
    expect(geofence.status).toBe(201);
    geofenceOfferId = geofence.body.offerId;
  }
  const world = await pickupWorld(T0 - 60_000, { sink: zoneEventSinkFromEnv() });
  return { principal, site, storeId, offerId: pickupOffer.body.offerId, geofenceOfferId, world };
}

/** The conversion log of one offer, as an analyst reads it. */
async function log(merchantId: string, offerId: string): Promise<LogItem[]> {
  const res = await listConversions(
    httpEvent({
      path: "/v1/conversions",
      query: { offerId, limit: "200" },
      jwtClaims: merchantClaims(merchantId, "marketing-analyst"),
    }),
    lambdaContext,
  );
  expect(res.statusCode).toBe(200);
  return bodyOf<{ items: LogItem[] }>(res).items;
}

const ofType = (items: LogItem[], type: string) => items.filter((i) => i.type === type);

/** A car from 300 m south into the car park (arrived on the last fix), from `t`. */
function drive(site: { lat: number; lon: number }, t: number): Ping[] {
  const at = (northM: number, ts: number, speedMps: number): Ping => ({
    ...offsetM(site, 0, northM),
    accuracyM: 8,
    timestamp: ts,
    speedMps,
  });
  return [at(-300, t, 8), at(-150, t + 20_000, 7.5), at(-10, t + 45_000, 3)];
}

/** Pings inside the footprint for 150 s after `t` (a dwell: the store visit). */
function stay(site: { lat: number; lon: number }, t: number): Ping[] {
  return [30_000, 60_000, 90_000, 120_000, 150_000].map((dt) => ({
    ...offsetM(site, 0, -10),
    accuracyM: 8,
    timestamp: t + dt,
    speedMps: 0,
  }));
}

/** A registered device whose profile names the asserted person `personRef`. */
async function personDevice(personRef: string): Promise<DevicePrincipal> {
  const device = await registeredDevice();
  await documentClient.send(
    new UpdateCommand({
      TableName: tables.devices,
      Key: deviceKeys.profile(device.deviceId),
      UpdateExpression: "SET personRef = :p",
      ExpressionAttributeValues: { ":p": personRef },
    }),
  );
  return { ...device, personRef };
}

/** The checked-in incentive message schema, compiled as an independent subscriber would. */
const validateMessage = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  return ajv.compile(
    JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, "../../../events/incentive-message.schema.json"),
        "utf8",
      ),
    ) as Record<string, unknown>,
  );
})();

describe("cross-sell on pickup arrival (local engines)", () => {
  it("a car arriving with an active pickup gets the cross-sell once; its code redeems and is attributed", async () => {
    const { principal, site, storeId, offerId, geofenceOfferId, world } = await scene({}, true);
    const device = await registeredDevice();
    const { created } = await world.createAndAttach(principal, storeId, device);
    const trip = drive(site, T0);
    for (const ping of trip) await world.post(device, [ping]);
    // The same batch redelivered, and the outbox handed on again: nothing new is decided.
    await world.post(device, [trip[2] as Ping]);
    await world.publishOutboxes();

    const items = await log(principal.merchantId, offerId);
    expect(ofType(items, "triggered")).toHaveLength(1);
    const sent = ofType(items, "sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      trigger: "pickup_arrived",
      channel: "pickup",
      group: "treated",
    });
    // The device's pickup keeps the merchant's geofence offer quiet: one message for one trip.
    const geofence = await log(principal.merchantId, geofenceOfferId as string);
    expect(ofType(geofence, "sent")).toHaveLength(0);
    expect(ofType(geofence, "suppressed").map((i) => i.reason)).toEqual(["pickup_active"]);

    // One claim for the pickup order, naming the one incentive.
    const claim = await decisions.getClaim(
      `DEVICE#${device.deviceId}`,
      pickupArrivalKey(created.pickupId),
    );
    expect(claim).toMatchObject({ incentiveId: sent[0]?.incentiveId, outcome: "sent" });
    const incentive = await decisions.getIncentive(sent[0]?.incentiveId as string);
    expect(incentive).toMatchObject({
      offerId,
      storeId,
      status: "pending",
      triggerType: "pickup_arrived",
      touch: { kind: "geofence", channel: "pickup" },
    });
    // What the incentive publisher will send validates against the published schema.
    const message = incentiveMessage(incentive as NonNullable<typeof incentive>, "ref");
    expect(validateMessage(message), JSON.stringify(validateMessage.errors)).toBe(true);
    expect(message).toMatchObject({ trigger: "pickup_arrived", touch: { channel: "pickup" } });

    // The shopper waits in the store (a visit, attributed), then redeems at the till.
    await world.post(device, stay(site, (trip[2] as Ping).timestamp));
    const code = incentive?.code as string;
    const till = await redeem(
      httpEvent({
        method: "POST",
        path: "/v1/redemptions",
        body: { code, storeId },
        jwtClaims: merchantClaims(principal.merchantId, "pos"),
      }),
      lambdaContext,
    );
    expect(till.statusCode).toBe(200);
    expect(bodyOf(till)).toMatchObject({ offerId, incentiveId: incentive?.incentiveId });
    const after = await log(principal.merchantId, offerId);
    expect(ofType(after, "attributed_visit")).toMatchObject([
      { incentiveId: incentive?.incentiveId, group: "treated", channel: "pickup" },
    ]);
    expect(ofType(after, "redeemed")).toMatchObject([{ incentiveId: incentive?.incentiveId }]);

    // The offer report counts it like any send.
    const day = localDay(T0, "Europe/Paris");
    const report = await offerReport(
      httpEvent({
        path: `/v1/reports/offers/${offerId}`,
        pathParameters: { offerId },
        query: { from: day, to: day },
        jwtClaims: merchantClaims(principal.merchantId, "marketing-analyst"),
      }),
      lambdaContext,
    );
    expect(report.statusCode).toBe(200);
    expect(JSON.stringify(bodyOf(report))).toContain('"sent":1');
  });

  it("a crash after the decision (the outbox not yet marked sent) decides nothing twice", async () => {
    const { principal, site, storeId, offerId, world } = await scene();
    const device = await registeredDevice();
    const { created } = await world.createAndAttach(principal, storeId, device);
    await world.publishOutboxes();
    // The ping path saves the arrival; the publisher dies after deciding, three times over.
    const publisher = (markSent: PublishDeps["pickups"]["markSent"]): PublishDeps => ({
      pickups: { get: world.deps.pickups.get, markSent },
      channels: { publish: async () => undefined, pushReady: async () => undefined },
      crossSell: {
        profiles: { get: (id) => devices.get(id) },
        sink: zoneEventSinkFromEnv(),
        clock: world.clock,
      },
    });
    const crashing = publisher(async () => {
      throw new Error("killed before marking the outbox sent");
    });
    // The stream hands each save to a publisher that dies after deciding, twice at once.
    for (const ping of drive(site, T0)) {
      await world.post(device, [ping], { publish: false });
      await Promise.all(
        [1, 2].map(() =>
          publishPickupOutbox(crashing, principal.merchantId, created.pickupId).catch(
            () => undefined,
          ),
        ),
      );
    }
    await publishPickupOutbox(
      publisher(world.deps.pickups.markSent),
      principal.merchantId,
      created.pickupId,
    );
    const items = await log(principal.merchantId, offerId);
    expect(ofType(items, "sent")).toHaveLength(1);
    expect(ofType(items, "triggered")).toHaveLength(1);
  });

  it("a person in the holdout gets control logged and no send; the holdout is drawn per person", async () => {
    const { principal, site, storeId, offerId, world } = await scene({ holdoutPercent: 50 });
    // A person held out whose device, drawn alone, would have been treated.
    let person = uniqueId("person");
    let device = await personDevice(person);
    for (
      let tries = 0;
      !(isHeldOut(`person:${person}`, offerId, 50) && !isHeldOut(device.deviceId, offerId, 50));
      tries++
    ) {
      expect(tries).toBeLessThan(200);
      person = uniqueId("person");
      device = await personDevice(person);
    }
    await world.createAndAttach(principal, storeId, device);
    for (const ping of drive(site, T0)) await world.post(device, [ping]);

    const items = await log(principal.merchantId, offerId);
    expect(ofType(items, "sent")).toHaveLength(0);
    const held = ofType(items, "held_out");
    expect(held).toMatchObject([
      { group: "holdout", trigger: "pickup_arrived", channel: "pickup" },
    ]);
    const incentive = await decisions.getIncentive(held[0]?.incentiveId as string);
    expect(incentive).toMatchObject({ outcome: "held_out", status: "held_out" });
    expect(incentive?.code).toBeUndefined();
  });

  it("budget spent: the next arrival is suppressed as budget; a manual 'I'm here' decides like a location arrival", async () => {
    const { principal, site, storeId, offerId, world } = await scene({
      budget: { maxIncentives: 1 },
    });
    const first = await registeredDevice();
    await world.createAndAttach(principal, storeId, first);
    for (const ping of drive(site, T0)) await world.post(first, [ping]);

    // The second shopper taps "I'm here" without sharing location.
    const second = await registeredDevice({ consentLocation: false });
    const { created } = await world.createAndAttach(principal, storeId, second);
    world.clock.set(T0 + 120_000);
    await deviceArrived(world.deps, await world.authorized(second), created.pickupId);
    await world.publishOutboxes();
    await world.publishOutboxes();

    const items = await log(principal.merchantId, offerId);
    expect(ofType(items, "triggered")).toHaveLength(2);
    expect(ofType(items, "sent")).toHaveLength(1);
    expect(ofType(items, "suppressed")).toMatchObject([
      { reason: "budget", trigger: "pickup_arrived" },
    ]);
  });

  it("a device without a pickup entering the store never gets the pickup-only offer", async () => {
    const { principal, site, offerId, geofenceOfferId, world } = await scene({}, true);
    const device = await registeredDevice();
    const trip = drive(site, T0);
    for (const ping of trip) await world.post(device, [ping]);
    await world.post(device, stay(site, (trip[2] as Ping).timestamp));

    // The geofence offer is decided as always (its trigger zone), the cross-sell not at all.
    const geofence = await log(principal.merchantId, geofenceOfferId as string);
    expect(ofType(geofence, "sent")).toHaveLength(1);
    expect(await log(principal.merchantId, offerId)).toEqual([]);
    // The store visit is recorded (and attributed to the geofence send), nothing for the cross-sell.
    expect(ofType(geofence, "attributed_visit")).toHaveLength(1);
  });
});
