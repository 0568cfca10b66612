import { describe, expect, it } from "vitest";
import {
  VisitStateConflict,
  type VisitStore,
} from "../../../shared/adapters/dynamo/visit-store.ts";
import { deviceKeys } from "../../../shared/domain/device.ts";
import { coverZone } from "../../../shared/domain/geometry/cover.ts";
import { cellsForPoint, encodeZone } from "../../../shared/domain/geometry/index.ts";
import type { DeviceVisitState, Ping, ZoneEvent } from "../../../shared/domain/visit/types.ts";
import type { ZoneDefinition } from "../../../shared/domain/zone.ts";
import { ForbiddenError } from "../../../shared/errors.ts";
import {
  type IngestDeps,
  type IngestResult,
  ingestPings,
} from "../../../shared/use-cases/pings/ingest-pings.ts";
import { ZoneMatcher } from "../../../shared/use-cases/pings/zone-matcher.ts";
import { geoIndexFromConfig } from "../../../shared/wiring/geo-index.ts";
import { pingDepsFromEnv } from "../../../shared/wiring/ping-deps.ts";
import { env, uniqueId } from "../../support/aws.ts";
import { putBareProfile, storedItem } from "../../support/fixtures.ts";
import {
  destination,
  devicePrincipalFor,
  manualClock,
  mulberry32,
  offsetM,
  scriptStart,
} from "../../support/pings.ts";
import { recordingSink } from "../../support/recording-sink.ts";

const T0 = scriptStart();

let siteCounter = 0;
/** A fresh, isolated spot per test (10 km apart), so zones of other tests never interfere. */
function newSite() {
  siteCounter += 1;
  return { lat: 46.2 + 0.1 * siteCounter, lon: 6.1 };
}

interface Zone {
  zoneId: string;
  kind: "footprint" | "trigger";
  merchantId: string;
  storeId: string;
  offerId?: string;
}

/** A scripted ping: position in metres from the site, seconds after T0. */
interface Step {
  e: number;
  n: number;
  s: number;
  accuracyM?: number;
  speedMps?: number;
  isMock?: boolean;
}

