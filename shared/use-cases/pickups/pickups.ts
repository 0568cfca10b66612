/**
 * Pickup orders: the merchant backend creates them, the shopper's app attaches one to its device,
 * pings (or a manual "I'm here") move it toward arrival, staff mark it ready / completed /
 * cancelled. Every change is saved with its events in a per-pickup outbox; the pickup publisher
 * (a stream consumer of the incentives table) sends them to the incentive topic (`pickup.*`) and
 * clears the outbox, so no API or ping function publishes and a crash loses nothing.
 */
import { createHash } from "node:crypto";
import type { DevicePrincipal, MerchantPrincipal } from "../../auth/principal.ts";
import { requireRole } from "../../auth/principal.ts";
import type { Store } from "../../domain/catalog/store.ts";
import { pickupRef } from "../../domain/pickup/keys.ts";
import { type PickupMessage, pickupMessage } from "../../domain/pickup/message.ts";
import {
  applyRouteEstimate,
  attachPickup as attachDomain,
  expirePickup,
  hasIdShape,
  manualArrival,
  observePickup,
  PICKUP_ID_PREFIX,
  type Pickup,
  type PickupEvent,
  type PickupObservation,
  type PickupRules,
  PickupStateError,
  type PickupStep,
  pickupView,
  type RouteRefinementRules,
  routeRequest,
  type StaffAction,
  staffAction,
  usesLocation,
} from "../../domain/pickup/pickup.ts";
import type { CreatePickupInput } from "../../domain/pickup/requests.ts";
import type { Ping } from "../../domain/visit/types.ts";
import { zoneIds } from "../../domain/zone.ts";
import { ConflictError, NotFoundError, ValidationError } from "../../errors.ts";
import type { Clock, Random } from "../../ports.ts";
import type { MatchedZone } from "../pings/zone-matcher.ts";
import { arrivalOf, type CrossSellDeps, crossSellOnArrival } from "./cross-sell.ts";
import { DeviceGone, PickupConflict, TooManyPickups } from "./errors.ts";
import { PICKUP_CREATE_ROLES, PICKUP_STAFF_ROLES } from "./roles.ts";

/** A stored pickup with its unpublished events. */
export interface StoredPickup {
  pickup: Pickup;
  outbox: PickupEvent[];
  /** The device an ended pickup was attached to, kept only while its outbox is unpublished. */
  formerDeviceId?: string | undefined;
  /** Event types already published (each type happens once per pickup). */
  sent?: string[] | undefined;
}

/** Port: where pickups, their attach tokens and the devices' pickup references live. */
export interface PickupStore {
  /** Creates the pickup and its attach token item together. */
  create(
    pickup: Pickup,
    outbox: PickupEvent[],
    tokenHash: string,
    tokenExpiresAt: number,
  ): Promise<void>;
  get(merchantId: string, pickupId: string): Promise<StoredPickup | undefined>;
  /** The pickup a live attach token names (undefined: unknown, used or expired). */
  byAttachToken(
    tokenHash: string,
    nowMs: number,
  ): Promise<{ merchantId: string; pickupId: string } | undefined>;
  /**
   * Attaches: consumes the token, saves the pickup at `expectedVersion` and adds its reference
   * to the device profile, all or nothing. Throws `PickupConflict` when the token is gone or the
   * pickup moved, `TooManyPickups` when the device holds the maximum, `DeviceGone` when the
   * device is erased or being erased.
   */
  attach(stored: StoredPickup, expectedVersion: number, tokenHash: string): Promise<void>;
  /** Saves the pickup at `expectedVersion` (throws `PickupConflict` if it moved). */
  save(stored: StoredPickup, expectedVersion: number): Promise<void>;
  /**
   * Records `types` as published (bumping the version, so a save that read before retries) and
   * empties the outbox when nothing else is pending.
   */
  markSent(merchantId: string, pickupId: string, types: string[]): Promise<void>;
  /** Drops the device's reference to a pickup that no longer uses location (idempotent). */
  dropDeviceRef(deviceId: string, ref: string): Promise<void>;
  /** Active pickups of a store, by promised time. */
  listActive(merchantId: string, storeId: string): Promise<StoredPickup[]>;
}

