import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_ACCURACY_M,
  MAX_FUTURE_SKEW_MS,
  MAX_PING_AGE_MS,
  MAX_PINGS_PER_BATCH,
  pingBatchSchema,
  timestampUnitOf,
  validatePings,
  wrongUnitReason,
} from "../../../shared/domain/ping.ts";

const NOW = Date.UTC(2025, 5, 4, 12, 0, 0);
const good = { lat: 48.8675, lon: 2.3638, accuracyM: 12, timestamp: NOW - 5_000 };

describe("validatePings: each ping on its own", () => {
  it("names index, field and reason for every kind of bad ping and keeps the good ones", () => {
    const batch: unknown[] = [
      good, // 0
      { ...good, lat: Number.POSITIVE_INFINITY }, // 1 (JSON 1e999 parses to Infinity)
      { ...good, lon: Number.NaN }, // 2
      { ...good, lat: 90.0001 }, // 3
      { ...good, lon: -180.5 }, // 4
      { ...good, accuracyM: 0 }, // 5
      { ...good, accuracyM: -3 }, // 6
      { ...good, accuracyM: MAX_ACCURACY_M + 0.1 }, // 7
      { ...good, timestamp: NOW + MAX_FUTURE_SKEW_MS + 1 }, // 8
      { ...good, timestamp: NOW - MAX_PING_AGE_MS - 1 }, // 9
      { ...good, colour: "red", extra: 1 }, // 10
      { ...good, lat: 91, nickname: "x" }, // 11
      null, // 12
      { ...good, timestamp: "yesterday" }, // 13
      { lat: 1, lon: 2, accuracyM: 3 }, // 14
      { ...good, lat: "48.8" }, // 15
      { ...good, accuracyM: MAX_ACCURACY_M, timestamp: NOW + MAX_FUTURE_SKEW_MS, id: "edge" }, // 16
      { ...good, timestamp: new Date(NOW - MAX_PING_AGE_MS).toISOString(), isMock: true }, // 17
    ];
    const { accepted, rejected } = validatePings(batch, NOW);
    expect(accepted.map((a) => a.index)).toEqual([0, 16, 17]);
    expect(rejected).toEqual([
      { index: 1, field: "lat", reason: expect.stringMatching(/Infinity/) },
      { index: 2, field: "lon", reason: expect.stringMatching(/NaN/) },
      { index: 3, field: "lat", reason: expect.stringMatching(/<=90/) },
      { index: 4, field: "lon", reason: expect.stringMatching(/>=-180/) },
      { index: 5, field: "accuracyM", reason: "must be > 0" },
      { index: 6, field: "accuracyM", reason: "must be > 0" },
      { index: 7, field: "accuracyM", reason: `must be ≤ ${MAX_ACCURACY_M}` },
      { index: 8, field: "timestamp", reason: "more than 2 minutes in the future" },
      { index: 9, field: "timestamp", reason: "older than 24 hours" },
      { index: 10, field: "colour", reason: "unknown field" },
      { index: 10, field: "extra", reason: "unknown field" },
      { index: 11, field: "lat", reason: expect.stringMatching(/<=90/) },
      { index: 11, field: "nickname", reason: "unknown field" },
      { index: 12, field: "(ping)", reason: expect.stringMatching(/expected object/) },
      { index: 13, field: "timestamp", reason: expect.stringMatching(/datetime/i) },
      {
        index: 14,
        field: "timestamp",
        reason: "must be epoch milliseconds or an RFC 3339 date-time",
      },
      { index: 15, field: "lat", reason: expect.stringMatching(/expected number/) },
    ]);
    // The accepted pings come out normalised: epoch-ms timestamps, optional fields kept.
    expect(accepted[1]?.ping).toEqual({
      lat: good.lat,
      lon: good.lon,
      accuracyM: MAX_ACCURACY_M,
      timestamp: NOW + MAX_FUTURE_SKEW_MS,
      id: "edge",
    });
    expect(accepted[2]?.ping).toMatchObject({ timestamp: NOW - MAX_PING_AGE_MS, isMock: true });
  });

  it("says a timestamp looks like seconds, microseconds or nanoseconds when it does", () => {
    const seconds = Math.floor((NOW - 5_000) / 1000); // 1749038395
    const batch: unknown[] = [
      { ...good, timestamp: seconds }, // 0: integer seconds
      { ...good, timestamp: (NOW - 5_000) / 1000 + 0.25 }, // 1: fractional seconds (iOS)
      { ...good, timestamp: (NOW - 5_000) * 1000 }, // 2: microseconds
      { ...good, timestamp: (NOW - 5_000) * 1_000_000 }, // 3: nanoseconds
      { ...good, timestamp: seconds, lat: 91 }, // 4: seconds plus another bad field
      { ...good, timestamp: NOW - MAX_PING_AGE_MS - 1 }, // 5: ms, really too old
      { ...good, timestamp: 1e11 }, // 6: 1973 in ms: too old, not a unit mistake
    ];
    const { accepted, rejected } = validatePings(batch, NOW);
    expect(accepted).toEqual([]);
    expect(rejected).toEqual([
      {
        index: 0,
        field: "timestamp",
        reason:
          "looks like epoch seconds (1749038395 seconds = 2025-06-04T11:59:55.000Z); send epoch " +
          "milliseconds (multiply by 1000) or an RFC 3339 date-time with offset",
      },
      { index: 1, field: "timestamp", reason: expect.stringMatching(/^looks like epoch seconds/) },
      {
        index: 2,
        field: "timestamp",
        reason: expect.stringMatching(
          /^looks like epoch microseconds \(\d+ microseconds = 2025-06-04T11:59:55\.000Z\); send epoch milliseconds \(divide by 1000\)/,
        ),
      },
      {
        index: 3,
        field: "timestamp",
        reason: expect.stringMatching(/^looks like epoch nanoseconds .*divide by 1000000/),
      },
      { index: 4, field: "lat", reason: expect.stringMatching(/<=90/) },
      { index: 4, field: "timestamp", reason: expect.stringMatching(/^looks like epoch seconds/) },
      { index: 5, field: "timestamp", reason: "older than 24 hours" },
      { index: 6, field: "timestamp", reason: "older than 24 hours" },
    ]);
  });

  it("property: the unit is judged by magnitude; every epoch-ms instant of 1973–5138 is ms", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e11, max: 1e14 - 1 }), (ms) => {
        expect(timestampUnitOf(ms)).toBe("milliseconds");
        expect(wrongUnitReason(ms)).toBeNull();
        expect(timestampUnitOf(Math.floor(ms / 1000))).toBe("seconds");
        expect(timestampUnitOf(ms * 1000)).toBe("microseconds");
      }),
      { numRuns: 200, seed: 14 },
    );
    expect(timestampUnitOf(0)).toBeNull();
    expect(timestampUnitOf(-5)).toBeNull();
    expect(wrongUnitReason("2025-06-04T12:00:00Z")).toBeNull();
  });

  it("property: a ping is accepted iff every field is in range (index preserved)", () => {
    const field = <T>(ok: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
      fc.oneof(
        { arbitrary: ok.map((v) => ({ v, ok: true })), weight: 4 },
        { arbitrary: bad.map((v) => ({ v, ok: false })), weight: 1 },
      );
    const pingArb = fc.record({
      lat: field(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.oneof(fc.double({ min: 90.000001, max: 1e6 }), fc.constant(Number.NaN)),
      ),
      lon: field(
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -1e6, max: -180.000001 }),
      ),
      accuracyM: field(
        fc.double({ min: 0.01, max: MAX_ACCURACY_M, noNaN: true }),
        fc.oneof(fc.double({ min: -100, max: 0 }), fc.double({ min: 5000.01, max: 1e7 })),
      ),
      ageMs: field(
        fc.integer({ min: -MAX_FUTURE_SKEW_MS, max: MAX_PING_AGE_MS }),
        fc.oneof(
          fc.integer({ min: MAX_PING_AGE_MS + 1, max: 10 * MAX_PING_AGE_MS }),
          fc.integer({ min: -10 * MAX_PING_AGE_MS, max: -MAX_FUTURE_SKEW_MS - 1 }),
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(pingArb, { minLength: 1, maxLength: 20 }), (specs) => {
        const raw = specs.map((s) => ({
          lat: s.lat.v,
          lon: s.lon.v,
          accuracyM: s.accuracyM.v,
          timestamp: NOW - s.ageMs.v,
        }));
        const { accepted, rejected } = validatePings(raw, NOW);
        const okIndexes = specs.flatMap((s, i) =>
          s.lat.ok && s.lon.ok && s.accuracyM.ok && s.ageMs.ok ? [i] : [],
        );
        expect(accepted.map((a) => a.index)).toEqual(okIndexes);
        const rejectedIndexes = new Set(rejected.map((r) => r.index));
        for (let i = 0; i < specs.length; i++)
          expect(rejectedIndexes.has(i)).toBe(!okIndexes.includes(i));
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe("pingBatchSchema: the batch envelope", () => {
  it("takes 1 to 100 pings and nothing else", () => {
    const pings = (n: number) => Array.from({ length: n }, () => good);
    expect(pingBatchSchema.safeParse({ pings: pings(1) }).success).toBe(true);
    expect(pingBatchSchema.safeParse({ pings: pings(MAX_PINGS_PER_BATCH) }).success).toBe(true);
    expect(pingBatchSchema.safeParse({ pings: pings(MAX_PINGS_PER_BATCH + 1) }).success).toBe(
      false,
    );
    expect(pingBatchSchema.safeParse({ pings: [] }).success).toBe(false);
    expect(pingBatchSchema.safeParse({}).success).toBe(false);
    expect(pingBatchSchema.safeParse({ pings: pings(1), deviceId: "x" }).success).toBe(false);
  });
});
