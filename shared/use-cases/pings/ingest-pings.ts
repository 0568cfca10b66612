import type { DeviceTokenKeys } from "../../auth/device-token.ts";
import { type DevicePrincipal, devicePrincipalOf } from "../../auth/principal.ts";
import { type RejectedPing, validatePings } from "../../domain/ping.ts";
import { advanceVisits, nextDueAt, visitTtlSeconds } from "../../domain/visit/index.ts";
import type { VisitRules } from "../../domain/visit/rules.ts";
import type {
  Ping,
  PingObservation,
  VisitStats,
  ZoneEvent,
  ZoneObservation,
  ZoneRef,
} from "../../domain/visit/types.ts";
import { ForbiddenError, UnauthorizedError, ValidationError } from "../../errors.ts";
import type { Clock } from "../../ports.ts";
import { admitDevice, verifiedDeviceToken } from "../devices.ts";
import type { TrackResult } from "../pickups/pickups.ts";
import type {
  DeviceSnapshotReader,
  OutboxClear,
  StoredVisits,
  VisitStore,
} from "../ports/visit-store.ts";
import { DeviceErased, VisitStateConflict } from "../ports/visit-store.ts";
import type { MatchedZone, ZoneMatcher } from "./zone-matcher.ts";

/** What the next steps (incentives, conversion log) get for every batch that produced events. */
export interface ZoneEventSink {
  /**
   * Must be idempotent per event identity (device, zoneId, enteredAt, type). With `outbox`, the
   * sink may commit that clear of the device's outbox in its last write, once every event is
   * handled (`SinkResult.outboxCleared`); the caller clears it otherwise.
   */
  handle(
    device: DevicePrincipal,
    events: ZoneEvent[],
    nowMs: number,
    outbox?: OutboxClear,
  ): Promise<SinkResult>;
}

export interface SinkResult {
  /** Incentives granted to the device by these events, shown to a foreground app at once. */
  incentives: unknown[];
  /** The `outbox` clear was committed with the sink's last write (or found moot: a later save). */
  outboxCleared?: boolean;
}

/**
 * The pickup part of the ping path: advances the device's active pickup orders with the batch.
 * Called only for devices whose authorizer context lists an active pickup.
 */
export interface PickupTracker {
  track(device: DevicePrincipal, pings: readonly Ping[]): Promise<TrackResult>;
}

export interface IngestDeps {
  matcher: ZoneMatcher;
  /** Absent: pickup orders are not tracked by this deployment's ping path. */
  pickups?: PickupTracker;
  visits: VisitStore;
  sink: ZoneEventSink;
  rules: VisitRules;
  clock: Clock;
}

/** What `ingestDevicePings` needs beyond `IngestDeps`: the token keys and the one-read snapshot. */
export interface DeviceIngestDeps extends IngestDeps {
  tokenKeys: DeviceTokenKeys;
  snapshots: DeviceSnapshotReader;
}

export interface IngestResult {
  accepted: number;
  rejected: RejectedPing[];
  events: ZoneEvent[];
  incentives: unknown[];
  stats: VisitStats | undefined;
  /**
   * Whether the batch needed the device's visit state: false when no ping was near a zone and no
   * visit was open (the fast path, with no request beyond the snapshot read).
   */
  stateRead: boolean;
  /** Pickup work for the batch; absent when the device holds no active pickup (no cost). */
  pickups?: TrackResult;
}

function zoneRef(z: MatchedZone): ZoneRef {
  return {
    zoneId: z.zone.zoneId,
    // Bays are filtered out before (visitCandidates); open visits only name visit zones.
    kind: z.zone.kind === "bay" ? "footprint" : z.zone.kind,
    characteristicRadiusM: z.zone.characteristicRadiusM,
    dwellSeconds: z.zone.dwellSeconds,
    merchantId: z.zone.merchantId,
    storeId: z.zone.storeId,
    ...(z.zone.offerId ? { offerId: z.zone.offerId } : {}),
  };
}

function observe(zone: MatchedZone, ping: Ping): ZoneObservation {
  return {
    zone: zoneRef(zone),
    signedDistanceM: zone.compiled.signedDistanceM(ping.lat, ping.lon),
  };
}

const MAX_CONFLICT_RETRIES = 4;

/**
 * The candidates that can open visits: pickup bays are indexed with the store's other zones but
 * only pickups read them (by id), so a device near a bay without a pickup costs nothing more.
 */