export { DeviceGone, PickupConflict, TooManyPickups };

/** Port: where pickup events go (the topic, and a push to the shopper for `ready`). */
export interface PickupChannels {
  publish(message: PickupMessage): Promise<void>;
  /** Pushes "your order is ready" to the device if it registered a push token. */
  pushReady(deviceId: string, message: PickupMessage): Promise<void>;
}

export interface PickupDeps {
  pickups: PickupStore;
  stores: {
    getStore(merchantId: string, storeId: string): Promise<Store | undefined>;
    storeIdByRef(merchantId: string, externalRef: string): Promise<string | undefined>;
  };
  clock: Clock;
  random: Random;
  rules: PickupRules;
  /** Seconds an attach token stays valid after the promised time (default 24 h). */
  attachTokenTtlS: number;
}

export { PICKUP_CREATE_ROLES, PICKUP_STAFF_ROLES };

const MAX_CONFLICT_RETRIES = 4;

/** SHA-256 of an attach token, hex: what is stored and looked up (the token never is). */
export function attachTokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function notFound(path: string, what: string): NotFoundError {
  return new NotFoundError(`${path}: ${what} not found`, {
    issues: [{ path, reason: `${what} not found` }],
  });
}

function checkPickupId(id: string | undefined): string {
  if (!id || !hasIdShape(PICKUP_ID_PREFIX, id)) throw notFound("pickupId", "pickup");
  return id;
}

async function resolveStore(deps: PickupDeps, merchantId: string, ref: string): Promise<Store> {
  let storeId: string | undefined = ref;
  if (ref.startsWith("code:")) {
    const code = ref.slice("code:".length);
    storeId = code === "" ? undefined : await deps.stores.storeIdByRef(merchantId, code);
  } else if (!hasIdShape("st", ref)) {
    storeId = undefined;
  }
  const store = storeId ? await deps.stores.getStore(merchantId, storeId) : undefined;
  if (!store) throw notFound("storeId", "store");
  return store;
}

/** What the pickup publisher needs. */
export interface PublishDeps {
  pickups: Pick<PickupStore, "get" | "markSent">;
  channels: PickupChannels;
  /**
   * The cross-sell decision on arrival (offers with trigger `pickup_arrived`); absent: arrivals
   * are only published.
   */
  crossSell?: CrossSellDeps | undefined;
}

/**
 * The pickup publisher's step for one saved pickup (named by a stream record): reads it afresh,
 * publishes the outbox events not yet published, in order (the topic; for `ready` also the
 * shopper's push, best effort), then records them as sent. A crash between the two republishes:
 * at least once, never lost; subscribers drop repeats by `(pickupId, eventType)`.
 * An arrival among them (`arrived`, or `waiting` which implies it) is then handed to the
 * cross-sell decision, before the events are recorded as sent: a crash or a failed decision
 * retries the record, and the decision's claim keeps it to one per pickup order.
 * Returns the number of messages published.
 */
export async function publishPickupOutbox(
  deps: PublishDeps,
  merchantId: string,
  pickupId: string,
): Promise<number> {
  const stored = await deps.pickups.get(merchantId, pickupId);
  if (!stored) return 0;
  const sent = new Set(stored.sent ?? []);
  const pending = stored.outbox.filter((e) => !sent.has(e.type));
  if (pending.length === 0 && stored.outbox.length === 0) return 0;
  const { pickup } = stored;
  for (const event of pending) {
    const message = pickupMessage(pickup, event);
    await deps.channels.publish(message);
    const device = pickup.deviceId ?? stored.formerDeviceId;
    if (event.type === "ready" && device) {
      await deps.channels.pushReady(device, message).catch(() => undefined);
    }
  }
  const arrival = arrivalOf(pending);
  const device = pickup.deviceId ?? stored.formerDeviceId;
  if (arrival && device && deps.crossSell) {
    await crossSellOnArrival(deps.crossSell, device, {
      merchantId,
      storeId: pickup.storeId,
      pickupId,
      at: pickup.times.arrived ?? arrival.at,
    });
  }
  await deps.pickups.markSent(
    merchantId,
    pickupId,
    stored.outbox.map((e) => e.type),
  );
  return pending.length;
}

