import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advanceVisits,
  DEFAULT_VISIT_RULES,
  type DeviceVisitState,
  expireVisits,
  type Ping,
  type PingObservation,
  type VisitRules,
  type ZoneEvent,
} from "../../../shared/domain/visit/index.ts";
import { circle, observe, offset, pingAt, STORE, signedDistance, T0 } from "./trajectory.ts";

const rules: VisitRules = { ...DEFAULT_VISIT_RULES, recentIdsKept: 8, maxTrackedZones: 3 };
const far = offset(STORE, 0, 20_000);
const WORLD = [
  circle("F", "footprint", STORE, 30),
  circle("T", "trigger", STORE, 500, { dwellSeconds: 60, offerId: "o-1" }),
  circle("B", "footprint", offset(STORE, 40, 0), 25, { dwellSeconds: 30, storeId: "s-2" }),
  circle("N", "trigger", offset(STORE, -30, 0), 80, { dwellSeconds: 10, offerId: "o-2" }),
  circle("G", "footprint", far, 50, { storeId: "s-far" }),
];

/** One step of a random device: a move, a one-off glitch, or a real relocation to `far`. */
const stepArb = fc.record({
  dtS: fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 1 },
    { arbitrary: fc.integer({ min: 5, max: 60 }), weight: 6 },
    { arbitrary: fc.integer({ min: 60, max: 1200 }), weight: 1 },
  ),
  kind: fc.oneof(
    { arbitrary: fc.constant("move" as const), weight: 12 },
    fc.constant("glitch" as const),
    fc.constant("relocate" as const),
  ),
  dE: fc.oneof(
    { arbitrary: fc.integer({ min: -8, max: 8 }), weight: 3 },
    fc.integer({ min: -90, max: 90 }),
  ),
  dN: fc.oneof(
    { arbitrary: fc.integer({ min: -8, max: 8 }), weight: 3 },
    fc.integer({ min: -90, max: 90 }),
  ),
  accuracyM: fc.constantFrom(0, 5, 12, 12, 25, 25, 45, 120, 400),
  speedMps: fc.option(fc.constantFrom(0, 1.2, 6, 15, 30), { nil: undefined }),
  mockRoll: fc.integer({ min: 0, max: 14 }),
  idRoll: fc.integer({ min: 0, max: 9 }),
});

/** A random but physically plausible-ish trajectory around the store, timestamps non-decreasing. */
const pingsArb = fc
  .record({
    startE: fc.integer({ min: -300, max: 300 }),
    startN: fc.integer({ min: -300, max: 300 }),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 80, size: "medium" }),
  })
  .map(({ startE, startN, steps }): Ping[] => {
    let e = startE;
    let n = startN;
    let origin = STORE;
    let seconds = 0;
    return steps.map((step, i) => {
      seconds += step.dtS;
      const extra = {
        accuracyM: step.accuracyM,
        ...(step.speedMps === undefined ? {} : { speedMps: step.speedMps }),
        ...(step.mockRoll === 0 ? { isMock: true, id: `mock${i}` } : pingId(step.idRoll, i)),
      };
      if (step.kind === "glitch") return pingAt(0, 0, seconds, extra, far);
      if (step.kind === "relocate") {
        origin = origin === STORE ? far : STORE;
        e = 0;
        n = 0;
      } else {
        e += step.dE;
        n += step.dN;
      }
      return pingAt(e, n, seconds, extra, origin);
    });
  });

/** No id, a fresh id, or (retry) the previous ping's id. */
function pingId(roll: number, i: number): { id?: string } {
  if (roll === 0) return {};
  return { id: roll === 1 && i > 0 ? `p${i - 1}` : `p${i}` };
}

const batchArb = pingsArb.map((pings) => observe(WORLD, pings));

/** The same batch, later by `ms`. */
function shifted(batch: PingObservation[], ms: number): PingObservation[] {
  return batch.map((o) => ({ ...o, ping: { ...o.ping, timestamp: o.ping.timestamp + ms } }));
}