function world() {
  const index = geoIndexFromConfig({
    GEO_INDEX_TABLE: env("GEO_INDEX_TABLE"),
    CATALOG_TABLE: env("CATALOG_TABLE"),
  });
  const clock = manualClock(T0);
  const sink = recordingSink();
  const matcher = new ZoneMatcher({
    getCells: (cells) => index.getCells(cells),
    getHeads: (ids) => index.getHeads(ids),
    clock,
    ttlMs: 60_000,
    budgetBytes: 64 * 1024 * 1024,
  });
  // The production rules and stores; only the clock and the sink are the test's.
  const production = pingDepsFromEnv(sink);
  // The real visit store, counting the races it lost.
  const races = { conflicts: 0 };
  const visits: VisitStore = {
    ...production.visits,
    save: (...args) =>
      production.visits.save(...args).catch((error: unknown) => {
        if (error instanceof VisitStateConflict) races.conflicts++;
        throw error;
      }),
  };
  const deps: IngestDeps = { ...production, visits, matcher, clock };
  const site = newSite();
  const merchantId = uniqueId("m");
  const storeId = uniqueId("st");

  async function circle(
    kind: "footprint" | "trigger",
    radiusM: number,
    options: { dwellSeconds?: number; at?: { e: number; n: number } } = {},
  ): Promise<Zone & { center: { lat: number; lon: number }; radiusM: number }> {
    const center = options.at ? offsetM(site, options.at.e, options.at.n) : site;
    const offerId = kind === "trigger" ? uniqueId("of") : undefined;
    const zone: ZoneDefinition = {
      zoneId: kind === "trigger" ? `tz.${offerId}.${storeId}` : `fp.${uniqueId("st")}`,
      kind,
      merchantId,
      storeId,
      ...(offerId ? { offerId } : {}),
      geometry: encodeZone({ type: "Circle", center, radiusM }),
      characteristicRadiusM: radiusM,
      dwellSeconds: options.dwellSeconds ?? (kind === "footprint" ? 120 : 60),
    };
    await index.putZone(zone);
    return {
      zoneId: zone.zoneId,
      kind,
      merchantId,
      storeId,
      ...(offerId ? { offerId } : {}),
      center,
      radiusM,
    };
  }

  async function device(options: { consent?: boolean } = {}) {
    const deviceId = uniqueId("dev");
    await putBareProfile(deviceId);
    let counter = 0;
    const ping = (step: Step, id = `p${counter++}`): Ping => {
      const { lat, lon } = offsetM(site, step.e, step.n);
      return {
        lat,
        lon,
        accuracyM: step.accuracyM ?? 10,
        timestamp: T0 + step.s * 1000,
        id,
        ...(step.speedMps !== undefined ? { speedMps: step.speedMps } : {}),
        ...(step.isMock !== undefined ? { isMock: step.isMock } : {}),
      };
    };
    /**
     * Posts a batch as `POST /v1/pings` processes it: the profile and the visit state in one
     * read (the production snapshot read), then the batch; the server clock follows the pings.
     */
    async function send(pings: Ping[], nowMs?: number): Promise<IngestResult> {
      const { visits } = await production.snapshots.snapshot(deviceId);
      clock.set(nowMs ?? Math.max(clock.now(), ...pings.map((p) => p.timestamp + 2_000)));
      return ingestPings(
        deps,
        devicePrincipalFor(deviceId, { consentLocation: options.consent ?? true }),
        pings,
        visits,
      );
    }
    /** Sends a batch that must produce nothing: no event in the answer, none at the sink. */
    async function sendExpectingNoEvent(pings: Ping[]): Promise<IngestResult> {
      const result = await send(pings);
      expect(result.events).toEqual([]);
      expect(sink.events).toEqual([]);
      return result;
    }
    async function stored() {
      return (await storedItem("DEVICES_TABLE", deviceKeys.visits(deviceId))) as
        | { state: DeviceVisitState; pending: ZoneEvent[]; version: number }
        | undefined;
    }
    /** The zones the stored visit state holds open (what decides whether a batch needs it). */
    async function openVisits() {
      return ((await stored())?.state.zones ?? []).map((z) => z.zoneId);
    }
    return { deviceId, ping, send, sendExpectingNoEvent, stored, openVisits };
  }

  return { index, clock, sink, deps, site, circle, device, matcher, races, production };
}

/** The events the sink received, one per identity (the sink contract allows redelivery). */
function delivered(sink: ReturnType<typeof recordingSink>): ZoneEvent[] {
  const seen = new Map<string, ZoneEvent>();
  for (const { event } of sink.events) {
    seen.set(`${event.zoneId}|${event.enteredAt}|${event.type}`, event);
  }
  return [...seen.values()];
}

function base(zone: Zone, at: Ping, entered: Ping) {
  return {
    zoneId: zone.zoneId,
    kind: zone.kind,
    merchantId: zone.merchantId,
    storeId: zone.storeId,
    ...(zone.offerId ? { offerId: zone.offerId } : {}),
    at: at.timestamp,
    enteredAt: entered.timestamp,
    ...(at.id ? { pingId: at.id } : {}),
  };
}

const expected = {
  entered: (zone: Zone, at: Ping, driving = false): ZoneEvent => ({
    ...base(zone, at, at),
    type: "entered",
    driving,
  }),
  dwelled: (zone: Zone, at: Ping, entered: Ping): ZoneEvent => ({
    ...base(zone, at, entered),
    type: "dwelled",
    dwellS: (at.timestamp - entered.timestamp) / 1000,
  }),
  exited: (
    zone: Zone,
    at: Ping,
    entered: Ping,
    lastInside: Ping,
    dwelled: boolean,
    reason: "outside" | "timeout" = "outside",
  ): ZoneEvent => ({
    ...base(zone, reason === "timeout" ? lastInside : at, entered),
    ...(reason === "timeout" ? { at: lastInside.timestamp } : {}),
    type: "exited",
    reason,
    lastInsideAt: lastInside.timestamp,
    durationS: (lastInside.timestamp - entered.timestamp) / 1000,
    dwelled,
  }),
};