/**
 * The stored pickup after a change: version bumped, events appended to the outbox. An ended
 * pickup keeps the device it had (`formerDeviceId`) only until the outbox is published, so a
 * `ready` just before the end still reaches the shopper.
 */
function nextStored(stored: StoredPickup, pickup: Pickup, events: PickupEvent[]): StoredPickup {
  const sent = new Set(stored.sent ?? []);
  const outbox = [...stored.outbox, ...events].filter((e) => !sent.has(e.type));
  const former = stored.pickup.deviceId ?? stored.formerDeviceId;
  return {
    pickup: { ...pickup, version: stored.pickup.version + 1 },
    outbox,
    ...(stored.sent ? { sent: stored.sent } : {}),
    ...(pickup.deviceId === undefined && former !== undefined && outbox.length > 0
      ? { formerDeviceId: former }
      : {}),
  };
}

/**
 * Applies `step` (a pure transition of the current pickup) under the optimistic lock, retrying
 * on a concurrent save, then publishes. Returns the saved pickup.
 */
async function transition(
  deps: PickupDeps,
  merchantId: string,
  pickupId: string,
  step: (p: Pickup, now: number) => PickupStep,
): Promise<Pickup> {
  for (let attempt = 0; ; attempt++) {
    const stored = await deps.pickups.get(merchantId, pickupId);
    if (!stored) throw notFound("pickupId", "pickup");
    const now = deps.clock.now();
    const expired = expirePickup(stored.pickup, now, deps.rules);
    const result = step(expired.pickup, now);
    const events = [...expired.events, ...result.events];
    if (!expired.changed && !result.changed) return stored.pickup;
    const next = nextStored(stored, result.pickup, events);
    try {
      await deps.pickups.save(next, stored.pickup.version);
    } catch (error) {
      if (error instanceof PickupConflict && attempt < MAX_CONFLICT_RETRIES) continue;
      throw error;
    }
    const device = stored.pickup.deviceId;
    if (device && !usesLocation(next.pickup)) {
      await deps.pickups.dropDeviceRef(device, pickupRef.of(merchantId, pickupId));
    }
    return next.pickup;
  }
}

/**
 * `POST /v1/pickups`: creates a pickup for one of the caller's stores and returns it with its
 * one-time attach token (256 random bits; only its SHA-256 is stored). The token is valid until
 * `attachTokenTtlS` after the promised time, and works once.
 */
export async function createPickup(
  deps: PickupDeps,
  principal: MerchantPrincipal,
  input: CreatePickupInput,
) {
  requireRole(principal, PICKUP_CREATE_ROLES);
  const store = await resolveStore(deps, principal.merchantId, input.storeId);
  const now = deps.clock.now();
  const promisedAt = Date.parse(input.promisedAt);
  const pickup: Pickup = {
    merchantId: principal.merchantId,
    pickupId: deps.random.id(PICKUP_ID_PREFIX),
    storeId: store.storeId,
    orderRef: input.orderRef,
    mode: input.mode,
    promisedAt,
    ...(input.vehicle && Object.keys(input.vehicle).length > 0 ? { vehicle: input.vehicle } : {}),
    ...(input.customerName ? { customerName: input.customerName } : {}),
    stage: "created",
    times: { created: now },
    // Bay zone ids are derived (zone.ts), so the pickup functions stay free of zone geometry.
    ...(store.pickupBays && store.pickupBays.length > 0
      ? { bayZoneIds: store.pickupBays.map((_, n) => zoneIds.bay(store.storeId, n)) }
      : {}),
    nearbyThresholdS: (input.nearbyThresholdMinutes ?? deps.rules.nearbyThresholdS / 60) * 60,
    version: 1,
  };
  const token = Buffer.from(deps.random.bytes(32)).toString("base64url");
  const tokenExpiresAt = Math.max(promisedAt, now) + deps.attachTokenTtlS * 1000;
  const stored: StoredPickup = {
    pickup,
    outbox: [{ type: "created", at: now, cause: "merchant" }],
  };
  await deps.pickups.create(pickup, stored.outbox, attachTokenHash(token), tokenExpiresAt);
  return {
    ...pickupView(pickup),
    attachToken: token,
    attachTokenExpiresAt: new Date(tokenExpiresAt).toISOString(),
  };
}

