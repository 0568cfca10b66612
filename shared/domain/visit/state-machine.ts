import { isDeepStrictEqual } from "node:util";
import {
  assertValidObservations,
  checkJump,
  dwellSecondsFor,
  exitMarginM,
  hasKnownAccuracy,
  isAccurateFor,
  isSpeedEvidence,
  reportedSpeedMps,
} from "./ping-quality.ts";
import type { VisitRules } from "./rules.ts";
import type {
  AdvanceOptions,
  DeviceVisitState,
  ExitedEvent,
  ExpireResult,
  Fix,
  Ping,
  PingObservation,
  VisitResult,
  VisitStats,
  ZoneEvent,
  ZoneEventBase,
  ZoneRef,
  ZoneVisitState,
} from "./types.ts";

const DAY_S = 86_400;

/** State of a device never seen before, so callers and stores need no special case. */
export function emptyVisitState(): DeviceVisitState {
  return { schema: 1, recentIds: [], zones: [] };
}

/** Zeroed counters, the base for summing stats over several batches. */
export function emptyVisitStats(): VisitStats {
  return {
    received: 0,
    processed: 0,
    duplicates: 0,
    stale: 0,
    future: 0,
    inaccurate: 0,
    flaggedMock: 0,
    flaggedTeleport: 0,
    relocations: 0,
    driveBy: 0,
    untracked: 0,
  };
}

/**
 * Folds a batch of matched pings into the device's visit state and returns the zone events.
 *
 * Why a pure reducer: the same batch may be delivered twice, batches may arrive out of order and
 * the state is written with optimistic locking, so the outcome must depend only on (state, batch).
 *
 * Semantics (see also VisitRules):
 * - pings are processed in timestamp order (stable); a ping whose id was seen recently or whose
 *   timestamp is ≤ the latest processed one is ignored, so a retried batch changes nothing;
 * - mock pings and impossible jumps never touch zone state; a jump does not become the reference
 *   fix, but a second fix consistent with it confirms a real relocation (a flight);
 * - a ping too inaccurate for a zone neither enters, refreshes nor exits that zone;
 * - `entered` at the first accurate inside ping; `dwelled` once, when the device has been inside
 *   and slow for the zone's dwell time over ≥ minDwellPings pings (a fast ping restarts that
 *   clock, so a drive-by never dwells but someone who parks and walks in does);
 * - `exited` at the first accurate ping beyond hysteresisM + accuracyM outside (edge jitter cannot
 *   flap), or — when no inside ping came for exitTimeoutS — dated at the last inside ping;
 *   durationS is always lastInsideAt - enteredAt.
 *
 * The caller must list, for each ping, every zone the ping is inside or near AND every zone open
 * in `state` (see PingObservation). Pass `options.nowMs` so pings from a wrong device clock cannot
 * block the device; persist `state` only when `changed`.
 */
export function advanceVisits(
  state: DeviceVisitState | undefined,
  observations: readonly PingObservation[],
  rules: VisitRules,
  options: AdvanceOptions = {},
): VisitResult {
  assertValidObservations(observations);
  const before = state ?? emptyVisitState();
  const machine = new VisitMachine(before, rules);
  const sorted = observations
    .map((observation, index) => ({ observation, index }))
    .sort(
      (a, b) => a.observation.ping.timestamp - b.observation.ping.timestamp || a.index - b.index,
    );
  machine.stats.received = observations.length;
  for (const { observation } of sorted) machine.observe(observation, options.nowMs);
  const after = machine.snapshot();
  return {
    state: after,
    events: machine.events,
    stats: machine.stats,
    changed: !isDeepStrictEqual(before, after),
  };
}

/**
 * Closes every visit with no inside ping for `exitTimeoutS` before `nowMs`. Why: a phone that
 * goes silent (app killed, battery) sends no outside ping, so a sweeper must end its visits.
 * Exits are dated at the last inside ping, exactly as if a later ping had found the timeout.
 */
export function expireVisits(
  state: DeviceVisitState,
  nowMs: number,
  rules: VisitRules,
): ExpireResult {
  const machine = new VisitMachine(state, rules);
  machine.expire(nowMs);
  const events = machine.events.filter((event): event is ExitedEvent => event.type === "exited");
  return { state: machine.snapshot(), events, changed: events.length > 0 };
}

/**
 * DynamoDB TTL (epoch seconds) for the stored state. Why: privacy caps raw positions at
 * maxStateAgeDays, so the clock starts at the oldest stored fix (the latest ping otherwise).
 * A state holding no timestamp at all is worthless and gets 0 (expire now).
 */
export function visitTtlSeconds(state: DeviceVisitState, rules: VisitRules): number {
  const fixTimes = [state.lastFix?.ts, state.jumpCandidate?.ts].filter(
    (ts): ts is number => ts !== undefined,
  );
  const base = fixTimes.length > 0 ? Math.min(...fixTimes) : state.lastProcessedTs;
  if (base === undefined) return 0;
  return Math.floor(base / 1000) + Math.floor(rules.maxStateAgeDays * DAY_S);
}

