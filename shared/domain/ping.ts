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
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys)
            rejected.push({ index, field: key, reason: "unknown field" });
        } else {
          rejected.push({ index, field: issue.path.join("/") || "(ping)", reason: issue.message });
        }
      }
      return;
    }
    const p = parsed.data;
    const timestamp = typeof p.timestamp === "number" ? p.timestamp : Date.parse(p.timestamp);
    const issues: FieldIssue[] = [];
    if (timestamp > nowMs + MAX_FUTURE_SKEW_MS) {
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