/** `GET /v1/pickups/{pickupId}`: one of the caller's pickups (another tenant's: 404). */
export async function getPickup(
  deps: PickupDeps,
  principal: MerchantPrincipal,
  id: string | undefined,
) {
  requireRole(principal, PICKUP_STAFF_ROLES);
  const pickup = await transition(deps, principal.merchantId, checkPickupId(id), (p) => ({
    pickup: p,
    events: [],
    changed: false,
  }));
  return pickupView(pickup);
}

/**
 * `GET /v1/stores/{storeId}/pickups`: the staff board, the store's active pickups by promised
 * time with state, estimate and vehicle. Timeouts are applied on the way (a no-show leaves the
 * board).
 */
export async function listStorePickups(
  deps: PickupDeps,
  principal: MerchantPrincipal,
  storeRef: string | undefined,
) {
  requireRole(principal, PICKUP_STAFF_ROLES);
  if (!storeRef) throw notFound("storeId", "store");
  const store = await resolveStore(deps, principal.merchantId, storeRef);
  const active = await deps.pickups.listActive(principal.merchantId, store.storeId);
  const now = deps.clock.now();
  const items = [];
  for (const stored of active) {
    let pickup = stored.pickup;
    if (expirePickup(pickup, now, deps.rules).changed) {
      pickup = await transition(deps, pickup.merchantId, pickup.pickupId, (p) => ({
        pickup: p,
        events: [],
        changed: false,
      }));
    }
    if (pickup.terminal === undefined) items.push(pickupView(pickup));
  }
  return { storeId: store.storeId, items };
}

/** `POST /v1/pickups/{pickupId}/{ready|complete|cancel}`: a staff action (409 when it is over). */
export async function staffUpdatePickup(
  deps: PickupDeps,
  principal: MerchantPrincipal,
  id: string | undefined,
  action: StaffAction,
) {
  requireRole(principal, PICKUP_STAFF_ROLES);
  try {
    const pickup = await transition(deps, principal.merchantId, checkPickupId(id), (p, now) =>
      staffAction(p, action, now),
    );
    return pickupView(pickup);
  } catch (error) {
    if (error instanceof PickupStateError) {
      throw new ConflictError(error.message, {
        issues: [{ path: "state", reason: `is ${error.state}` }],
      });
    }
    throw error;
  }
}

/** The pickup as the shopper's app sees it (no device ids, no staff-only fields). */
function devicePickupView(p: Pickup) {
  const view = pickupView(p);
  return {
    pickupId: view.pickupId,
    storeId: view.storeId,
    orderRef: view.orderRef,
    mode: view.mode,
    state: view.state,
    ready: view.ready,
    promisedAt: view.promisedAt,
    ...(view.estimatedArrivalAt ? { estimatedArrivalAt: view.estimatedArrivalAt } : {}),
    times: view.times,
  };
}

/**
 * `POST /v1/devices/me/pickups`: attaches the pickup an attach token names to the calling
 * device. The token works once: a second device (or a replay) gets 404, like an unknown token.
 */
