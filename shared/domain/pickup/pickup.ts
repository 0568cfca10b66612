/**
 * Pickup orders ("order online, pick up in store"): the entity, its arrival state machine and the
 * arrival estimate. Pure: time comes in as arguments, nothing here reads a clock or a database.
 *
 * A pickup has two independent progressions:
 * - the ARRIVAL stage, driven by the shopper's pings (or a manual "I'm here"), forward only:
 *   `created → en_route → nearby → arrived → waiting`; a stage may be skipped (a shopper first
 *   seen already close is never `en_route`), never repeated, never gone back to;
 * - the ORDER side, driven by staff: `ready` (the order is prepared) at most once, then one
 *   terminal state `completed | cancelled | no_show` (staff, or a timeout).
 * Every change yields exactly one event; an event type happens at most once per pickup.
 */
import { distanceM } from "../visit/ping-quality.ts";

export const PICKUP_ID_PREFIX = "pu";

/** Whether `id` has the shape of an id issued with `prefix` (`prefix_` + 8–64 base64url). */
export function hasIdShape(prefix: string, id: string): boolean {
  return id.startsWith(`${prefix}_`) && /^[A-Za-z0-9_-]{8,64}$/.test(id.slice(prefix.length + 1));
}
export const PICKUP_MODES = ["in_store", "curbside"] as const;
export type PickupMode = (typeof PICKUP_MODES)[number];

/** Arrival stages in order; a pickup only moves to a later one. */
export const ARRIVAL_STAGES = ["created", "en_route", "nearby", "arrived", "waiting"] as const;
export type ArrivalStage = (typeof ARRIVAL_STAGES)[number];
export const TERMINAL_STATES = ["completed", "cancelled", "no_show"] as const;
export type TerminalState = (typeof TERMINAL_STATES)[number];
export type PickupState = ArrivalStage | TerminalState;
/** Every state a pickup can be in: the arrival stages, then the terminal states. */
export const PICKUP_STATES = [...ARRIVAL_STAGES, ...TERMINAL_STATES] as const;

/** Everything that can happen to a pickup, each at most once. */
export const PICKUP_EVENT_TYPES = [
  "created",
  "attached",
  "en_route",
  "nearby",
  "arrived",
  "waiting",
  "ready",
  "completed",
  "cancelled",
  "no_show",
] as const;
export type PickupEventType = (typeof PICKUP_EVENT_TYPES)[number];

/** Who or what caused a change. */
export type PickupCause = "merchant" | "device" | "location" | "staff" | "timeout";

export interface PickupEvent {
  type: PickupEventType;
  /** Epoch ms. */
  at: number;
  cause: PickupCause;
  /** Predicted arrival (epoch ms) when known at this event (en_route, nearby). */
  estimatedArrivalAt?: number;
}

export interface Vehicle {
  description?: string | undefined;
  color?: string | undefined;
  licensePlate?: string | undefined;
}

/**
 * What a trip needs remembered between ping batches, only while the pickup is active (dropped
 * on every terminal state: nothing about the trip outlives the order but the state timestamps).
 */
export interface TripState {
  /** Latest accepted fix (epoch ms, degrees). */
  ts: number;
  lat: number;
  lon: number;
  /** Metres to the store's footprint at that fix (≤ 0 inside). */
  distanceM: number;
  /** Smoothed closing speed toward the footprint (m/s; negative: moving away). */
  closingMps?: number;
}

