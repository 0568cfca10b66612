/** A pickup world on the local engines: real stores, index, tables and topic; a manual clock. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { documentClient, snsClient } from "../../../shared/adapters/aws-clients.ts";
import { dynamoDeviceStore } from "../../../shared/adapters/dynamo/device-store.ts";
import { snsPickupChannels } from "../../../shared/adapters/sns/pickup-channels.ts";
import type { DevicePrincipal, MerchantPrincipal } from "../../../shared/auth/principal.ts";
import { type PickupMessage, pickupMessageSchema } from "../../../shared/domain/pickup/message.ts";
import type { Ping } from "../../../shared/domain/visit/types.ts";
import { zoneIds } from "../../../shared/domain/zone.ts";
import {
  attachPickupToDevice,
  createPickup,
  getPickup,
  type PickupDeps,
  type PublishDeps,
  publishPickupOutbox,
  type TrackDeps,
  trackPickups,
} from "../../../shared/use-cases/pickups/pickups.ts";
import {
  type IngestResult,
  ingestPings,
  type ZoneEventSink,
} from "../../../shared/use-cases/pings/ingest-pings.ts";
import { zoneEventSinkFromEnv } from "../../../shared/wiring/event-sink-deps.ts";
import { pickupDepsFromEnv } from "../../../shared/wiring/pickup-deps.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { env, testClients, uniqueId } from "../../support/aws.ts";
import { deviceProfile, registeredDevice, seedStoreAndOffer } from "../../support/fixtures.ts";
import { manualClock, offsetM } from "../../support/pings.ts";
import { recordingSink } from "../../support/recording-sink.ts";
import { createTopicWithQueues, type ReceivedMessage, receiveAll } from "../delivery/messaging.ts";

export { offsetM };

/** The footprint radius of the pickup tests' stores (m): a car park entrance 40 m from the centre. */
export const FOOTPRINT_M = 40;

export function merchant(merchantId = uniqueId("m")): MerchantPrincipal {
  return { merchantId, subject: uniqueId("sub"), roles: ["merchant-admin"] };
}

/** A world with its own topic (one raw queue on it) and a clock the test moves. */
export async function pickupWorld(
  start: number,
  options: Pick<TrackDeps, "routes" | "routeRefinement"> & {
    /** The ping path's incentive step (default: a recording sink that decides nothing). */
    sink?: ZoneEventSink;
  } = {},
) {
  const { sns, sqs } = testClients();
  const { topicArn, queues } = await createTopicWithQueues(sns, sqs, { store: undefined });
  const clock = manualClock(start);
  const published: PickupMessage[] = [];
  const channels = snsPickupChannels(snsClient, {
    topicArn,
    endpointOf: async () => undefined,
  });
  const deps: PickupDeps = { ...pickupDepsFromEnv(), clock };
  const devices = dynamoDeviceStore(documentClient, env("DEVICES_TABLE"));
  const publishDeps: PublishDeps = {
    pickups: deps.pickups,
    // The cross-sell on arrival, decided as the deployed pickup publisher decides it.
    crossSell: {
      profiles: { get: (deviceId) => devices.get(deviceId) },
      sink: zoneEventSinkFromEnv(),
      clock,
    },
    channels: {
      publish: async (m) => {
        published.push(m);
        await channels.publish(m);
      },
      pushReady: channels.pushReady,
    },
  };
  /** Pickups this world created: what the stream would hand the pickup publisher. */
  const mine: { merchantId: string; pickupId: string }[] = [];
  /** The pickup publisher's work, as the stream delivers it: each pickup's current outbox. */
  async function publishOutboxes() {
    for (const { merchantId, pickupId } of mine) {
      await publishPickupOutbox(publishDeps, merchantId, pickupId);
    }
  }
  const { sink: zoneSink, ...trackOptions } = options;
  const sink = zoneSink ?? recordingSink();
  const ping = pingDepsFromEnv(sink);
  const track: TrackDeps = { ...deps, geometry: ping.matcher, ...trackOptions };
  const ingestDeps = {
    ...ping,
    clock,
    pickups: {
      track: (device: DevicePrincipal, pings: readonly Ping[]) =>
        trackPickups(track, device, pings, zoneIds.footprint, (p) => p.bayZoneIds ?? []),
    },
  };
  /** The device principal as the authorizer would build it now (pickup refs from the profile). */
  async function authorized(device: DevicePrincipal): Promise<DevicePrincipal> {
    const refs = (await deviceProfile(device.deviceId))?.pickupRefs as Set<string> | undefined;
    const { pickupRefs: _old, ...rest } = device;
    return { ...rest, ...(refs && refs.size > 0 ? { pickupRefs: [...refs].sort() } : {}) };
  }
  const world = {
    deps,
    clock,
    published,
    /** Publishes pending outboxes, then every message the topic delivered since the last call. */
    async received(): Promise<ReceivedMessage[]> {
      await publishOutboxes();
      return receiveAll(sqs, queues.store as string);
    },
    publishOutboxes,
    async createAndAttach(
      principal: MerchantPrincipal,
      storeId: string,
      device: DevicePrincipal,
      extra: Record<string, unknown> = {},
    ) {
      const created = await createPickup(deps, principal, {
        storeId,
        orderRef: uniqueId("order"),
        promisedAt: new Date(clock.now() + 20 * 60_000).toISOString(),
        mode: "curbside",
        ...extra,
      });
      mine.push({ merchantId: principal.merchantId, pickupId: created.pickupId });
      const attached = await attachPickupToDevice(deps, device, created.attachToken);
      return { created, attached };
    },
    /**
     * Posts one batch as the device's app does, `clock` set just after its newest ping, then
     * runs the pickup publisher (unless `publish` is false: the stream has not delivered yet).
     */
    async post(
      device: DevicePrincipal,
      pings: Ping[],
      options: { publish?: boolean } = {},
    ): Promise<IngestResult> {
      const newest = Math.max(...pings.map((p) => p.timestamp));
      clock.set(newest + 1000);
      const result = await ingestPings(ingestDeps, await authorized(device), pings);
      if (options.publish !== false) await publishOutboxes();
      return result;
    },
    /** Posts each fix of `trip` as a batch of its own, in order, as a moving phone does. */
    async follow(device: DevicePrincipal, trip: readonly { ping: Ping }[]): Promise<void> {
      for (const step of trip) await world.post(device, [step.ping]);
    },
    /**
     * A pickup created at `storeId` and attached to `device`, which then follows `trip`: the
     * pickup as the merchant's staff now see it, and what `createAndAttach` returned.
     */
    async pickupAfter(
      principal: MerchantPrincipal,
      storeId: string,
      device: DevicePrincipal,
      trip: readonly { ping: Ping }[],
      extra: Record<string, unknown> = {},
    ) {
      const { created, attached } = await world.createAndAttach(principal, storeId, device, extra);
      await world.follow(device, trip);
      const view = await getPickup(deps, principal, created.pickupId);
      return { created, attached, view };
    },
    authorized,
  };
  return world;
}