function visitCandidates(candidates: MatchedZone[][]): MatchedZone[][] {
  for (let i = 0; i < candidates.length; i++) {
    const list = candidates[i] as MatchedZone[];
    if (list.some((c) => c.zone.kind === "bay")) {
      candidates[i] = list.filter((c) => c.zone.kind !== "bay");
    }
  }
  return candidates;
}

/**
 * The 400 for a batch in which no ping was accepted: nothing was processed, so a 202 would
 * tell a client its pings were taken. Each reason stays, as `errors` (path
 * `pings/{index}/{field}`) and as the same `rejected` list a partial batch answers with.
 */
export function nothingAccepted(rejected: readonly RejectedPing[]): ValidationError {
  const indexes = new Set(rejected.map((r) => r.index)).size;
  const first = rejected[0];
  const detail =
    indexes === 1 && first
      ? `No ping was accepted: pings/${first.index}/${first.field}: ${first.reason}`
      : `No ping was accepted: all ${indexes} pings were rejected (see errors).`;
  return new ValidationError(detail, {
    issues: rejected.map((r) => ({ path: `pings/${r.index}/${r.field}`, reason: r.reason })),
    extensions: { accepted: 0, rejected },
  });
}

/**
 * `POST /v1/pings` as it ships: the route has no authorizer, this is its device check. In order:
 * 1. the bearer token is verified (pure CPU, the device authorizer's keys and rules): a missing,
 *    forged or expired token is refused (401) before any read, so it costs no DynamoDB request;
 * 2. ONE strongly consistent read returns the device's profile and its visit state (same
 *    partition, `DeviceSnapshotReader`): an unknown, erased or erasing device, or a token issued
 *    before the device's `tokensNotBefore` (revoked), gets the same 401, and nothing else is read;
 * 3. the batch is processed with the profile as it is now (consent, segments, person, pickups: no
 *    decision cached for up to a minute) and the state just read (`ingestPings`), so a batch costs
 *    this one read plus whatever writes the batch needs.
 *
 * @throws UnauthorizedError (401) token missing, invalid, expired or revoked; device not registered
 * @throws ForbiddenError (403) the device has not consented to location processing
 * @throws ValidationError (400) no ping of the batch was accepted
 */
export async function ingestDevicePings(
  deps: DeviceIngestDeps,
  token: string | undefined,
  /** The batch's pings, parsed (or refused, 400) only once the device is admitted. */
  batch: () => readonly unknown[],
): Promise<IngestResult & { deviceId: string }> {
  const { deviceId, issuedAt } = await verifiedDeviceToken(deps, token);
  const { profile, visits } = await deps.snapshots.snapshot(deviceId);
  const device = devicePrincipalOf(admitDevice(profile, issuedAt));
  return { ...(await ingestPings(deps, device, batch(), visits)), deviceId };
}

/**
 * The hot path: validates each ping, finds candidate zones through the cached H3 index, and only
 * when some ping is near a zone or the device has open visits advances the device's visit state,
 * writing it back only on change under an optimistic lock. Zone events go to the sink.
 */
