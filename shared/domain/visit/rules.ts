import * as z from "zod";
import { ValidationError } from "../../errors.ts";

/** Tunables of ping quality and the visit state machine. All durations in seconds. */
export interface VisitRules {
  /** A ping counts as inside only if accuracyM ≤ max(this, zone characteristicRadiusM). */
  minAccuracyFloorM: number;
  /** Exit needs signedDistanceM > hysteresisM + accuracyM (clearly outside, even allowing for error). */
  hysteresisM: number;
  /** No inside ping for this long closes the visit, dated at the last inside ping. */
  exitTimeoutS: number;
  /** Faster than this (reported, or implied between fixes) is driving: no dwell. */
  driveBySpeedMps: number;
  /**
   * Implied speed between fixes further apart in time than this is no evidence of driving now:
   * it is an average over the whole gap (a 40-minute drive then a walk into the shop averages
   * 8 m/s), so only the OS-reported speed may mark such an arrival as driving.
   */
  speedEvidenceMaxGapS: number;
  /** Implied speed from the last genuine fix above this flags the ping as a jump. */
  teleportSpeedKmh: number;
  /** Dwell for footprints whose zone says 0. */
  defaultFootprintDwellS: number;
  /** Slow inside pings needed for a dwell. */
  minDwellPings: number;
  /** Lifetime of the stored state (TTL); privacy caps it at 30 days. */
  maxStateAgeDays: number;
  /** Size of the ping-id dedupe memory. */
  recentIdsKept: number;
  /** Open visits kept per device; bounds the stored item. */
  maxTrackedZones: number;
  /** Pings stamped later than now + this are ignored (needs `nowMs`). */
  maxFutureSkewS: number;
  /** Pings older than now - this are ignored (needs `nowMs`). */
  maxPingAgeS: number;
}

/** Defaults tuned for phones: tolerant to urban GPS error, strict about fakes. */
export const DEFAULT_VISIT_RULES: Readonly<VisitRules> = Object.freeze({
  minAccuracyFloorM: 50,
  hysteresisM: 25,
  exitTimeoutS: 900,
  driveBySpeedMps: 7,
  speedEvidenceMaxGapS: 120,
  teleportSpeedKmh: 300,
  defaultFootprintDwellS: 120,
  minDwellPings: 2,
  maxStateAgeDays: 30,
  recentIdsKept: 200,
  maxTrackedZones: 100,
  maxFutureSkewS: 300,
  maxPingAgeS: 86_400,
});

const nonNegative = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const count = z.number().int().min(1).max(10_000);

const rulesSchema = z
  .object({
    minAccuracyFloorM: nonNegative,
    hysteresisM: nonNegative,
    exitTimeoutS: positive,
    driveBySpeedMps: positive,
    speedEvidenceMaxGapS: positive,
    teleportSpeedKmh: positive,
    defaultFootprintDwellS: nonNegative,
    minDwellPings: count,
    maxStateAgeDays: positive.max(30, "must be at most 30 days (privacy)"),
    recentIdsKept: z.number().int().min(0).max(10_000),
    maxTrackedZones: count,
    maxFutureSkewS: nonNegative,
    maxPingAgeS: positive,
  })
  .strict();

/**
 * Merges overrides onto the defaults and validates the result, so a bad configuration fails at
 * start-up with a named field rather than silently producing wrong visits.
 */
export function resolveVisitRules(overrides: Partial<VisitRules> = {}): VisitRules {
  const parsed = rulesSchema.safeParse({ ...DEFAULT_VISIT_RULES, ...overrides });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join("/") || "rules",
      reason: issue.message,
    }));
    throw new ValidationError("invalid visit rules", { issues });
  }
  return parsed.data;
}