/**
 * A pickup scene: a merchant, its store (a {@link FOOTPRINT_M} footprint) with a live offer, a
 * world whose clock starts a minute before `t0` (with `options`), and a registered device.
 */
export async function pickupScene(t0: number, options: Parameters<typeof pickupWorld>[1] = {}) {
  const principal = merchant();
  const seeded = await seedStoreAndOffer({
    merchantId: principal.merchantId,
    footprintRadiusM: FOOTPRINT_M,
  });
  const world = await pickupWorld(t0 - 60_000, options);
  const device = await registeredDevice();
  return { principal, seeded, world, device };
}

/** The checked-in JSON Schema, compiled by a strict Ajv as an independent subscriber would. */
const validateChecked = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats.default(ajv);
  const schema = JSON.parse(
    readFileSync(
      resolve(import.meta.dirname, "../../../events/pickup-message.schema.json"),
      "utf8",
    ),
  ) as Record<string, unknown>;
  return ajv.compile(schema);
})();

/**
 * Every message validates against the published schema (events/pickup-message.schema.json) and
 * carries its merchant, store and event type as message attributes; returns them parsed.
 */
export function parseMessages(received: ReceivedMessage[]): PickupMessage[] {
  return received.map((m) => {
    const body = JSON.parse(m.body) as unknown;
    if (!validateChecked(body)) {
      throw new Error(`schema: ${JSON.stringify(validateChecked.errors)}`);
    }
    const parsed = pickupMessageSchema.parse(body);
    if (m.attributes.merchantId !== parsed.merchantId) throw new Error("merchantId attribute");
    if (m.attributes.storeId !== parsed.storeId) throw new Error("storeId attribute");
    if (m.attributes.eventType !== parsed.eventType) throw new Error("eventType attribute");
    return parsed;
  });
}

/** The events of a pickup whose car drives up to the store, in order, up to its arrival. */
export const DRIVE_UP_EVENTS = [
  "pickup.created",
  "pickup.attached",
  "pickup.en_route",
  "pickup.nearby",
  "pickup.arrived",
];

/**
 * A car's approach from `fromM` metres south of `store`, from `t0`: 12 m/s until 60 m from the
 * centre (a fix every 15 s), then 3 m/s through the car park to 10 m from it (every 10 s).
 */
export function carApproach(store: { lat: number; lon: number }, fromM: number, t0: number) {
  return trajectory(
    store,
    { eastM: 0, northM: -fromM },
    [
      { toNorthM: -60, speedMps: 12, everyS: 15 },
      { toNorthM: -10, speedMps: 3, everyS: 10 },
    ],
    t0,
  );
}

/**
 * A trajectory toward the store from the south: `legs` of constant speed, each until the given
 * distance (m) from the store's centre, sampled every `everyS` seconds.
 */
export function trajectory(
  store: { lat: number; lon: number },
  start: { eastM: number; northM: number },
  legs: { toNorthM: number; speedMps: number; everyS: number }[],
  t0: number,
): { ping: Ping; northM: number; eastM: number }[] {
  const out: { ping: Ping; northM: number; eastM: number }[] = [];
  let n = start.northM;
  let t = t0;
  const at = (north: number, ts: number, speed: number) => {
    const p = offsetM(store, start.eastM, north);
    out.push({
      ping: { lat: p.lat, lon: p.lon, accuracyM: 8, timestamp: ts, speedMps: speed },
      northM: north,
      eastM: start.eastM,
    });
  };
  at(n, t, legs[0]?.speedMps ?? 0);
  for (const leg of legs) {
    const dir = Math.sign(leg.toNorthM - n);
    while (Math.abs(leg.toNorthM - n) > 1e-9) {
      const step = Math.min(leg.speedMps * leg.everyS, Math.abs(leg.toNorthM - n));
      const dt = (step / leg.speedMps) * 1000;
      n += dir * step;
      t += Math.round(dt);
      at(n, t, leg.speedMps);
    }
  }
  return out;
}