/** Sorted by timestamp, stable, as the reducer sees a batch. */
function sortedBatch(batch: PingObservation[]): PingObservation[] {
  return batch
    .map((o, i) => ({ o, i }))
    .sort((a, b) => a.o.ping.timestamp - b.o.ping.timestamp || a.i - b.i)
    .map(({ o }) => o);
}

/**
 * Checks the visit grammar per zone: entered (dwelled)? exited, never nested, every event tied
 * to the open visit by enteredAt. Returns the visits still open at the end.
 */
function assertGrammar(events: readonly ZoneEvent[]): Map<string, number> {
  const open = new Map<string, { enteredAt: number; dwelled: boolean }>();
  for (const event of events) {
    const visit = open.get(event.zoneId);
    if (event.type === "entered") {
      expect(visit, `entered ${event.zoneId} twice without exit`).toBeUndefined();
      expect(event.enteredAt).toBe(event.at);
      open.set(event.zoneId, { enteredAt: event.at, dwelled: false });
      continue;
    }
    expect(visit, `${event.type} ${event.zoneId} without entered`).toBeDefined();
    expect(event.enteredAt).toBe(visit!.enteredAt);
    if (event.type === "dwelled") {
      expect(visit!.dwelled, `dwelled ${event.zoneId} twice`).toBe(false);
      expect(event.at).toBeGreaterThanOrEqual(event.enteredAt);
      visit!.dwelled = true;
    } else {
      expect(event.dwelled).toBe(visit!.dwelled);
      expect(event.durationS).toBeGreaterThanOrEqual(0);
      expect(event.lastInsideAt).toBeLessThanOrEqual(event.at);
      open.delete(event.zoneId);
    }
  }
  return new Map([...open].map(([zoneId, visit]) => [zoneId, visit.enteredAt]));
}

function openVisits(state: DeviceVisitState): Map<string, number> {
  return new Map(state.zones.map((zone) => [zone.zoneId, zone.enteredAt]));
}

const byKey = (events: readonly ZoneEvent[]) => events.map((e) => JSON.stringify(e)).sort();