export async function ingestPings(
  deps: IngestDeps,
  device: DevicePrincipal,
  rawPings: readonly unknown[],
  /**
   * The device's visit state as read with its profile for this batch (`DeviceSnapshot`, one
   * request for both): its open visits decide whether the batch needs it, and the first attempt
   * uses it, so no further read is made. Absent (callers without a snapshot: tests, scripts), it
   * is read here once the batch has an accepted ping.
   */
  preloaded?: StoredVisits,
): Promise<IngestResult> {
  if (!device.consentLocation) {
    throw new ForbiddenError(
      "consent/location: the device has not consented to location processing.",
    );
  }
  const now = deps.clock.now();
  const { accepted, rejected } = validatePings(rawPings, now);
  if (accepted.length === 0) throw nothingAccepted(rejected);
  const pings = accepted.map((a) => a.ping).sort((a, b) => a.timestamp - b.timestamp);
  const candidates = visitCandidates(await deps.matcher.candidates(pings));
  const anyCandidate = candidates.some((c) => c.length > 0);
  const visits = preloaded ?? (await deps.visits.load(device.deviceId));
  // Pickup orders (location is used for them only while one is attached and active): a device
  // whose profile lists none pays nothing here, not even a read.
  const pickups =
    deps.pickups && device.pickupRefs && device.pickupRefs.length > 0
      ? await deps.pickups.track(device, pings)
      : undefined;
  const base = {
    accepted: pings.length,
    rejected,
    incentives: [] as unknown[],
    ...(pickups ? { pickups } : {}),
  };
  if (!anyCandidate && (visits.state?.zones.length ?? 0) === 0) {
    return { ...base, events: [], stats: undefined, stateRead: false };
  }

  // Every zone met anywhere in the batch is observed at every ping (newest version): a zone
  // entered at one ping must see the later ones, even where its cover does not reach them.
  const candidateZones = new Map<string, MatchedZone>();
  for (const list of candidates) {
    for (const c of list) {
      const seen = candidateZones.get(c.zone.zoneId);
      if (!seen || seen.zone.version < c.zone.version) candidateZones.set(c.zone.zoneId, c);
    }
  }

  for (let attempt = 0; ; attempt++) {
    const { state, pending, version } =
      attempt === 0 ? visits : await deps.visits.load(device.deviceId);
    const tracked = state?.zones.map((z) => z.zoneId) ?? [];
    const batchZones = new Map(candidateZones);
    const extra = tracked.filter((id) => !batchZones.has(id));
    const extraZones =
      extra.length > 0 ? await deps.matcher.zonesById(extra) : new Map<string, MatchedZone>();
    for (const [id, zone] of extraZones) batchZones.set(id, zone);
    // Open visits of zones no longer indexed (deleted or paused): far outside, so they close cleanly.
    const gone: ZoneObservation[] = [];
    for (const open of state?.zones ?? []) {
      if (batchZones.has(open.zoneId)) continue;
      gone.push({
        zone: {
          zoneId: open.zoneId,
          kind: open.kind,
          characteristicRadiusM: 0,
          dwellSeconds: 0,
          merchantId: open.merchantId,
          storeId: open.storeId,
          ...(open.offerId ? { offerId: open.offerId } : {}),
        },
        signedDistanceM: Number.POSITIVE_INFINITY,
      });
    }

    const observations: PingObservation[] = pings.map((ping, i) => {
      const zones = new Map<string, ZoneObservation>();
      // The ping's own candidates first (event order), then the rest of the batch's zones.
      for (const c of candidates[i] ?? []) {
        const zone = batchZones.get(c.zone.zoneId) ?? c;
        zones.set(zone.zone.zoneId, observe(zone, ping));
      }
      for (const [id, zone] of batchZones) if (!zones.has(id)) zones.set(id, observe(zone, ping));
      return { ping, zones: [...zones.values(), ...gone] };
    });

    const result = advanceVisits(state, observations, deps.rules, { nowMs: now });
    // New events are saved with the state as a per-device outbox, so a crash after the save
    // cannot lose them; the sink is idempotent per event, so handling twice grants nothing twice.
    const outbox = [...pending, ...result.events];
    let savedVersion = version;
    if (result.changed) {
      try {
        // The saved outbox is due for the sweeper shortly after the save: if this process dies
        // before the hand-off below, the events are still handed on, wherever the device is.
        savedVersion = await deps.visits.save(
          device.deviceId,
          { state: result.state, pending: outbox },
          version,
          visitTtlSeconds(result.state, deps.rules),
          nextDueAt(result.state, outbox.length, now, deps.rules),
        );
      } catch (error) {
        if (error instanceof VisitStateConflict && attempt < MAX_CONFLICT_RETRIES) continue;
        if (error instanceof DeviceErased) {
          throw new UnauthorizedError("The device is no longer registered.");
        }
        throw error;
      }
    }
    let sinkResult: SinkResult = { incentives: [] };
    const clearedDueAt = nextDueAt(result.state, 0, now, deps.rules);
    try {
      // The outbox is cleared once handed on: in the decision step's last transaction when it
      // writes one (no request of its own), else by the save below.
      if (outbox.length > 0) {
        sinkResult = await deps.sink.handle(device, outbox, now, {
          deviceId: device.deviceId,
          savedVersion,
          expiresAt: visitTtlSeconds(result.state, deps.rules),
          ...(clearedDueAt !== undefined ? { dueAt: clearedDueAt } : {}),
        });
      }
    } catch (error) {
      if (error instanceof DeviceErased) {
        throw new UnauthorizedError("The device is no longer registered.");
      }
      throw error;
    }
    if (outbox.length > 0 && !sinkResult.outboxCleared) {
      try {
        await deps.visits.save(
          device.deviceId,
          { state: result.state, pending: [] },
          savedVersion,
          visitTtlSeconds(result.state, deps.rules),
          clearedDueAt,
        );
      } catch (error) {
        // A newer batch saved meanwhile; it carries the outbox and will hand it on again.
        if (!(error instanceof VisitStateConflict)) throw error;
      }
    }
    return {
      ...base,
      events: result.events,
      incentives: sinkResult.incentives,
      stats: result.stats,
      stateRead: true,
    };
  }
}
