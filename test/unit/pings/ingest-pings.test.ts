import { describe, expect, it } from "vitest";
import type { IndexedZone } from "../../../shared/adapters/dynamo/geo-index-port.ts";
import { VisitStateConflict } from "../../../shared/adapters/dynamo/visit-store.ts";
import type { DevicePrincipal } from "../../../shared/auth/principal.ts";
import { coverZone } from "../../../shared/domain/geometry/cover.ts";
import { decodeZone, encodeZone, pointInCover } from "../../../shared/domain/geometry/index.ts";
import { resolveVisitRules } from "../../../shared/domain/visit/rules.ts";
import type { Ping, ZoneEvent } from "../../../shared/domain/visit/types.ts";
import { ForbiddenError } from "../../../shared/errors.ts";
import {
  type IngestDeps,
  ingestPings,
  type ZoneEventSink,
} from "../../../shared/use-cases/pings/ingest-pings.ts";
import { ZoneMatcher } from "../../../shared/use-cases/pings/zone-matcher.ts";
import type { OutboxClear } from "../../../shared/use-cases/ports/visit-store.ts";
import {
  destination,
  devicePrincipalFor,
  manualClock,
  memoryCellIndex,
  memoryVisitStore,
  offsetM,
} from "../../support/pings.ts";
import { recordingSink } from "../../support/recording-sink.ts";

const SITE = { lat: 48.8675, lon: 2.3638 };
const T0 = Date.UTC(2025, 5, 4, 10, 0, 0);

function zoneAt(
  zoneId: string,
  kind: "footprint" | "trigger",
  radiusM: number,
  dwellSeconds: number,
): IndexedZone {
  return {
    zoneId,
    version: 1,
    kind,
    merchantId: "m-1",
    storeId: "s-1",
    ...(kind === "trigger" ? { offerId: "o-1" } : {}),
    geometry: encodeZone({ type: "Circle", center: SITE, radiusM }),
    characteristicRadiusM: radiusM,
    dwellSeconds,
  };
}

function setup(zones: IndexedZone[], sink: ZoneEventSink = recordingSink()) {
  const index = memoryCellIndex();
  for (const zone of zones) index.put(zone, coverZone(decodeZone(zone.geometry)));
  const heads = new Map(zones.map((z) => [z.zoneId, z]));
  let headReads = 0;
  const clock = manualClock(T0);
  const matcher = new ZoneMatcher({
    getCells: (cells) => index.getCells(cells),
    getHeads: async (ids) => {
      headReads++;
      return new Map(
        ids.flatMap((id) => (heads.has(id) ? [[id, heads.get(id)]] : [])) as [
          string,
          IndexedZone,
        ][],
      );
    },
    clock,
    ttlMs: 60_000,
    budgetBytes: 64 * 1024 * 1024,
  });
  const visits = memoryVisitStore();
  const deps: IngestDeps = {
    matcher,
    visits: visits.store,
    sink,
    rules: resolveVisitRules({ maxFutureSkewS: 120 }),
    clock,
  };
  return {
    deps,
    index,
    visits,
    clock,
    sink,
    get headReads() {
      return headReads;
    },
  };
}

/**
 * A batch as `POST /v1/pings` processes it: the device's visit state read with its profile (one
 * request, counted as one `load`), then handed to `ingestPings`, which reads nothing more unless a
 * save loses a race.
 */
async function post(
  world: ReturnType<typeof setup>,
  device: DevicePrincipal,
  pings: readonly unknown[],
) {
  const snapshot = await world.visits.store.load(device.deviceId);
  return ingestPings(world.deps, device, pings, snapshot);
}

/** A ping `metres` from the site on `bearing`, `s` seconds after T0. */
function ping(metres: number, bearing: number, s: number, extra: Partial<Ping> = {}): Ping {
  const p = destination(SITE, metres, bearing);
  return { lat: p.lat, lon: p.lon, accuracyM: 10, timestamp: T0 + s * 1000, id: `p${s}`, ...extra };
}

/** The first bearing where a point `metres` from the site is in none of the zone's cells. */
function uncoveredBearing(zone: IndexedZone, metres: number): number {
  const cover = new Set(coverZone(decodeZone(zone.geometry)));
  for (let b = 0; b < 360; b++) {
    const p = destination(SITE, metres, b);
    if (!pointInCover(p.lat, p.lon, cover)) return b;
  }
  throw new Error(`no uncovered bearing at ${metres} m`);
}

const brief = (events: readonly ZoneEvent[]) =>
  events.map((e) => `${e.type} ${e.zoneId} @${(e.at - T0) / 1000}`);

