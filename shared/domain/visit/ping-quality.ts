import distance from "@turf/distance";
import { type FieldIssue, ValidationError } from "../../errors.ts";
import type { VisitRules } from "./rules.ts";
import type { Fix, Ping, PingObservation, ZoneRef } from "./types.ts";

/** A point in time and space; enough for a speed estimate. */
export interface TimedPoint {
  lat: number;
  lon: number;
  ts: number;
}

const MAX_PING_ID_LENGTH = 128;

/** Great-circle metres between two points (haversine via turf): valid across the antimeridian. */
export function distanceM(
  a: { lat: number; lon: number },
  b: { lat: number; lon: number },
): number {
  return distance([a.lon, a.lat], [b.lon, b.lat], { units: "meters" });
}

/**
 * Straight-line speed needed to go from `a` to `b`, in m/s. Why: pings often lack an OS speed,
 * so movement between consecutive fixes is the only evidence of driving or of a fake jump.
 * Same instant: 0 if same place, otherwise Infinity.
 */
export function impliedSpeedMps(a: TimedPoint, b: TimedPoint): number {
  const metres = distanceM(a, b);
  const seconds = Math.abs(b.ts - a.ts) / 1000;
  if (seconds === 0) return metres === 0 ? 0 : Number.POSITIVE_INFINITY;
  return metres / seconds;
}

/**
 * Lowest speed consistent with both fixes once their accuracy circles are allowed for: the
 * distance is shrunk by the combined error radius. Why: raw implied speed between two jittery
 * fixes a few seconds apart looks like driving or teleporting; this bound never does.
 */
export function minimumSpeedMps(a: Fix, b: Fix): number {
  const error = Math.hypot(Math.max(0, a.accuracyM), Math.max(0, b.accuracyM));
  const metres = Math.max(0, distanceM(a, b) - error);
  const seconds = Math.abs(b.ts - a.ts) / 1000;
  if (seconds === 0) return metres === 0 ? 0 : Number.POSITIVE_INFINITY;
  return metres / seconds;
}

/**
 * Whether the speed implied between two consecutive genuine fixes says anything about how the
 * device moves at the later one. Why: an implied speed is an average over the gap; over a long
 * gap (the phone slept, the app was killed, the OS throttled background location) it mixes a
 * drive with the walk that followed, so treating it as driving loses the visit that starts now.
 */
export function isSpeedEvidence(previous: Fix | undefined, fix: Fix, rules: VisitRules): boolean {
  if (previous === undefined) return false;
  const gapMs = Math.abs(fix.ts - previous.ts);
  return gapMs <= rules.speedEvidenceMaxGapS * 1000;
}

/** OS-reported speed when usable. Why: negative or missing means the OS does not know. */
export function reportedSpeedMps(ping: Ping): number | undefined {
  const speed = ping.speedMps;
  return speed !== undefined && Number.isFinite(speed) && speed >= 0 ? speed : undefined;
}

/** Whether the ping states an accuracy at all. Why: 0 or negative is "unknown", never trusted. */
export function hasKnownAccuracy(ping: Ping): boolean {
  return ping.accuracyM > 0;
}

/**
 * Worst accuracy still good enough to call a ping inside `zone`. Why: a 50 m error is fine for a
 * 500 m trigger zone but not to claim someone is in a 20 m shop, so big zones tolerate more.
 */
export function accuracyLimitM(zone: ZoneRef, rules: VisitRules): number {
  return Math.max(rules.minAccuracyFloorM, zone.characteristicRadiusM);
}

/** Whether this ping may change the state of `zone` at all (enter, stay or exit). */
export function isAccurateFor(ping: Ping, zone: ZoneRef, rules: VisitRules): boolean {
  return hasKnownAccuracy(ping) && ping.accuracyM <= accuracyLimitM(zone, rules);
}

/**
 * Distance beyond the boundary that proves the device left. Why: the fixed hysteresis stops edge
 * jitter from flapping, and adding the ping's own error means an exit is never decided by a fix
 * whose error circle still reaches the margin.
 */