/** A pickup order as stored. */
export interface Pickup {
  merchantId: string;
  pickupId: string;
  storeId: string;
  /** The merchant's own order reference (shown to staff). */
  orderRef: string;
  mode: PickupMode;
  /** When the merchant promised the order would be ready (epoch ms). */
  promisedAt: number;
  vehicle?: Vehicle | undefined;
  /** The store-side label shown on the staff board, e.g. the customer's first name. */
  customerName?: string | undefined;
  stage: ArrivalStage;
  terminal?: TerminalState | undefined;
  /** Who ended the pickup (staff, or a timeout): a forgotten completion is no wait time. */
  endedBy?: PickupCause | undefined;
  /** First time of each event (epoch ms); an event type happens at most once. */
  times: Partial<Record<PickupEventType, number>>;
  /** How arrival was established. */
  arrivalSource?: "location" | "manual" | undefined;
  /** Zone ids of the store's pickup bays when the pickup was created (waiting = inside one). */
  bayZoneIds?: string[] | undefined;
  /** ETA under this (seconds) makes the pickup `nearby`. */
  nearbyThresholdS: number;
  /** The device the order is attached to (removed on the terminal state). */
  deviceId?: string | undefined;
  /** Latest arrival estimate (epoch ms) while travelling; absent when unknown. */
  estimatedArrivalAt?: number | undefined;
  /** The estimate made when `nearby` fired: compared with the real arrival for metrics. */
  nearbyEstimateAt?: number | undefined;
  trip?: TripState | undefined;
  /**
   * Road travel time over the distance-based estimate at the last route calculation (Amazon
   * Location), applied to later distance-based estimates; dropped with the trip.
   */
  routeRatio?: number | undefined;
  /** When a route was last asked for (epoch ms; success or not): the per-order rate limit. */
  routeCheckedAt?: number | undefined;
  version: number;
}

/** Tunables of arrival detection (defaults documented on each field). */
export interface PickupRules {
  /** Default `nearby` threshold: 5 minutes. */
  nearbyThresholdS: number;
  /** Closing speed (m/s) above which the shopper counts as travelling toward the store: 0.5. */
  minApproachMps: number;
  /** Lowest speed an estimate divides by (m/s; slow walk): 0.8. Bounds the estimate of a crawl. */
  speedFloorMps: number;
  /** Highest smoothed speed believed (m/s; 144 km/h): 40. */
  speedCapMps: number;
  /** Weight of the newest speed sample in the exponential smoothing: 0.5. */
  smoothing: number;
  /**
   * Road distance over straight-line distance: 1.0 (straight line). Urban road networks run
   * 1.2–1.4 (circuity factor, Boeing 2019, "Urban spatial order"); a merchant may raise it.
   */
  routeFactor: number;
  /** Estimates beyond this many seconds are capped (nobody is "arriving" in two days): 6 h. */
  estimateCapS: number;
  /** Fixes less accurate than this (m) are ignored: 100. */
  maxAccuracyM: number;
  /** Moving faster than this (m/s, ~25 km/h) inside the footprint is driving through: 7. */
  arrivalMaxSpeedMps: number;
  /** Implied speed (m/s) above which a fix is an impossible jump and ignored: 70. */
  maxImpliedSpeedMps: number;
  /** No arrival this long after the promised time: no-show. 2 h. */
  noShowAfterS: number;
  /** Arrived but not completed this long: completed by timeout. 3 h. */
  autoCompleteAfterS: number;
  /** Trip pings more than this far in the past are ignored (seconds): 10 min. */
  maxPingAgeS: number;
}

export const DEFAULT_PICKUP_RULES: PickupRules = {
  nearbyThresholdS: 300,
  minApproachMps: 0.5,
  speedFloorMps: 0.8,
  speedCapMps: 40,
  smoothing: 0.5,
  routeFactor: 1,
  estimateCapS: 6 * 3600,
  maxAccuracyM: 100,
  arrivalMaxSpeedMps: 7,
  maxImpliedSpeedMps: 70,
  noShowAfterS: 2 * 3600,
  autoCompleteAfterS: 3 * 3600,
  maxPingAgeS: 600,
};

/** One ping as the pickup sees it: the distance to its store's footprint and bays. */
export interface PickupObservation {
  /** Epoch ms (device clock, already checked against the server clock by ping validation). */
  ts: number;
  lat: number;
  lon: number;
  accuracyM: number;
  /** OS speed, m/s, when known (negative or absent: unknown). */
  speedMps?: number | undefined;
  isMock?: boolean | undefined;
  /** Signed metres to the store footprint: ≤ 0 inside. */
  footprintDistanceM: number;
  /** Accuracy up to which an inside footprint fix is trusted (the footprint's radius, m). */
  footprintRadiusM: number;
  /** Whether the fix lies inside one of the store's pickup bays. */
  inBay: boolean;
}

export function isTerminal(p: Pick<Pickup, "terminal">): boolean {
  return p.terminal !== undefined;
}

/** Whether location may be used for the pickup: attached to a device and not yet over. */
export function usesLocation(p: Pick<Pickup, "terminal" | "deviceId">): boolean {
  return p.deviceId !== undefined && p.terminal === undefined;
}