describe("visit reducer properties", () => {
  it("is idempotent: replaying a batch changes nothing", () => {
    fc.assert(
      fc.property(batchArb, batchArb, fc.nat({ max: 7_200 }), (prefix, later, gapS) => {
        const start = advanceVisits(undefined, prefix, rules).state;
        const batch = shifted(later, (start.lastProcessedTs ?? T0) - T0 + gapS * 1000);
        const once = advanceVisits(start, batch, rules);
        const twice = advanceVisits(once.state, batch, rules);
        expect(twice.events).toEqual([]);
        expect(twice.changed).toBe(false);
        expect(twice.state).toEqual(once.state);
      }),
    );
  });

  it("is order-insensitive within a batch", () => {
    fc.assert(
      fc.property(
        batchArb
          // Equal timestamps are tie-broken by position, so only distinct-time batches commute.
          .map((batch) => batch.filter((o, i) => o.ping.timestamp !== batch[i - 1]?.ping.timestamp))
          .chain((batch) =>
            fc.tuple(fc.constant(batch), fc.shuffledSubarray(batch, { minLength: batch.length })),
          ),
        ([batch, shuffled]) => {
          const a = advanceVisits(undefined, batch, rules);
          const b = advanceVisits(undefined, shuffled, rules);
          expect(b.events).toEqual(a.events);
          expect(b.state).toEqual(a.state);
        },
      ),
    );
  });

  it("gives the same events and state whether a batch is sent whole or in two parts", () => {
    fc.assert(
      fc.property(batchArb, fc.nat(), (batch, cut) => {
        const sorted = sortedBatch(batch);
        const k = cut % (sorted.length + 1);
        const whole = advanceVisits(undefined, sorted, rules);
        const first = advanceVisits(undefined, sorted.slice(0, k), rules);
        const second = advanceVisits(first.state, sorted.slice(k), rules);
        expect([...first.events, ...second.events]).toEqual(whole.events);
        expect(second.state).toEqual(whole.state);
        expect(first.stats.processed + second.stats.processed).toBe(whole.stats.processed);
      }),
    );
  });

  it("follows the visit grammar and the state lists exactly the open visits", () => {
    fc.assert(
      fc.property(batchArb, fc.nat(), (batch, cut) => {
        const sorted = sortedBatch(batch);
        const k = cut % (sorted.length + 1);
        const first = advanceVisits(undefined, sorted.slice(0, k), rules);
        const second = advanceVisits(first.state, sorted.slice(k), rules);
        const events = [...first.events, ...second.events];
        expect(assertGrammar(events)).toEqual(openVisits(second.state));
        const swept = expireVisits(second.state, T0 + 10 * 86_400_000, rules);
        expect(assertGrammar([...events, ...swept.events])).toEqual(new Map());
        expect(swept.state.zones).toEqual([]);
      }),
    );
  });

  it("gives the same visits whether or not a sweeper ran between batches", () => {
    fc.assert(
      fc.property(batchArb, fc.nat(), fc.nat(), (batch, cut, lag) => {
        const sorted = sortedBatch(batch);
        const k = 1 + (cut % sorted.length);
        const head = sorted.slice(0, k);
        const tail = sorted.slice(k);
        const lastHead = head.at(-1)!.ping.timestamp;
        const nextTs = tail[0]?.ping.timestamp ?? lastHead + 3_600_000;
        const sweepAt = lastHead + ((lag * 1000) % (nextTs - lastHead + 1));
        const end = T0 + 10 * 86_400_000;
        const a1 = advanceVisits(undefined, head, rules);
        const sweep = expireVisits(a1.state, sweepAt, rules);
        const a2 = advanceVisits(sweep.state, tail, rules);
        const aEnd = expireVisits(a2.state, end, rules);
        const b = advanceVisits(undefined, sorted, rules);
        const bEnd = expireVisits(b.state, end, rules);
        const withSweep = [...a1.events, ...sweep.events, ...a2.events, ...aEnd.events];
        expect(byKey(withSweep)).toEqual(byKey([...b.events, ...bEnd.events]));
        expect(aEnd.state).toEqual(bEnd.state);
      }),
    );
  });

  it("never emits an event from a mock ping and keeps the state bounded", () => {
    fc.assert(
      fc.property(batchArb, (batch) => {
        const result = advanceVisits(undefined, batch, rules);
        const fromMock = result.events.filter((event) => event.pingId?.startsWith("mock"));
        expect(fromMock).toEqual([]);
        expect(result.stats.flaggedMock).toBeLessThanOrEqual(
          batch.filter((o) => o.ping.isMock === true).length,
        );
        expect(result.state.recentIds.length).toBeLessThanOrEqual(rules.recentIdsKept);
        expect(result.state.zones.length).toBeLessThanOrEqual(rules.maxTrackedZones);
        expect(JSON.parse(JSON.stringify(result.state))).toEqual(result.state);
      }),
    );
  });
});

describe("edge jitter property", () => {
  it("never exits nor re-enters while every fix stays within the exit margin", () => {
    const F = WORLD[0]!;
    const fixArb = fc.record({
      dtS: fc.integer({ min: 1, max: 20 }),
      dE: fc.integer({ min: -20, max: 20 }),
      dN: fc.integer({ min: -20, max: 20 }),
      accuracyM: fc.integer({ min: 5, max: 25 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 15, max: 45 }),
        fc.array(fixArb, { minLength: 1, maxLength: 40 }),
        (trueE, fixes) => {
          let seconds = 0;
          const pings = fixes
            .map((fix) => {
              seconds += fix.dtS;
              return pingAt(trueE + fix.dE, fix.dN, seconds, { accuracyM: fix.accuracyM });
            })
            .filter((ping) => signedDistance(ping, F) <= rules.hysteresisM + ping.accuracyM);
          const result = advanceVisits(undefined, observe([F], pings), rules);
          const types = result.events.map((event) => event.type);
          expect(types.filter((type) => type === "entered").length).toBeLessThanOrEqual(1);
          expect(types).not.toContain("exited");
        },
      ),
    );
  });
});