/** Mutable working copy of one device's state while a batch is folded in. */
class VisitMachine {
  readonly events: ZoneEvent[] = [];
  readonly stats = emptyVisitStats();
  private lastProcessedTs: number | undefined;
  private lastFix: Fix | undefined;
  private jumpCandidate: Fix | undefined;
  private readonly recentIds: string[];
  private readonly recentIdSet: Set<string>;
  private readonly zones = new Map<string, ZoneVisitState>();
  private readonly rules: VisitRules;

  constructor(state: DeviceVisitState, rules: VisitRules) {
    this.rules = rules;
    const copy = structuredClone(state);
    this.lastProcessedTs = copy.lastProcessedTs;
    this.lastFix = copy.lastFix;
    this.jumpCandidate = copy.jumpCandidate;
    this.recentIds = copy.recentIds;
    this.recentIdSet = new Set(copy.recentIds);
    for (const zone of copy.zones) this.zones.set(zone.zoneId, zone);
  }

  /** Plain, canonical JSON: optional fields absent rather than undefined, zones sorted. */
  snapshot(): DeviceVisitState {
    const state: DeviceVisitState = { schema: 1, recentIds: [...this.recentIds], zones: [] };
    if (this.lastProcessedTs !== undefined) state.lastProcessedTs = this.lastProcessedTs;
    if (this.lastFix !== undefined) state.lastFix = { ...this.lastFix };
    if (this.jumpCandidate !== undefined) state.jumpCandidate = { ...this.jumpCandidate };
    state.zones = [...this.zones.values()]
      .sort((a, b) => compareIds(a.zoneId, b.zoneId))
      .map((zone) => ({ ...zone }));
    return state;
  }

  observe(observation: PingObservation, nowMs: number | undefined): void {
    const { ping } = observation;
    if (!this.admit(ping, nowMs)) return;
    this.expire(ping.timestamp);
    if (ping.isMock === true) {
      this.stats.flaggedMock++;
      return;
    }
    // Implied speed over the gap since the last genuine fix; evidence of driving only when the
    // gap is short enough for the average to describe the present (rules.speedEvidenceMaxGapS).
    let impliedMps: number | undefined;
    if (hasKnownAccuracy(ping)) {
      const fix: Fix = {
        lat: ping.lat,
        lon: ping.lon,
        ts: ping.timestamp,
        accuracyM: ping.accuracyM,
      };
      const jump = checkJump(this.lastFix, this.jumpCandidate, fix, this.rules);
      if (jump.verdict === "jumped") {
        this.stats.flaggedTeleport++;
        this.jumpCandidate = fix;
        return;
      }
      if (jump.verdict === "relocated") this.stats.relocations++;
      // The fix the implied speed was measured from: the confirmed jump, or the last genuine fix.
      const previous = jump.verdict === "relocated" ? this.jumpCandidate : this.lastFix;
      this.lastFix = fix;
      this.jumpCandidate = undefined;
      if (isSpeedEvidence(previous, fix, this.rules)) impliedMps = jump.impliedMps;
    }
    const speed = reportedSpeedMps(ping) ?? impliedMps;
    const fast = speed !== undefined && speed > this.rules.driveBySpeedMps;
    this.applyZones(observation, fast);
  }

  /** Closes visits whose last inside ping is at least exitTimeoutS before `atMs`. */
  expire(atMs: number): void {
    const timeoutMs = this.rules.exitTimeoutS * 1000;
    const ids = [...this.zones.keys()].sort(compareIds);
    for (const id of ids) {
      const zone = this.zones.get(id);
      if (zone === undefined || atMs - zone.lastInsideAt < timeoutMs) continue;
      this.zones.delete(id);
      this.events.push(exitedEvent(zone, "timeout", zone.lastInsideAt, undefined));
    }
  }

  /** Dedupe, ordering and clock checks; records the ping as processed when it passes. */
  private admit(ping: Ping, nowMs: number | undefined): boolean {
    const ts = ping.timestamp;
    const last = this.lastProcessedTs;
    if ((ping.id !== undefined && this.recentIdSet.has(ping.id)) || ts === last) {
      this.stats.duplicates++;
      return false;
    }
    if (last !== undefined && ts < last) {
      this.stats.stale++;
      return false;
    }
    if (nowMs !== undefined) {
      if (ts > nowMs + this.rules.maxFutureSkewS * 1000) {
        this.stats.future++;
        return false;
      }
      if (ts < nowMs - this.rules.maxPingAgeS * 1000) {
        this.stats.stale++;
        return false;
      }
    }
    this.stats.processed++;
    this.lastProcessedTs = ts;
    if (ping.id !== undefined) this.rememberId(ping.id);
    return true;
  }