/** The public state: the terminal state when over, else the arrival stage. */
export function pickupState(p: Pick<Pickup, "stage" | "terminal">): PickupState {
  return p.terminal ?? p.stage;
}

function stageIndex(stage: ArrivalStage): number {
  return ARRIVAL_STAGES.indexOf(stage);
}

/**
 * Seconds until arrival: `routeFactor × d / clamp(v, speedFloorMps, speedCapMps)`, capped at
 * `estimateCapS`, where `d` is the straight-line distance (m) to the footprint and `v` the
 * smoothed closing speed (m/s). 0 at or inside the footprint; undefined when the shopper is not
 * closing in (v below `minApproachMps`): a parked or receding phone has no arrival to predict.
 */
export function arrivalEstimateS(
  distanceToFootprintM: number,
  closingMps: number | undefined,
  rules: PickupRules = DEFAULT_PICKUP_RULES,
): number | undefined {
  if (distanceToFootprintM <= 0) return 0;
  if (closingMps === undefined || !(closingMps >= rules.minApproachMps)) return undefined;
  const v = Math.min(Math.max(closingMps, rules.speedFloorMps), rules.speedCapMps);
  return Math.min((rules.routeFactor * distanceToFootprintM) / v, rules.estimateCapS);
}

/**
 * Exponentially smoothed closing speed: `s' = α·sample + (1 − α)·s` (α = `smoothing`), the
 * sample being the change in distance to the footprint over the time between two fixes,
 * clamped to ±`speedCapMps`.
 */
export function smoothClosingSpeed(
  previous: number | undefined,
  sample: number,
  rules: PickupRules = DEFAULT_PICKUP_RULES,
): number {
  const s = Math.max(-rules.speedCapMps, Math.min(rules.speedCapMps, sample));
  return previous === undefined ? s : rules.smoothing * s + (1 - rules.smoothing) * previous;
}

export interface PickupStep {
  pickup: Pickup;
  events: PickupEvent[];
  /** Whether anything to store changed (trip memory included). */
  changed: boolean;
}

function withEvent(
  p: Pickup,
  events: PickupEvent[],
  type: PickupEventType,
  at: number,
  cause: PickupCause,
  extra: Partial<PickupEvent> = {},
): Pickup {
  if (p.times[type] !== undefined) return p;
  events.push({ type, at, cause, ...extra });
  return { ...p, times: { ...p.times, [type]: at } };
}

function toStage(
  p: Pickup,
  events: PickupEvent[],
  stage: ArrivalStage,
  at: number,
  cause: PickupCause,
  extra: Partial<PickupEvent> = {},
): Pickup {
  if (stageIndex(stage) <= stageIndex(p.stage)) return p;
  const next = withEvent(p, events, stage, at, cause, extra);
  return { ...next, stage };
}

/** Ends the pickup: one terminal event, the trip memory and the device link dropped. */
function toTerminal(
  p: Pickup,
  events: PickupEvent[],
  state: TerminalState,
  at: number,
  cause: PickupCause,
): Pickup {
  if (p.terminal !== undefined) return p;
  const next = withEvent(p, events, state, at, cause);
  const {
    trip: _trip,
    deviceId: _device,
    estimatedArrivalAt: _eta,
    routeRatio: _ratio,
    routeCheckedAt: _checked,
    ...rest
  } = next;
  return { ...rest, terminal: state, endedBy: cause };
}

function arrive(
  p: Pickup,
  events: PickupEvent[],
  at: number,
  source: "location" | "manual",
): Pickup {
  if (stageIndex(p.stage) >= stageIndex("arrived")) return p;
  const next = toStage(p, events, "arrived", at, source === "manual" ? "device" : "location");
  const { estimatedArrivalAt: _eta, ...rest } = next;
  return { ...rest, arrivalSource: source };
}

/**
 * Advances a pickup with the batch's fixes (sorted by time). A fix is ignored when the pickup
 * does not use location, when it is a mock, of unknown or poor accuracy, not newer than the last
 * one, or an impossible jump from it. Transitions, each at most once and only forward:
 * - `en_route`: the smoothed closing speed reaches `minApproachMps` (outside the footprint);
 * - `nearby`: the arrival estimate drops to the threshold or below (the estimate is kept for
 *   the estimate-error metric);
 * - `arrived`: an accurate fix inside the footprint at under `arrivalMaxSpeedMps`
 *   (driving through a car park is not arriving);
 * - `waiting`: an accurate fix inside a pickup bay at under that speed (after `arrived`,
 *   which it implies).
 */
