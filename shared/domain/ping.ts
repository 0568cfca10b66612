import * as z from "zod";
import type { FieldIssue } from "../errors.ts";
import type { Ping } from "./visit/types.ts";

export const MAX_PINGS_PER_BATCH = 100;
export const MAX_FUTURE_SKEW_MS = 2 * 60 * 1000;
export const MAX_PING_AGE_MS = 24 * 3600 * 1000;
export const MAX_ACCURACY_M = 5000;

const timestampSchema = z.union(
  [
    z.number().int().positive().describe("epoch milliseconds"),
    z.iso.datetime({ offset: true }).describe("RFC 3339 timestamp with offset"),
  ],
  // Without it a missing or mistyped timestamp is reported as a bare "Invalid input".
  { error: "must be epoch milliseconds or an RFC 3339 date-time" },
);

/** One ping as a device posts it. Unknown fields are errors so typos do not pass silently. */
export const pingSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracyM: z.number().gt(0, "must be > 0").max(MAX_ACCURACY_M, `must be ≤ ${MAX_ACCURACY_M}`),
  timestamp: timestampSchema,
  speedMps: z.number().min(-1).max(400).optional().describe("-1 or absent when unknown"),
  headingDeg: z.number().min(-1).max(360).optional(),
  isMock: z.boolean().optional(),
  id: z.string().min(1).max(128).optional(),
});

/** `POST /v1/pings` body; each ping is validated on its own so one bad ping does not sink the batch. */
export const pingBatchSchema = z.strictObject({
  pings: z.array(z.unknown()).min(1).max(MAX_PINGS_PER_BATCH),
});

/**
 * Epoch-millisecond values below this are before 1973-03-03: far too old for a ping, and exactly
 * the magnitude of a timestamp sent in epoch SECONDS (1.7e9 today).
 */
export const SECONDS_LIKE_BELOW = 1e11;
/** Values at or above this are after the year 5138 in ms: the magnitude of epoch MICROSECONDS. */
export const MICROSECONDS_LIKE_FROM = 1e14;
/** Values at or above this are the magnitude of epoch NANOSECONDS (1.7e18 today). */
export const NANOSECONDS_LIKE_FROM = 1e17;

/**
 * The unit a numeric timestamp was most likely sent in, judged by magnitude alone: any epoch
 * value after 1973 is 1e11–1e14 in milliseconds, 1e8–1e11 in seconds, 1e14–1e17 in microseconds
 * and beyond in nanoseconds. `null` for zero, negative or non-finite values.
 */
export function timestampUnitOf(
  value: number,
): "seconds" | "milliseconds" | "microseconds" | "nanoseconds" | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value < SECONDS_LIKE_BELOW) return "seconds";
  if (value < MICROSECONDS_LIKE_FROM) return "milliseconds";
  if (value < NANOSECONDS_LIKE_FROM) return "microseconds";
  return "nanoseconds";
}

const UNIT_FACTOR = { seconds: 1000, microseconds: 1e-3, nanoseconds: 1e-6 } as const;

/**
 * The reason for a numeric timestamp in the wrong unit, naming the unit, what it would be in
 * milliseconds and the fix; `null` when the value is plausibly epoch milliseconds.
 */
export function wrongUnitReason(value: unknown): string | null {
  if (typeof value !== "number") return null;
  const unit = timestampUnitOf(value);
  if (unit === null || unit === "milliseconds") return null;
  const ms = Math.round(value * UNIT_FACTOR[unit]);
  const asDate = Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : "?";
  const fix =
    unit === "seconds"
      ? "multiply by 1000"
      : `divide by ${unit === "microseconds" ? "1000" : "1000000"}`;
  return (
    `looks like epoch ${unit} (${value} ${unit} = ${asDate}); send epoch milliseconds ` +
    `(${fix}) or an RFC 3339 date-time with offset`
  );
}

export interface RejectedPing {
  index: number;
  field: string;
  reason: string;
}

/**
 * Validates each ping separately (shape, ranges, and the time window around `nowMs`) and returns
 * the good ones with their batch index plus a reason per bad field.
 */
export function validatePings(
  raw: readonly unknown[],
  nowMs: number,
): { accepted: { index: number; ping: Ping }[]; rejected: RejectedPing[] } {
  const accepted: { index: number; ping: Ping }[] = [];
  const rejected: RejectedPing[] = [];
  raw.forEach((value, index) => {
    const parsed = pingSchema.safeParse(value);
    // A timestamp in seconds or microseconds is a unit mistake, whatever else is wrong.
    const unitReason =
      value !== null && typeof value === "object"
        ? wrongUnitReason((value as { timestamp?: unknown }).timestamp)
        : null;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (unitReason !== null && issue.path[0] === "timestamp") continue;
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys)
            rejected.push({ index, field: key, reason: "unknown field" });
        } else {
          rejected.push({ index, field: issue.path.join("/") || "(ping)", reason: issue.message });
        }
      }
      if (unitReason !== null) rejected.push({ index, field: "timestamp", reason: unitReason });
      return;
    }
    const p = parsed.data;
    const timestamp = typeof p.timestamp === "number" ? p.timestamp : Date.parse(p.timestamp);
    const issues: FieldIssue[] = [];
    if (unitReason !== null) {
      issues.push({ path: "timestamp", reason: unitReason });
    } else if (timestamp > nowMs + MAX_FUTURE_SKEW_MS) {
      issues.push({ path: "timestamp", reason: "more than 2 minutes in the future" });
    } else if (timestamp < nowMs - MAX_PING_AGE_MS) {
      issues.push({ path: "timestamp", reason: "older than 24 hours" });
    }
    if (issues.length > 0) {
      for (const i of issues) rejected.push({ index, field: i.path, reason: i.reason });
      return;
    }
    accepted.push({
      index,
      ping: {
        lat: p.lat,
        lon: p.lon,
        accuracyM: p.accuracyM,
        timestamp,
        ...(p.speedMps !== undefined ? { speedMps: p.speedMps } : {}),
        ...(p.headingDeg !== undefined ? { headingDeg: p.headingDeg } : {}),
        ...(p.isMock !== undefined ? { isMock: p.isMock } : {}),
        ...(p.id !== undefined ? { id: p.id } : {}),
      },
    });
  });
  return { accepted, rejected };
}