describe("ingestPings: zones beyond their cover", () => {
  it("a zone entered early in a batch is exited by a later ping of the same batch outside its cover", async () => {
    const tz = zoneAt("T", "trigger", 200, 10);
    const world = setup([tz]);
    const bearing = uncoveredBearing(tz, 285);
    // 15 m/s along the bearing through the centre: -390 m … +435 m, one ping per 5 s.
    const pings = Array.from({ length: 12 }, (_, k) => {
      const along = -390 + 75 * k;
      return ping(Math.abs(along), along < 0 ? bearing + 180 : bearing, 5 * k, { speedMps: 15 });
    });
    const leaving = pings[9] as Ping;
    expect(
      pointInCover(leaving.lat, leaving.lon, new Set(coverZone(decodeZone(tz.geometry)))),
    ).toBe(false);
    world.clock.set(T0 + 70_000);
    const result = await ingestPings(world.deps, devicePrincipalFor("d1"), pings);
    expect(brief(result.events)).toEqual(["entered T @15", "exited T @45"]);
    expect(result.events[1]).toMatchObject({
      lastInsideAt: T0 + 35_000,
      durationS: 20,
      dwelled: false,
    });
  });

  it("an open zone keeps its real distance at fixes outside its cover: edge jitter does not flap", async () => {
    const fp = zoneAt("F", "footprint", 40, 120);
    const world = setup([fp]);
    let outM = 50;
    let bearing = -1;
    for (; outM <= 60 && bearing < 0; outM++) {
      try {
        bearing = uncoveredBearing(fp, outM);
      } catch {
        bearing = -1;
      }
    }
    outM--;
    expect(bearing).toBeGreaterThanOrEqual(0);
    const device = devicePrincipalFor("d1");
    const events: ZoneEvent[] = [];
    // Alternating 6 m inside and 10–20 m outside (accuracy 10 m: exit needs 35 m), every 20 s.
    const pings = Array.from({ length: 20 }, (_, k) =>
      ping(k % 2 === 0 ? 34 : outM, bearing, 20 * k),
    );
    for (let k = 0; k < pings.length; k += 5) {
      const batch = pings.slice(k, k + 5);
      world.clock.set((batch.at(-1) as Ping).timestamp + 1000);
      events.push(...(await post(world, device, batch)).events);
    }
    expect(brief(events)).toEqual(["entered F @0", "dwelled F @120"]);
    // An outside fix alone in its batch (no candidate zone; the open visit makes it count): the
    // zone is read by id and measured for real.
    world.clock.set(T0 + 401_000);
    const alone = await post(world, device, [ping(outM, bearing, 400)]);
    expect(alone.events).toEqual([]);
    expect(alone.stateRead).toBe(true);
    expect(world.headReads).toBe(1);
    world.clock.set(T0 + 421_000);
    const gone = await post(world, device, [ping(120, bearing, 420)]);
    expect(brief(gone.events)).toEqual(["exited F @420"]);
    expect(gone.events[0]).toMatchObject({ lastInsideAt: T0 + 360_000, dwelled: true });
  });
});