export function observePickup(
  pickup: Pickup,
  fixes: readonly PickupObservation[],
  nowMs: number,
  rules: PickupRules = DEFAULT_PICKUP_RULES,
): PickupStep {
  if (!usesLocation(pickup)) return { pickup, events: [], changed: false };
  const events: PickupEvent[] = [];
  let p = pickup;
  let changed = false;
  for (const fix of fixes) {
    if (p.terminal !== undefined) break;
    if (fix.isMock === true) continue;
    if (!(fix.accuracyM > 0) || fix.accuracyM > rules.maxAccuracyM) continue;
    if (fix.ts < nowMs - rules.maxPingAgeS * 1000) continue;
    const last = p.trip;
    if (last && fix.ts <= last.ts) continue;
    const dt = last ? (fix.ts - last.ts) / 1000 : 0;
    const moved = last ? distanceM(last, fix) : 0;
    const implied = last && dt > 0 ? moved / dt : 0;
    if (last && implied > rules.maxImpliedSpeedMps) continue;
    const reported = fix.speedMps !== undefined && fix.speedMps >= 0 ? fix.speedMps : undefined;
    const speed = Math.max(reported ?? 0, last ? implied : 0);

    let closingMps = last?.closingMps;
    if (last && dt > 0) {
      closingMps = smoothClosingSpeed(
        closingMps,
        (last.distanceM - fix.footprintDistanceM) / dt,
        rules,
      );
    }
    p = {
      ...p,
      trip: {
        ts: fix.ts,
        lat: fix.lat,
        lon: fix.lon,
        distanceM: fix.footprintDistanceM,
        ...(closingMps !== undefined ? { closingMps } : {}),
      },
    };
    changed = true;

    const slow = speed <= rules.arrivalMaxSpeedMps;
    const trusted = fix.accuracyM <= Math.max(fix.footprintRadiusM, 25);
    if (fix.inBay && slow && fix.accuracyM <= rules.maxAccuracyM / 2) {
      p = arrive(p, events, fix.ts, "location");
      p = toStage(p, events, "waiting", fix.ts, "location");
      continue;
    }
    if (fix.footprintDistanceM <= 0) {
      if (slow && trusted) p = arrive(p, events, fix.ts, "location");
      continue;
    }
    if (stageIndex(p.stage) >= stageIndex("arrived")) continue;
    const distanceEtaS = arrivalEstimateS(fix.footprintDistanceM, closingMps, rules);
    const etaS =
      distanceEtaS === undefined
        ? undefined
        : Math.min(distanceEtaS * (p.routeRatio ?? 1), rules.estimateCapS);
    const eta = etaS === undefined ? undefined : fix.ts + Math.round(etaS * 1000);
    if (eta === undefined) {
      const { estimatedArrivalAt: _e, ...rest } = p;
      p = rest;
    } else {
      p = { ...p, estimatedArrivalAt: eta };
    }
    if (eta !== undefined && closingMps !== undefined && closingMps >= rules.minApproachMps) {
      p = toStage(p, events, "en_route", fix.ts, "location", { estimatedArrivalAt: eta });
      if (etaS !== undefined && etaS <= p.nearbyThresholdS) {
        const before = p.stage;
        p = toStage(p, events, "nearby", fix.ts, "location", { estimatedArrivalAt: eta });
        if (before !== p.stage) p = { ...p, nearbyEstimateAt: eta };
      }
    }
  }
  return { pickup: p, events, changed: changed || events.length > 0 };
}

/** When and how a pickup's estimate may be refined by a road route (Amazon Location). */
export interface RouteRefinementRules {
  /**
   * Refine only while the current estimate lies within [low, high] × the pickup's `nearby`
   * threshold: far away the straight line is good enough for "en route", and the call is only
   * worth its price where it decides when `nearby` fires. Default [0.25, 2].
   */
  band: readonly [number, number];
  /** At most one route per order this often (seconds): 60. */
  everyS: number;
  /** The road/straight-line ratio applied to later estimates is clamped to this: [0.5, 4]. */
  ratioBounds: readonly [number, number];
  /** Closing speed (m/s) above which the route is driven, below it walked: 3. */
  drivingAboveMps: number;
}