export async function attachPickupToDevice(
  deps: PickupDeps,
  device: DevicePrincipal,
  token: string,
) {
  const hash = attachTokenHash(token);
  const notFoundToken = () => notFound("attachToken", "pickup for this token");
  for (let attempt = 0; ; attempt++) {
    const now = deps.clock.now();
    const target = await deps.pickups.byAttachToken(hash, now);
    if (!target) throw notFoundToken();
    const stored = await deps.pickups.get(target.merchantId, target.pickupId);
    if (!stored) throw notFoundToken();
    const expired = expirePickup(stored.pickup, now, deps.rules);
    if (expired.pickup.terminal !== undefined) {
      throw new ConflictError(`pickup: the pickup is ${expired.pickup.terminal}.`, {
        issues: [{ path: "attachToken", reason: `the pickup is ${expired.pickup.terminal}` }],
      });
    }
    const result = attachDomain(stored.pickup, device.deviceId, now);
    if (!result.changed) throw notFoundToken();
    const next = nextStored(stored, result.pickup, result.events);
    try {
      await deps.pickups.attach(next, stored.pickup.version, hash);
    } catch (error) {
      if (error instanceof PickupConflict && attempt < MAX_CONFLICT_RETRIES) continue;
      if (error instanceof PickupConflict) throw notFoundToken();
      if (error instanceof TooManyPickups) {
        throw new ConflictError("attachToken: the device already holds the most active pickups.", {
          issues: [{ path: "attachToken", reason: "the device holds the most active pickups" }],
        });
      }
      throw error;
    }
    return devicePickupView(next.pickup);
  }
}

/** The device's pickup `id` if it is attached to this very device; 404 otherwise. */
async function ownPickup(deps: PickupDeps, device: DevicePrincipal, id: string | undefined) {
  const pickupId = checkPickupId(id);
  const ref = (device.pickupRefs ?? [])
    .map((r) => pickupRef.parse(r))
    .find((r) => r?.pickupId === pickupId);
  const stored = ref ? await deps.pickups.get(ref.merchantId, pickupId) : undefined;
  if (!stored || stored.pickup.deviceId !== device.deviceId) throw notFound("pickupId", "pickup");
  return stored;
}

/** `POST /v1/devices/me/pickups/{pickupId}/arrived`: "I'm here", no location needed. */
export async function deviceArrived(
  deps: PickupDeps,
  device: DevicePrincipal,
  id: string | undefined,
) {
  const stored = await ownPickup(deps, device, id);
  const pickup = await transition(
    deps,
    stored.pickup.merchantId,
    stored.pickup.pickupId,
    (p, now) =>
      p.deviceId === device.deviceId
        ? manualArrival(p, now)
        : { pickup: p, events: [], changed: false },
  );
  return devicePickupView(pickup);
}

/** `GET /v1/devices/me/pickups/{pickupId}`: the shopper's own pickup. */
export async function devicePickup(
  deps: PickupDeps,
  device: DevicePrincipal,
  id: string | undefined,
) {
  const stored = await ownPickup(deps, device, id);
  return devicePickupView(stored.pickup);
}

/** Geometry the ping path needs for a pickup's store: its footprint and pickup bays. */
export interface PickupGeometry {
  zonesById(ids: readonly string[]): Promise<Map<string, MatchedZone>>;
}

/**
 * Port: road travel time (seconds) from a point to a destination, driving or walking (Amazon
 * Location CalculateRoute). Throws when the service fails; the caller falls back.
 */
export interface RouteEstimator {
  travelTimeS(
    from: { lat: number; lon: number },
    to: { lat: number; lon: number },
    mode: "car" | "walk",
  ): Promise<number>;
}

export interface TrackDeps extends PickupDeps {
  geometry: PickupGeometry;
  /** Absent: estimates are distance-based only (no route calculator configured). */
  routes?: RouteEstimator | undefined;
  routeRefinement?: RouteRefinementRules | undefined;
  /** Told about each route asked for and whether it failed (metrics, logs). */
  onRoute?: ((outcome: "refined" | "failed") => void) | undefined;
}

/**
 * The step refined by a road route when one is due (see `routeRequest`): a failing route
 * service leaves the distance-based estimate, and the order asks again only after the interval.
 */