  private rememberId(id: string): void {
    const keep = this.rules.recentIdsKept;
    if (keep === 0) return;
    this.recentIds.push(id);
    this.recentIdSet.add(id);
    while (this.recentIds.length > keep) {
      const dropped = this.recentIds.shift();
      if (dropped !== undefined) this.recentIdSet.delete(dropped);
    }
  }

  private applyZones(observation: PingObservation, fast: boolean): void {
    const { ping } = observation;
    const ts = ping.timestamp;
    const seen = new Set<string>();
    let insideAny = false;
    let tooInaccurate = false;
    for (const { zone, signedDistanceM } of observation.zones) {
      if (seen.has(zone.zoneId)) continue;
      seen.add(zone.zoneId);
      const open = this.zones.get(zone.zoneId);
      if (!isAccurateFor(ping, zone, this.rules)) {
        if (open !== undefined || signedDistanceM <= 0) tooInaccurate = true;
        continue;
      }
      if (signedDistanceM <= 0) {
        insideAny = true;
        if (open === undefined) this.enter(zone, ping, fast);
        else this.stay(open, zone, ping, fast);
      } else if (open !== undefined && signedDistanceM > exitMarginM(ping, this.rules)) {
        this.zones.delete(zone.zoneId);
        this.events.push(exitedEvent(open, "outside", ts, ping.id));
      }
    }
    if (tooInaccurate) this.stats.inaccurate++;
    if (fast && insideAny) this.stats.driveBy++;
  }

  private enter(ref: ZoneRef, ping: Ping, fast: boolean): void {
    if (this.zones.size >= this.rules.maxTrackedZones) {
      this.stats.untracked++;
      return;
    }
    const ts = ping.timestamp;
    const zone: ZoneVisitState = {
      zoneId: ref.zoneId,
      kind: ref.kind,
      merchantId: ref.merchantId,
      storeId: ref.storeId,
      status: "inside",
      enteredAt: ts,
      lastInsideAt: ts,
      insidePings: 1,
      slowPings: 0,
      fastPings: 0,
    };
    if (ref.offerId !== undefined) zone.offerId = ref.offerId;
    this.zones.set(ref.zoneId, zone);
    trackSpeed(zone, ts, fast);
    this.events.push({ ...eventBase(zone, ts, ping.id), type: "entered", driving: fast });
    this.maybeDwell(zone, ref, ping);
  }

  private stay(zone: ZoneVisitState, ref: ZoneRef, ping: Ping, fast: boolean): void {
    zone.lastInsideAt = ping.timestamp;
    zone.insidePings++;
    trackSpeed(zone, ping.timestamp, fast);
    this.maybeDwell(zone, ref, ping);
  }

  private maybeDwell(zone: ZoneVisitState, ref: ZoneRef, ping: Ping): void {
    const ts = ping.timestamp;
    if (zone.status !== "inside" || zone.slowSince === undefined) return;
    if (zone.slowPings < this.rules.minDwellPings) return;
    if (ts - zone.slowSince < dwellSecondsFor(ref, this.rules) * 1000) return;
    zone.status = "dwelling";
    this.events.push({
      ...eventBase(zone, ts, ping.id),
      type: "dwelled",
      dwellS: (ts - zone.enteredAt) / 1000,
    });
  }
}

/** A fast inside ping restarts the slow run that a dwell is measured on. */
function trackSpeed(zone: ZoneVisitState, ts: number, fast: boolean): void {
  if (fast) {
    zone.fastPings++;
    zone.slowPings = 0;
    delete zone.slowSince;
    return;
  }
  if (zone.slowSince === undefined) {
    zone.slowSince = ts;
    zone.slowPings = 1;
  } else {
    zone.slowPings++;
  }
}

function eventBase(zone: ZoneVisitState, at: number, pingId: string | undefined): ZoneEventBase {
  const base: ZoneEventBase = {
    zoneId: zone.zoneId,
    kind: zone.kind,
    merchantId: zone.merchantId,
    storeId: zone.storeId,
    at,
    enteredAt: zone.enteredAt,
  };
  if (zone.offerId !== undefined) base.offerId = zone.offerId;
  if (pingId !== undefined) base.pingId = pingId;
  return base;
}

function exitedEvent(
  zone: ZoneVisitState,
  reason: ExitedEvent["reason"],
  at: number,
  pingId: string | undefined,
): ExitedEvent {
  return {
    ...eventBase(zone, at, pingId),
    type: "exited",
    reason,
    lastInsideAt: zone.lastInsideAt,
    durationS: (zone.lastInsideAt - zone.enteredAt) / 1000,
    dwelled: zone.status === "dwelling",
  };
}

/** Code-unit order, independent of locale, so stored order is stable everywhere. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