/** Pings at `s` = start + k·interval moving east from `fromE` at `speed` m/s, `n` metres north. */
function eastward(
  fromE: number,
  n: number,
  speed: number,
  interval: number,
  count: number,
  start = 0,
  extra: Partial<Step> = {},
): Step[] {
  return Array.from({ length: count }, (_, k) => ({
    e: fromE + speed * interval * k,
    n,
    s: start + interval * k,
    ...extra,
  }));
}

describe("scripted trajectories through ingestPings (DynamoDB Local)", () => {
  it("walking in and staying: entered at the first inside ping, dwelled once after 120 s", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    const d = await w.device();
    // Approach at 1.2 m/s, one ping per 15 s: the 5th ping (28 m from the centre) is inside.
    const approach = eastward(-100, 0, 1.2, 15, 6).map((s) => d.ping(s));
    const jitter = [
      [2, -3],
      [-3, 1],
      [1, 2],
      [3, 3],
      [-2, -2],
      [0, 3],
      [2, 0],
      [-1, -3],
      [3, -1],
      [-3, 2],
      [1, 1],
      [0, -2],
    ] as const;
    const stay = jitter.map(([e, n], k) => d.ping({ e, n, s: 90 + 20 * k }));
    const first = await d.send([...approach, ...stay.slice(0, 3)]);
    const second = await d.send(stay.slice(3));
    const entering = approach[4] as Ping;
    const dwellPing = stay[5] as Ping; // t = 190 s: the first ping ≥ 120 s after entering
    expect(first.events).toEqual([expected.entered(fp, entering)]);
    expect(second.events).toEqual([expected.dwelled(fp, dwellPing, entering)]);
    expect(w.sink.events.map((e) => e.event)).toEqual([...first.events, ...second.events]);
    const stored = await d.stored();
    expect(stored?.pending).toEqual([]);
    expect(stored?.state.zones).toMatchObject([
      { zoneId: fp.zoneId, status: "dwelling", enteredAt: entering.timestamp },
    ]);
    expect(await d.openVisits()).toEqual([fp.zoneId]);
  });

  it("walking past 30 m outside a footprint produces nothing", async () => {
    const w = world();
    await w.circle("footprint", 40);
    const d = await w.device();
    const pings = eastward(-150, 70, 1.2, 15, 18).map((s) => d.ping(s));
    await d.sendExpectingNoEvent(pings);
  });

  it("walking past through the edge of a footprint: entered, then exited beyond the hysteresis", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    const d = await w.device();
    // 20 m north of the centre: inside while |e| ≤ 34.6 m; exit needs > 40 + 25 + 10 m away.
    const pings = eastward(-150, 20, 1.2, 15, 16).map((s) => d.ping(s));
    const result = await d.send(pings.slice(0, 8));
    const rest = await d.send(pings.slice(8));
    const [entering, lastInside, leaving] = [pings[7], pings[10], pings[13]] as [Ping, Ping, Ping];
    // e = -24 (inside), e = 30 (3.9 m inside), e = 84 (46 m outside > 35 m).
    expect(result.events).toEqual([expected.entered(fp, entering)]);
    expect(rest.events).toEqual([expected.exited(fp, leaving, entering, lastInside, false)]);
    expect(await d.openVisits()).toEqual([]);
    // With no visit open, a later ping in no zone needs nothing beyond the batch's one read.
    const version = (await d.stored())?.version;
    const later = await d.send([d.ping({ e: 500, n: 20, s: 600 })]);
    expect(later).toMatchObject({ accepted: 1, events: [], stateRead: false });
    expect((await d.stored())?.version).toBe(version);
  });

  it("driving past at 15 m/s: entered (driving) and exited, never dwelled", async () => {
    for (const reported of [true, false]) {
      const w = world();
      const tz = await w.circle("trigger", 200, { dwellSeconds: 10 });
      const d = await w.device();
      // 75 m per 5 s; inside from e = -165 to e = 135; e = 210 is within the hysteresis.
      const steps = eastward(-390, 0, 15, 5, 12, 0, reported ? { speedMps: 15 } : {});
      const pings = steps.map((s) => d.ping(s));
      const result = await d.send(pings);
      const [entering, lastInside, leaving] = [pings[3], pings[7], pings[9]] as [Ping, Ping, Ping];
      expect(result.events, reported ? "reported speed" : "implied speed").toEqual([
        expected.entered(tz, entering, true),
        expected.exited(tz, leaving, entering, lastInside, false),
      ]);
      expect(result.stats?.driveBy).toBe(5);
    }
  });

  it("GPS jitter at the edge never flaps, also when the outside fixes fall beyond the cell cover", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    // A bearing where a fix 13 m outside the edge is in none of the zone's cells: such a fix
    // only reaches the state machine as a tracked zone, with its real distance.
    const cover = new Set(coverZone({ type: "Circle", center: fp.center, radiusM: 40 }));
    let found: { bearing: number; outM: number } | undefined;
    for (let outM = 50; outM <= 60 && !found; outM += 1) {
      for (let b = 0; b < 360; b += 1) {
        const p = destination(fp.center, outM, b);
        if (!cellsForPoint(p.lat, p.lon).some((c) => cover.has(c))) {
          found = { bearing: b, outM };
          break;
        }
      }
    }
    expect(found).toBeDefined();
    const { bearing, outM } = found ?? { bearing: 0, outM: 53 };
    const at = (m: number) => {
      const rad = (bearing * Math.PI) / 180;
      return { e: m * Math.sin(rad), n: m * Math.cos(rad) };
    };
    const d = await w.device();
    // Alternating 6 m inside and 10–20 m outside (accuracy 10 m: exit needs 35 m), every 20 s.
    const steps: Step[] = Array.from({ length: 20 }, (_, k) => ({
      ...at(k % 2 === 0 ? 34 : outM),
      s: 20 * k,
    }));
    const pings = steps.map((s) => d.ping(s));
    const events: ZoneEvent[] = [];
    for (let k = 0; k < pings.length; k += 5) {
      events.push(...(await d.send(pings.slice(k, k + 5))).events);
    }
    const [entering, dwellPing] = [pings[0], pings[6]] as [Ping, Ping];
    expect(events).toEqual([
      expected.entered(fp, entering),
      expected.dwelled(fp, dwellPing, entering),
    ]);
    // A batch of one such outside fix alone: the zone is read by id, its real distance keeps it.
    const alone = await d.send([d.ping({ ...at(outM), s: 400 })]);
    expect(alone.stateRead).toBe(true);
    expect(alone.events).toEqual([]);
    // Then the device really leaves (100 m out): one exit, dated at the last inside ping.
    const leave = d.ping({ ...at(100), s: 420 });
    const last = await d.send([leave]);
    expect(last.events).toEqual([expected.exited(fp, leave, entering, pings[18] as Ping, true)]);
  });

  it("accuracy 300 m: no event, inside a footprint and a small trigger zone", async () => {
    const w = world();
    await w.circle("footprint", 40);
    await w.circle("trigger", 150);
    const d = await w.device();
    const pings = Array.from({ length: 10 }, (_, k) =>
      d.ping({ e: 0, n: 0, s: 30 * k, accuracyM: 300 }),
    );
    const result = await d.sendExpectingNoEvent(pings);
    expect(result.stats?.inaccurate).toBe(10);
    expect((await d.stored())?.state.zones ?? []).toEqual([]);
  });

  it("a teleport into a zone is flagged and produces no event", async () => {
    const w = world();
    await w.circle("footprint", 40);
    const d = await w.device();
    const away = { e: 30_000, n: 0 };
    const pings = [
      d.ping({ ...away, s: 0 }),
      d.ping({ e: 0, n: 0, s: 10 }), // 30 km in 10 s
      d.ping({ ...away, s: 20 }),
      d.ping({ e: 30_010, n: 5, s: 40 }),
    ];
    const result = await d.sendExpectingNoEvent(pings);
    expect(result.stats?.flaggedTeleport).toBe(1);
  });

  it("mock locations never trigger", async () => {
    const w = world();
    await w.circle("footprint", 40);
    await w.circle("trigger", 300, { dwellSeconds: 10 });
    const d = await w.device();
    const pings = Array.from({ length: 8 }, (_, k) =>
      d.ping({ e: k % 3, n: 0, s: 30 * k, isMock: true }),
    );
    const result = await d.sendExpectingNoEvent(pings);
    expect(result.stats?.flaggedMock).toBe(8);
  });

  it("out-of-order pings within a batch give the same events as in order", async () => {
    const inOrder = world();
    const shuffled = world();
    const results: ZoneEvent[][] = [];
    for (const [w, shuffle] of [
      [inOrder, false],
      [shuffled, true],
    ] as const) {
      const fp = await w.circle("footprint", 40);
      const d = await w.device();
      const pings = [
        ...eastward(-100, 0, 1.2, 15, 6),
        ...Array.from({ length: 8 }, (_, k) => ({ e: k % 2, n: 1, s: 90 + 20 * k })),
      ].map((s) => d.ping(s));
      const batch = [...pings];
      if (shuffle) {
        const rnd = mulberry32(7);
        for (let i = batch.length - 1; i > 0; i--) {
          const j = Math.floor(rnd() * (i + 1));
          [batch[i], batch[j]] = [batch[j] as Ping, batch[i] as Ping];
        }
        expect(batch).not.toEqual(pings);
      }
      const result = await d.send(batch);
      const entering = pings[4] as Ping;
      expect(result.events).toEqual([
        expected.entered(fp, entering),
        expected.dwelled(fp, pings[11] as Ping, entering),
      ]);
      results.push(
        result.events.map((e) => ({ ...e, zoneId: "z", storeId: "s", merchantId: "m" })),
      );
    }
    expect(results[1]).toEqual(results[0]);
  });

  it("out-of-order batches: an older batch arriving late changes nothing", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    const d = await w.device();
    const pings = eastward(-100, 0, 1.2, 15, 12).map((s) => d.ping(s));
    // e = -100 … 98: inside from e = -28 (k = 4) to e = 26 (k = 7), then 32 m and beyond out.
    const later = await d.send(pings.slice(6));
    const before = await d.stored();
    const earlier = await d.send(pings.slice(0, 6));
    // The later batch alone: entered at its first inside ping (k = 6), exit at e = 80 (k = 10).
    expect(later.events).toEqual([
      expected.entered(fp, pings[6] as Ping),
      expected.exited(fp, pings[10] as Ping, pings[6] as Ping, pings[7] as Ping, false),
    ]);
    expect(earlier.events).toEqual([]);
    expect(earlier.stats?.stale).toBe(6);
    expect((await d.stored())?.version).toBe(before?.version);
  });

  it("a retried (duplicated) batch changes nothing and emits nothing", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    const d = await w.device();
    const pings = eastward(-100, 0, 1.2, 15, 8).map((s) => d.ping(s));
    const first = await d.send(pings);
    const before = await d.stored();
    const retried = await d.send(pings);
    // Same pings without ids are duplicates too (same device and timestamp).
    const anonymous = await d.send(pings.map(({ id: _id, ...p }) => p));
    expect(first.events).toEqual([expected.entered(fp, pings[4] as Ping)]);
    expect(retried.events).toEqual([]);
    expect(retried.stats?.duplicates).toBe(8);
    expect(anonymous.events).toEqual([]);
    expect(await d.stored()).toEqual(before);
    expect(w.sink.events).toHaveLength(1);
  });

  it("two concurrent batches of one device: exactly one entered, consistent state", async () => {
    let conflicts = 0;
    for (let round = 0; round < 4; round++) {
      const w = world();
      const fp = await w.circle("footprint", 40);
      const d = await w.device();
      const pings = [
        ...eastward(-100, 0, 1.2, 15, 6),
        ...Array.from({ length: 6 }, (_, k) => ({ e: 0, n: k % 2, s: 90 + 20 * k })),
      ].map((s) => d.ping(s));
      // Even rounds: two different batches; odd rounds: the same batch twice (a racing retry).
      const [a, b] =
        round % 2 === 0
          ? [pings.slice(0, 6), pings.slice(6)]
          : [pings.slice(0, 8), pings.slice(0, 8)];
      w.clock.set(T0 + 300_000);
      const results = await Promise.all([d.send(a, T0 + 300_000), d.send(b, T0 + 300_000)]);
      const all = results.flatMap((r) => r.events);
      const entered = all.filter((e) => e.type === "entered");
      expect(entered, `round ${round}`).toHaveLength(1);
      expect(delivered(w.sink).filter((e) => e.type === "entered")).toHaveLength(1);
      // Every event was delivered, and nothing was delivered that no batch produced.
      expect(delivered(w.sink)).toEqual(expect.arrayContaining(all));
      expect(delivered(w.sink)).toHaveLength(all.length);
      const stored = await d.stored();
      expect(stored?.pending).toEqual([]);
      expect(stored?.state.zones).toHaveLength(1);
      expect(stored?.state.zones[0]?.zoneId).toBe(fp.zoneId);
      expect(stored?.state.zones[0]?.enteredAt).toBe(entered[0]?.enteredAt);
      expect(stored?.state.lastProcessedTs).toBe(Math.max(...[...a, ...b].map((p) => p.timestamp)));
      expect(await d.openVisits()).toEqual([fp.zoneId]);
      conflicts += w.races.conflicts;
    }
    // The batches really raced: at least one save lost and was retried.
    expect(conflicts).toBeGreaterThan(0);
  });

  it("a footprint nested in a trigger zone: both are tracked", async () => {
    const w = world();
    const tz = await w.circle("trigger", 300, { dwellSeconds: 60 });
    const fp = await w.circle("footprint", 30);
    const d = await w.device();
    // Walk in from 400 m west at 1.4 m/s (28 m per 20 s), stand at the till, walk out east.
    const walkIn = eastward(-400, 0, 1.4, 20, 15).map((s) => d.ping(s)); // e = -400 … -8
    const stay = Array.from({ length: 10 }, (_, k) => d.ping({ e: k % 2, n: 1, s: 300 + 20 * k }));
    const walkOut = [60, 100, 200, 290, 320, 340, 400].map((e, k) =>
      d.ping({ e, n: 0, s: 500 + 20 * k }),
    );
    const events: ZoneEvent[] = [];
    for (const batch of [walkIn, stay, walkOut]) events.push(...(await d.send(batch)).events);
    const tzIn = walkIn[4] as Ping; // e = -288
    const fpIn = walkIn[14] as Ping; // e = -8
    expect(events).toEqual([
      expected.entered(tz, tzIn),
      expected.dwelled(tz, walkIn[7] as Ping, tzIn), // 60 s later
      expected.entered(fp, fpIn),
      expected.dwelled(fp, stay[5] as Ping, fpIn), // t = 400 s: 120 s after entering
      expected.exited(fp, walkOut[1] as Ping, fpIn, stay[9] as Ping, true), // 70 m out
      expected.exited(tz, walkOut[5] as Ping, tzIn, walkOut[3] as Ping, true), // 40 m out
    ]);
    expect(await d.openVisits()).toEqual([]);
  });

  it("a device without location consent gets 403 and nothing is stored", async () => {
    const w = world();
    await w.circle("footprint", 40);
    const d = await w.device({ consent: false });
    const pings = Array.from({ length: 4 }, (_, k) => d.ping({ e: 0, n: 0, s: 60 * k }));
    const error = await d.send(pings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as ForbiddenError).status).toBe(403);
    expect(await d.stored()).toBeUndefined();
    expect(w.sink.events).toEqual([]);
  });

  it("deleting a zone while a device is inside closes the visit", async () => {
    const w = world();
    const fp = await w.circle("footprint", 40);
    const d = await w.device();
    const inside = Array.from({ length: 4 }, (_, k) => d.ping({ e: k, n: 0, s: 30 * k }));
    const first = await d.send(inside);
    expect(first.events).toEqual([expected.entered(fp, inside[0] as Ping)]);
    await w.index.removeZone(fp.zoneId);
    // Past the cache's bounded staleness (60 s), the next ping sees the zone gone.
    const next = d.ping({ e: 0, n: 0, s: 200 });
    const after = await d.send([next]);
    expect(after.events).toEqual([
      expected.exited(fp, next, inside[0] as Ping, inside[3] as Ping, false),
    ]);
    expect(await d.openVisits()).toEqual([]);
  });
});