async function refineWithRoute(
  deps: TrackDeps,
  step: PickupStep,
  destination: { lat: number; lon: number },
  now: number,
): Promise<PickupStep> {
  if (!deps.routes) return step;
  const request = routeRequest(step.pickup, now, deps.routeRefinement, deps.rules);
  if (!request) return step;
  let travelS: number | undefined;
  try {
    travelS = await deps.routes.travelTimeS(request.from, destination, request.mode);
    deps.onRoute?.("refined");
  } catch {
    deps.onRoute?.("failed");
  }
  const refined = applyRouteEstimate(step.pickup, request, travelS, now, deps.routeRefinement);
  return { pickup: refined.pickup, events: [...step.events, ...refined.events], changed: true };
}

/** What the ping path reports about pickups for one batch. */
export interface TrackResult {
  /** Pickups read (one DynamoDB read each). */
  read: number;
  events: { pickupId: string; type: string; at: number }[];
}

/**
 * The ping path's part: for each active pickup the device holds (from the authorizer's context,
 * so a device without one costs nothing here), advance its arrival stage with the batch's fixes.
 * Location is used only while the pickup is attached to this device and not over.
 */
export async function trackPickups(
  deps: TrackDeps,
  device: DevicePrincipal,
  pings: readonly Ping[],
  footprintId: (storeId: string) => string,
  bayIds: (pickup: Pickup) => string[],
): Promise<TrackResult> {
  const result: TrackResult = { read: 0, events: [] };
  for (const raw of device.pickupRefs ?? []) {
    const ref = pickupRef.parse(raw);
    if (!ref) continue;
    for (let attempt = 0; ; attempt++) {
      const stored = await deps.pickups.get(ref.merchantId, ref.pickupId);
      result.read++;
      if (!stored || stored.pickup.deviceId !== device.deviceId) {
        if (
          !stored ||
          stored.pickup.terminal !== undefined ||
          stored.pickup.deviceId === undefined
        ) {
          await deps.pickups.dropDeviceRef(device.deviceId, raw);
        }
        break;
      }
      const now = deps.clock.now();
      const expired = expirePickup(stored.pickup, now, deps.rules);
      let step: PickupStep = { pickup: expired.pickup, events: [], changed: false };
      if (usesLocation(expired.pickup)) {
        const fpId = footprintId(expired.pickup.storeId);
        const bays = bayIds(expired.pickup);
        const zones = await deps.geometry.zonesById([fpId, ...bays]);
        const footprint = zones.get(fpId);
        if (footprint) {
          const fixes: PickupObservation[] = pings.map((ping) => ({
            ts: ping.timestamp,
            lat: ping.lat,
            lon: ping.lon,
            accuracyM: ping.accuracyM,
            speedMps: ping.speedMps,
            isMock: ping.isMock,
            footprintDistanceM: footprint.compiled.signedDistanceM(ping.lat, ping.lon),
            footprintRadiusM: footprint.zone.characteristicRadiusM,
            inBay: bays.some((id) => {
              const bay = zones.get(id);
              return bay !== undefined && bay.compiled.signedDistanceM(ping.lat, ping.lon) <= 0;
            }),
          }));
          step = observePickup(expired.pickup, fixes, now, deps.rules);
          const [west, south, east, north] = footprint.compiled.bbox;
          const lon = east >= west ? (west + east) / 2 : (((west + east + 540) / 2) % 360) - 180;
          step = await refineWithRoute(deps, step, { lat: (south + north) / 2, lon }, now);
        }
      }
      const events = [...expired.events, ...step.events];
      if (!expired.changed && !step.changed) break;
      const next = nextStored(stored, step.pickup, events);
      try {
        await deps.pickups.save(next, stored.pickup.version);
      } catch (error) {
        if (error instanceof PickupConflict && attempt < MAX_CONFLICT_RETRIES) continue;
        throw error;
      }
      if (!usesLocation(next.pickup)) await deps.pickups.dropDeviceRef(device.deviceId, raw);
      for (const e of events)
        result.events.push({ pickupId: ref.pickupId, type: e.type, at: e.at });
      break;
    }
  }
  return result;
}

/** Thrown for a malformed action segment (the route table names the three actions). */
export function checkStaffAction(action: string | undefined): StaffAction {
  if (action === "ready" || action === "complete" || action === "cancel") return action;
  throw ValidationError.field("action", "must be ready, complete or cancel");
}
