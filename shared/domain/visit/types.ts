/**
 * Shapes of the visit domain: pings in, per-zone visit state, zone events out.
 * Everything here is plain JSON so the device state can be stored as one DynamoDB item.
 */

/** One location fix as posted by a device. */
export interface Ping {
  lat: number;
  lon: number;
  /** Horizontal accuracy radius in metres; 0 or negative means "unknown" (never trusted). */
  accuracyM: number;
  /** Epoch milliseconds, device clock. */
  timestamp: number;
  /** Speed reported by the OS (Doppler); negative means "unknown". */
  speedMps?: number;
  headingDeg?: number;
  /** The OS says the position comes from a mock provider. */
  isMock?: boolean;
  /** Client-side id, used to drop retried pings. */
  id?: string;
}

export type ZoneKind = "trigger" | "footprint";

/** The geofence a ping was matched against (as the matcher sees it now). */
export interface ZoneRef {
  zoneId: string;
  kind: ZoneKind;
  /** Typical radius of the zone: accuracy up to this is good enough to call a ping inside. */
  characteristicRadiusM: number;
  /** Stay needed for `dwelled`; 0 means "use the rules' default for the kind". */
  dwellSeconds: number;
  merchantId: string;
  storeId: string;
  offerId?: string;
}

/** Metres from a ping to a zone boundary: negative inside, positive outside. */
export interface ZoneObservation {
  zone: ZoneRef;
  signedDistanceM: number;
}

/**
 * One ping with the zones it was matched against.
 *
 * Contract with the caller: `zones` lists every zone the ping is inside or near AND every zone
 * currently tracked in the device state (with its real signed distance, however large). A tracked
 * zone missing from an observation is read as "no information" for that ping: it neither
 * refreshes nor closes the visit, only the exit timeout can close it.
 */
export interface PingObservation {
  ping: Ping;
  zones: ZoneObservation[];
}

/** A position remembered for speed checks (no more than two are kept per device). */
export interface Fix {
  lat: number;
  lon: number;
  ts: number;
  accuracyM: number;
}

/**
 * An open visit of one zone. A zone the device is outside of has no state at all.
 * `inside`: entered, not yet dwelled; `dwelling`: `dwelled` already emitted for this visit.
 */
export interface ZoneVisitState {
  zoneId: string;
  kind: ZoneKind;
  merchantId: string;
  storeId: string;
  offerId?: string;
  status: "inside" | "dwelling";
  enteredAt: number;
  lastInsideAt: number;
  /** Accepted inside pings during this visit. */
  insidePings: number;
  /** Start of the current run of slow inside pings; absent right after a fast one. */
  slowSince?: number;
  /** Inside pings in the current slow run. */
  slowPings: number;
  /** Inside pings faster than the drive-by speed during this visit. */
  fastPings: number;
}

/** Everything the reducer remembers about one device; bounded by the rules. */
export interface DeviceVisitState {
  schema: 1;
  /** Timestamp of the latest processed ping; older or equal ones are ignored. */
  lastProcessedTs?: number;
  /** Latest genuine fix, the reference for implied speed and teleport checks. */
  lastFix?: Fix;
  /** The latest fix flagged as a jump; a consistent follow-up confirms a real relocation. */
  jumpCandidate?: Fix;
  /** Most recent ping ids, oldest first, at most `recentIdsKept`. */
  recentIds: string[];
  /** Open visits, sorted by zoneId, at most `maxTrackedZones`. */
  zones: ZoneVisitState[];
}

/** Fields every zone event carries. */
export interface ZoneEventBase {
  zoneId: string;
  kind: ZoneKind;
  merchantId: string;
  storeId: string;
  offerId?: string;
  /** When the event happened (epoch ms). */
  at: number;
  /** Start of the visit the event belongs to (epoch ms); with zoneId it identifies the visit. */
  enteredAt: number;
  /** The ping that caused the event, if it had an id (absent for timeouts). */
  pingId?: string;
}

export interface EnteredEvent extends ZoneEventBase {
  type: "entered";
  /** The device was moving faster than the drive-by speed when it entered. */
  driving: boolean;
}

export interface DwelledEvent extends ZoneEventBase {
  type: "dwelled";
  /** Seconds from entry to the ping that completed the dwell. */
  dwellS: number;
}

export interface ExitedEvent extends ZoneEventBase {
  type: "exited";
  /** `outside`: a clearly-outside ping; `timeout`: no inside ping for `exitTimeoutS`. */
  reason: "outside" | "timeout";
  lastInsideAt: number;
  /** Seconds from entry to the last inside ping. */
  durationS: number;
  /** Whether `dwelled` was emitted during this visit. */
  dwelled: boolean;
}

export type ZoneEvent = EnteredEvent | DwelledEvent | ExitedEvent;

/** Counters over one batch, for metrics and logs. */
export interface VisitStats {
  /** Pings in the batch. */
  received: number;
  /** Pings that advanced the device clock (includes flagged and inaccurate ones). */
  processed: number;
  /** Same id seen recently, or same timestamp as an already processed ping. */
  duplicates: number;
  /** Older than the latest processed ping, or older than `maxPingAgeS` before now. */
  stale: number;
  /** Further in the future than `maxFutureSkewS` (only checked when `nowMs` is given). */
  future: number;
  /** Processed pings whose accuracy was too poor for a zone they could have affected. */
  inaccurate: number;
  flaggedMock: number;
  flaggedTeleport: number;
  /** Flagged jumps later confirmed by a consistent ping (a real relocation, e.g. a flight). */
  relocations: number;
  /** Accepted pings inside at least one zone while moving faster than the drive-by speed. */
  driveBy: number;
  /** Entries not tracked because the device already had `maxTrackedZones` open visits. */
  untracked: number;
}

/** What `advanceVisits` returns. */
export interface VisitResult {
  state: DeviceVisitState;
  /** In processing order (per ping: timeouts first, then zones in observation order). */
  events: ZoneEvent[];
  stats: VisitStats;
  /** True only when `state` differs from the input, so the caller writes only on change. */
  changed: boolean;
}

/** What `expireVisits` returns. */
export interface ExpireResult {
  state: DeviceVisitState;
  events: ExitedEvent[];
  changed: boolean;
}

/** Optional context for `advanceVisits`. */
export interface AdvanceOptions {
  /** Server clock (epoch ms); enables the future and max-age checks. Strongly recommended. */
  nowMs?: number;
}