export const DEFAULT_ROUTE_REFINEMENT: RouteRefinementRules = {
  band: [0.25, 2],
  everyS: 60,
  ratioBounds: [0.5, 4],
  drivingAboveMps: 3,
};

/** A road route to ask for: from the pickup's latest fix, driving or walking. */
export interface RouteRequest {
  from: { lat: number; lon: number };
  mode: "car" | "walk";
  /** The distance-based estimate (s) at that fix, before any ratio. */
  distanceEtaS: number;
}

/**
 * Whether the pickup's estimate should be refined by a route now, and from where: only while it
 * uses location and is not yet `nearby`, its estimate lies in the band around the threshold, and
 * no route was asked for in the last `everyS` seconds.
 */
export function routeRequest(
  p: Pickup,
  nowMs: number,
  refinement: RouteRefinementRules = DEFAULT_ROUTE_REFINEMENT,
  rules: PickupRules = DEFAULT_PICKUP_RULES,
): RouteRequest | undefined {
  if (!usesLocation(p) || stageIndex(p.stage) >= stageIndex("nearby")) return undefined;
  const trip = p.trip;
  if (!trip || trip.distanceM <= 0 || p.estimatedArrivalAt === undefined) return undefined;
  if (p.routeCheckedAt !== undefined && nowMs - p.routeCheckedAt < refinement.everyS * 1000) {
    return undefined;
  }
  const etaS = (p.estimatedArrivalAt - trip.ts) / 1000;
  const [low, high] = refinement.band;
  if (etaS < low * p.nearbyThresholdS || etaS > high * p.nearbyThresholdS) return undefined;
  const distanceEtaS = arrivalEstimateS(trip.distanceM, trip.closingMps, rules);
  if (distanceEtaS === undefined || distanceEtaS <= 0) return undefined;
  const mode =
    p.mode === "curbside" || (trip.closingMps ?? 0) > refinement.drivingAboveMps ? "car" : "walk";
  return { from: { lat: trip.lat, lon: trip.lon }, mode, distanceEtaS };
}

/**
 * Applies a route's travel time (seconds; undefined when the route failed) to the pickup: the
 * ask is recorded (rate limit) either way; a travel time replaces the estimate, sets the ratio
 * applied to later distance-based estimates, and fires `nearby` when it is under the threshold.
 */
export function applyRouteEstimate(
  pickup: Pickup,
  request: RouteRequest,
  travelS: number | undefined,
  nowMs: number,
  refinement: RouteRefinementRules = DEFAULT_ROUTE_REFINEMENT,
): PickupStep {
  const trip = pickup.trip;
  let p: Pickup = { ...pickup, routeCheckedAt: nowMs };
  const events: PickupEvent[] = [];
  if (!trip || travelS === undefined || !Number.isFinite(travelS) || travelS < 0) {
    return { pickup: p, events, changed: true };
  }
  const [min, max] = refinement.ratioBounds;
  const ratio = Math.min(max, Math.max(min, travelS / request.distanceEtaS));
  const eta = trip.ts + Math.round(request.distanceEtaS * ratio * 1000);
  p = { ...p, routeRatio: ratio, estimatedArrivalAt: eta };
  if ((eta - trip.ts) / 1000 <= p.nearbyThresholdS) {
    p = toStage(p, events, "en_route", trip.ts, "location", { estimatedArrivalAt: eta });
    const before = p.stage;
    p = toStage(p, events, "nearby", trip.ts, "location", { estimatedArrivalAt: eta });
    if (before !== p.stage) p = { ...p, nearbyEstimateAt: eta };
  }
  return { pickup: p, events, changed: true };
}

/** The shopper's "I'm here" from the app: arrival without location. */
export function manualArrival(pickup: Pickup, nowMs: number): PickupStep {
  if (pickup.terminal !== undefined) return { pickup, events: [], changed: false };
  const events: PickupEvent[] = [];
  const p = arrive(pickup, events, nowMs, "manual");
  return { pickup: p, events, changed: events.length > 0 };
}

export const STAFF_ACTIONS = ["ready", "complete", "cancel"] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** Why a staff action cannot apply (the caller maps it to 409 naming `state`). */
export class PickupStateError extends Error {
  override readonly name = "PickupStateError";
  constructor(
    readonly action: StaffAction,
    readonly state: PickupState,
  ) {
    super(`A ${state} pickup cannot be marked ${action}.`);
  }
}