export function exitMarginM(ping: Ping, rules: VisitRules): number {
  return rules.hysteresisM + Math.max(0, ping.accuracyM);
}

/** The dwell time a zone needs. Why: footprints without their own setting get the default. */
export function dwellSecondsFor(zone: ZoneRef, rules: VisitRules): number {
  if (zone.dwellSeconds > 0) return zone.dwellSeconds;
  return zone.kind === "footprint" ? rules.defaultFootprintDwellS : 0;
}

/** Outcome of the teleport check for one ping. */
export type JumpCheck =
  /** Consistent with the last genuine fix (or nothing to compare with). */
  | { verdict: "ok"; impliedMps: number | undefined }
  /** Too fast from the last genuine fix, but consistent with the previous jump: a real move. */
  | { verdict: "relocated"; impliedMps: number }
  /** Impossible speed: ignore the ping and remember it as a jump candidate. */
  | { verdict: "jumped"; impliedMps: number };

/**
 * Judges whether a fix is physically reachable from the last genuine one. Why: GPS glitches and
 * spoofers produce isolated jumps, which must not enter zones nor poison the next check; but a
 * real flight also looks like a jump, so a second fix consistent with the first jump confirms it.
 */
export function checkJump(
  lastFix: Fix | undefined,
  jumpCandidate: Fix | undefined,
  fix: Fix,
  rules: VisitRules,
): JumpCheck {
  const limitMps = rules.teleportSpeedKmh / 3.6;
  if (lastFix === undefined) return { verdict: "ok", impliedMps: undefined };
  const fromLast = minimumSpeedMps(lastFix, fix);
  if (fromLast <= limitMps) return { verdict: "ok", impliedMps: fromLast };
  if (jumpCandidate !== undefined) {
    const fromCandidate = minimumSpeedMps(jumpCandidate, fix);
    if (fromCandidate <= limitMps) return { verdict: "relocated", impliedMps: fromCandidate };
  }
  return { verdict: "jumped", impliedMps: fromLast };
}

/**
 * Checks the ping fields the state machine relies on, and throws one `ValidationError` naming
 * every bad field (`pings/<i>/<field>`). Why: a NaN coordinate or timestamp would otherwise
 * corrupt the stored clock or speeds silently.
 */
export function assertValidObservations(observations: readonly PingObservation[]): void {
  const issues: FieldIssue[] = [];
  observations.forEach((observation, i) => {
    const ping = observation.ping;
    const at = (field: string) => `pings/${i}/${field}`;
    if (!isFiniteNumber(ping.lat) || ping.lat < -90 || ping.lat > 90) {
      issues.push({ path: at("lat"), reason: "must be a number between -90 and 90" });
    }
    if (!isFiniteNumber(ping.lon) || ping.lon < -180 || ping.lon > 180) {
      issues.push({ path: at("lon"), reason: "must be a number between -180 and 180" });
    }
    if (!isFiniteNumber(ping.accuracyM)) {
      issues.push({ path: at("accuracyM"), reason: "must be a finite number" });
    }
    if (!Number.isSafeInteger(ping.timestamp) || ping.timestamp < 0) {
      issues.push({ path: at("timestamp"), reason: "must be epoch milliseconds" });
    }
    if (ping.speedMps !== undefined && !isFiniteNumber(ping.speedMps)) {
      issues.push({ path: at("speedMps"), reason: "must be a finite number" });
    }
    if (ping.isMock !== undefined && typeof ping.isMock !== "boolean") {
      issues.push({ path: at("isMock"), reason: "must be a boolean" });
    }
    if (
      ping.id !== undefined &&
      (typeof ping.id !== "string" || ping.id.length === 0 || ping.id.length > MAX_PING_ID_LENGTH)
    ) {
      issues.push({ path: at("id"), reason: `must be 1 to ${MAX_PING_ID_LENGTH} characters` });
    }
  });
  if (issues.length > 0) throw new ValidationError("invalid pings", { issues });
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