describe("ingestPings: cost and consistency", () => {
  it("pings in no zone for a device with no open visit never touch the visit state", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    const far = offsetM(SITE, 5_000, 5_000);
    const pings = Array.from({ length: 100 }, (_, k) => ({
      ...offsetM(far, (k % 10) * 30, Math.floor(k / 10) * 30),
      accuracyM: 10,
      timestamp: T0 + k * 1000,
    }));
    world.clock.set(T0 + 101_000);
    const cold = await post(world, devicePrincipalFor("d1"), pings);
    const warm = await post(world, devicePrincipalFor("d1"), pings);
    expect(cold).toMatchObject({ accepted: 100, stateRead: false, events: [] });
    expect(warm.stateRead).toBe(false);
    expect(world.index.reads).toBe(1);
    // Each batch's one read (profile and visit state together) and nothing more: no write.
    expect(world.visits.calls).toMatchObject({ load: 2, save: 0 });

    // With an open visit the same far batch needs the state (it may close the visit): it is
    // processed from the state read with the profile, still without a read of its own.
    world.clock.set(T0 - 29_000);
    await post(world, devicePrincipalFor("d1"), [ping(0, 0, -60), ping(3, 90, -30)]);
    expect(world.visits.items.get("d1")?.state.zones.map((z) => z.zoneId)).toEqual(["F"]);
    world.clock.set(T0 + 101_000);
    const loadsBefore = world.visits.calls.load;
    const open = await post(world, devicePrincipalFor("d1"), pings);
    expect(open.stateRead).toBe(true);
    expect(world.visits.calls.load).toBe(loadsBefore + 1);
  });

  it("without a state read with the profile (scripts, tests), the state is read once, after validation", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    world.clock.set(T0 + 61_000);
    await expect(
      ingestPings(world.deps, devicePrincipalFor("d1"), [{ ...ping(0, 0, 0), lat: 95 }]),
    ).rejects.toThrow("No ping was accepted");
    expect(world.visits.calls.load).toBe(0);
    const result = await ingestPings(world.deps, devicePrincipalFor("d1"), [
      ping(0, 0, 0),
      ping(3, 90, 30),
    ]);
    expect(brief(result.events)).toEqual(["entered F @0"]);
    expect(world.visits.calls).toMatchObject({ load: 1, save: 2 });
  });

  it("retries a lost race on the state and emits the events once", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    world.visits.failNextSaves(2);
    world.clock.set(T0 + 61_000);
    const result = await ingestPings(world.deps, devicePrincipalFor("d1"), [
      ping(0, 0, 0),
      ping(3, 90, 30),
      ping(2, 180, 60),
    ]);
    expect(brief(result.events)).toEqual(["entered F @0"]);
    expect(world.visits.calls.load).toBe(3);
    expect(world.visits.items.get("d1")).toMatchObject({ pending: [], version: 2 });
    expect((world.sink as ReturnType<typeof recordingSink>).events).toHaveLength(1);
    expect(world.visits.items.get("d1")?.state.zones.map((z) => z.zoneId)).toEqual(["F"]);
  });

  it("gives up after repeated conflicts without handing events on", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    world.visits.failNextSaves(10);
    world.clock.set(T0 + 61_000);
    await expect(
      ingestPings(world.deps, devicePrincipalFor("d1"), [ping(0, 0, 0), ping(3, 90, 30)]),
    ).rejects.toBeInstanceOf(VisitStateConflict);
    expect((world.sink as ReturnType<typeof recordingSink>).events).toEqual([]);
  });

  it("keeps events in the outbox when the sink fails, and hands them on with the next batch", async () => {
    const handled: ZoneEvent[][] = [];
    let fail = true;
    const sink: ZoneEventSink = {
      async handle(_device, events) {
        if (fail) throw new Error("downstream unavailable");
        handled.push(events);
        return { incentives: [] };
      },
    };
    const world = setup([zoneAt("F", "footprint", 40, 120)], sink);
    world.clock.set(T0 + 31_000);
    await expect(
      ingestPings(world.deps, devicePrincipalFor("d1"), [ping(0, 0, 0), ping(3, 90, 30)]),
    ).rejects.toThrow("downstream unavailable");
    expect(brief(world.visits.items.get("d1")?.pending ?? [])).toEqual(["entered F @0"]);
    fail = false;
    world.clock.set(T0 + 151_000);
    const next = await post(world, devicePrincipalFor("d1"), [ping(2, 0, 90), ping(1, 270, 150)]);
    expect(brief(next.events)).toEqual(["dwelled F @150"]);
    expect(handled.map(brief)).toEqual([["entered F @0", "dwelled F @150"]]);
    expect(world.visits.items.get("d1")?.pending).toEqual([]);
  });

  it("leaves the outbox clear to the decision step's last write when it commits it (one save, no second write)", async () => {
    const received: (OutboxClear | undefined)[] = [];
    let world: ReturnType<typeof setup> | undefined;
    const sink: ZoneEventSink = {
      async handle(_device, _events, _now, outbox) {
        received.push(outbox);
        // What the grant or visit transaction does with it: the item as saved, cleared.
        const item = world?.visits.items.get("d1");
        if (outbox && item?.version === outbox.savedVersion) {
          world?.visits.items.set("d1", { ...item, pending: [], version: item.version + 1 });
        }
        return { incentives: [], outboxCleared: true };
      },
    };
    world = setup([zoneAt("F", "footprint", 40, 120)], sink);
    world.clock.set(T0 + 31_000);
    const result = await ingestPings(world.deps, devicePrincipalFor("d1"), [
      ping(0, 0, 0),
      ping(3, 90, 30),
    ]);
    expect(brief(result.events)).toEqual(["entered F @0"]);
    expect(world.visits.calls.save).toBe(1);
    // An open visit stays due for its exit timeout once the outbox is cleared.
    expect(received).toEqual([
      { deviceId: "d1", savedVersion: 1, expiresAt: expect.any(Number), dueAt: expect.any(Number) },
    ]);
    expect(world.visits.items.get("d1")).toMatchObject({ pending: [], version: 2 });

    // A sink that could not carry it (no write of its own): the batch clears the outbox itself.
    const fallback = setup([zoneAt("F", "footprint", 40, 120)]);
    fallback.clock.set(T0 + 31_000);
    await ingestPings(fallback.deps, devicePrincipalFor("d1"), [ping(0, 0, 0), ping(3, 90, 30)]);
    expect(fallback.visits.calls.save).toBe(2);
    expect(fallback.visits.items.get("d1")).toMatchObject({ pending: [], version: 2 });
  });

  it("refuses a device without location consent before reading or storing anything", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    await expect(
      ingestPings(world.deps, devicePrincipalFor("d1", { consentLocation: false }), [
        ping(0, 0, 0),
      ]),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(world.index.reads).toBe(0);
    expect(world.visits.calls).toMatchObject({ load: 0, save: 0 });
  });

  it("reports bad pings by index and processes the good ones of the same batch", async () => {
    const world = setup([zoneAt("F", "footprint", 40, 120)]);
    world.clock.set(T0 + 61_000);
    const good = ping(0, 0, 0);
    const result = await ingestPings(world.deps, devicePrincipalFor("d1"), [
      { ...good, lat: 95 },
      good,
      { ...good, accuracyM: 0, timestamp: T0 + 10_000 },
      { ...ping(2, 0, 60), color: "red" },
      ping(2, 0, 60),
    ]);
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => [r.index, r.field])).toEqual([
      [0, "lat"],
      [2, "accuracyM"],
      [3, "color"],
    ]);
    expect(brief(result.events)).toEqual(["entered F @0"]);
  });
});