/**
 * A staff action. Repeating the action that already happened is a no-op (idempotent retries);
 * any action on a pickup that ended otherwise throws `PickupStateError`.
 */
export function staffAction(pickup: Pickup, action: StaffAction, nowMs: number): PickupStep {
  const target: PickupEventType =
    action === "ready" ? "ready" : action === "complete" ? "completed" : "cancelled";
  if (pickup.times[target] !== undefined) return { pickup, events: [], changed: false };
  if (pickup.terminal !== undefined) throw new PickupStateError(action, pickupState(pickup));
  const events: PickupEvent[] = [];
  const p =
    action === "ready"
      ? withEvent(pickup, events, "ready", nowMs, "staff")
      : toTerminal(
          pickup,
          events,
          action === "complete" ? "completed" : "cancelled",
          nowMs,
          "staff",
        );
  return { pickup: p, events, changed: true };
}

/** Attaches the pickup to a device (once; the token that allowed it is single-use). */
export function attachPickup(pickup: Pickup, deviceId: string, nowMs: number): PickupStep {
  if (pickup.terminal !== undefined || pickup.deviceId !== undefined) {
    return { pickup, events: [], changed: false };
  }
  const events: PickupEvent[] = [];
  const p = withEvent({ ...pickup, deviceId }, events, "attached", nowMs, "device");
  return { pickup: p, events, changed: true };
}

/**
 * Timeouts: no arrival `noShowAfterS` after the promised time is a no-show; an arrival not
 * completed within `autoCompleteAfterS` is completed by timeout (the staff forgot to close it).
 */
export function expirePickup(
  pickup: Pickup,
  nowMs: number,
  rules: PickupRules = DEFAULT_PICKUP_RULES,
): PickupStep {
  if (pickup.terminal !== undefined) return { pickup, events: [], changed: false };
  const events: PickupEvent[] = [];
  const arrivedAt = pickup.times.arrived;
  let p = pickup;
  if (arrivedAt === undefined) {
    const due = pickup.promisedAt + rules.noShowAfterS * 1000;
    if (nowMs >= due) p = toTerminal(p, events, "no_show", due, "timeout");
  } else {
    const due = arrivedAt + rules.autoCompleteAfterS * 1000;
    if (nowMs >= due) p = toTerminal(p, events, "completed", due, "timeout");
  }
  return { pickup: p, events, changed: events.length > 0 };
}

/** When the pickup next needs a timeout check (epoch ms), or undefined once over. */
export function pickupDueAt(pickup: Pickup, rules: PickupRules = DEFAULT_PICKUP_RULES) {
  if (pickup.terminal !== undefined) return undefined;
  const arrivedAt = pickup.times.arrived;
  return arrivedAt === undefined
    ? pickup.promisedAt + rules.noShowAfterS * 1000
    : arrivedAt + rules.autoCompleteAfterS * 1000;
}

/**
 * The pickup as merchants and staff see it: states and their times, the latest estimate, the
 * vehicle. Never the trip (positions, speeds) and never the device id.
 */
export function pickupView(p: Pickup) {
  const iso = (ms: number | undefined) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  const times: Record<string, string> = {};
  for (const type of PICKUP_EVENT_TYPES) {
    const at = p.times[type];
    if (at !== undefined) times[type] = new Date(at).toISOString();
  }
  return {
    pickupId: p.pickupId,
    storeId: p.storeId,
    orderRef: p.orderRef,
    mode: p.mode,
    state: pickupState(p),
    ready: p.times.ready !== undefined,
    attached: p.deviceId !== undefined || p.times.attached !== undefined,
    promisedAt: new Date(p.promisedAt).toISOString(),
    ...(p.customerName !== undefined ? { customerName: p.customerName } : {}),
    ...(p.vehicle !== undefined ? { vehicle: p.vehicle } : {}),
    ...(p.estimatedArrivalAt !== undefined
      ? { estimatedArrivalAt: iso(p.estimatedArrivalAt) }
      : {}),
    ...(p.arrivalSource !== undefined ? { arrivalSource: p.arrivalSource } : {}),
    nearbyThresholdSeconds: p.nearbyThresholdS,
    times,
    version: p.version,
  };
}
export type PickupView = ReturnType<typeof pickupView>;
