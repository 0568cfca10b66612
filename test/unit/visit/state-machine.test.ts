import { describe, expect, it } from "vitest";
import {
  advanceVisits,
  DEFAULT_VISIT_RULES,
  type DeviceVisitState,
  expireVisits,
  type Ping,
  resolveVisitRules,
} from "../../../shared/domain/visit/index.ts";
import { brief, circle, eastwards, observe, offset, pingAt, STORE, T0 } from "./trajectory.ts";

const rules = DEFAULT_VISIT_RULES;
/** Store footprint: 30 m circle, default dwell (120 s). */
const F = circle("F", "footprint", STORE, 30);
/** Offer trigger zone: 500 m around the store, 60 s dwell. */
const T = circle("T", "trigger", STORE, 500, { dwellSeconds: 60, offerId: "o-1" });

/** The fields every event of footprint F carries: its type, zone, kind, merchant and store. */
const footprintEvent = (type: "entered" | "exited") => ({
  type,
  zoneId: "F",
  kind: "footprint",
  merchantId: "m-1",
  storeId: "s-1",
});

/** Approach from 100 m west, then stand at the till with a few metres of GPS noise. */
function walkInAndStay(extra: { accuracyM?: number; isMock?: boolean } = {}): Ping[] {
  const approach = eastwards(-100, -10, 30, 20, 0, { ...extra, idPrefix: "a" });
  const jitter: Array<[number, number]> = [
    [-5, 3],
    [0, 0],
    [3, -2],
    [-2, 4],
    [1, 1],
    [4, -3],
    [0, 2],
    [-3, -1],
  ];
  const stay = jitter.map(([e, n], i) => pingAt(e, n, 80 + 20 * i, { ...extra, id: `s${i}` }));
  return [...approach, ...stay];
}

describe("walking in and staying", () => {
  it("emits entered at the first inside ping and dwelled once after 120 s, no exit", () => {
    const result = advanceVisits(undefined, observe([F], walkInAndStay()), rules);
    expect(brief(result.events)).toEqual(["entered F @60", "dwelled F @180"]);
    expect(result.events[0]).toEqual({
      ...footprintEvent("entered"),
      at: T0 + 60_000,
      enteredAt: T0 + 60_000,
      pingId: "a3",
      driving: false,
    });
    expect(result.events[1]).toMatchObject({ type: "dwelled", dwellS: 120, pingId: "s5" });
    expect(result.changed).toBe(true);
    expect(result.state.zones).toHaveLength(1);
    expect(result.state.zones[0]).toMatchObject({
      zoneId: "F",
      status: "dwelling",
      enteredAt: T0 + 60_000,
      lastInsideAt: T0 + 220_000,
      insidePings: 9,
    });
    expect(result.stats).toMatchObject({ received: 12, processed: 12, inaccurate: 0, driveBy: 0 });
  });

  it("carries the offer id of a trigger zone on its events", () => {
    const result = advanceVisits(undefined, observe([T], walkInAndStay()), rules);
    expect(brief(result.events)).toEqual(["entered T @0", "dwelled T @60"]);
    expect(result.events.every((event) => event.offerId === "o-1")).toBe(true);
  });
});

describe("walking past", () => {
  it("emits entered and exited but no dwell", () => {
    const pings = eastwards(-100, 100, 20, 10, 0, { idPrefix: "p" });
    const result = advanceVisits(undefined, observe([F], pings), rules);
    expect(brief(result.events)).toEqual(["entered F @40", "exited F @90"]);
    expect(result.events[1]).toEqual({
      ...footprintEvent("exited"),
      at: T0 + 90_000,
      enteredAt: T0 + 40_000,
      pingId: "p9",
      reason: "outside",
      lastInsideAt: T0 + 60_000,
      durationS: 20,
      dwelled: false,
    });
    expect(result.state.zones).toEqual([]);
  });
});

describe("driving past at 15 m/s", () => {
  // 75 m every 5 s along the east axis; inside the trigger zone for 60 s (its dwell time).
  const drive = (extra: { speedMps?: number }) => eastwards(-990, 1035, 75, 5, 0, extra);
  const expected = ["entered T @35", "entered F @65", "exited F @75", "exited T @105"];

  it("never dwells when the OS reports the speed", () => {
    const result = advanceVisits(undefined, observe([T, F], drive({ speedMps: 15 })), rules);
    expect(brief(result.events)).toEqual(expected);
    expect(result.stats.driveBy).toBe(13);
    expect(result.events[0]).toMatchObject({ type: "entered", driving: true });
  });

  it("never dwells when the speed is only implied by consecutive pings", () => {
    const result = advanceVisits(undefined, observe([T, F], drive({})), rules);
    expect(brief(result.events)).toEqual(expected);
    expect(result.stats.driveBy).toBe(13);
  });

  it("would dwell at the same pace with walking speed reported (the guard is what stops it)", () => {
    // A reported speed wins over the implied one, so this control sees a "slow" device.
    const result = advanceVisits(undefined, observe([T], drive({ speedMps: 1 })), rules);
    expect(brief(result.events)).toEqual(["entered T @35", "dwelled T @95", "exited T @105"]);
  });

  it("does not count a 30 s stop at a traffic light towards the dwell", () => {
    const driveIn = eastwards(-990, 60, 75, 5, 0); // fast, inside T from t=35
    const stop = [75, 85, 95, 105].map((s) => pingAt(62, 0, s)); // 100 s after entry, 30 s slow
    const driveOn = eastwards(135, 1035, 75, 5, 110);
    const result = advanceVisits(undefined, observe([T], [...driveIn, ...stop, ...driveOn]), rules);
    expect(brief(result.events)).toEqual(["entered T @35", "exited T @140"]);
  });

  it("dwells when the driver parks: the dwell clock starts when the device slows down", () => {
    const driveIn = eastwards(-990, -390, 75, 5, 0); // fast until t=40 (x=-390)
    const parked = [45, 60, 75, 90, 105, 120].map((s) => pingAt(-386, 2, s));
    const result = advanceVisits(undefined, observe([T], [...driveIn, ...parked]), rules);
    expect(brief(result.events)).toEqual(["entered T @35", "dwelled T @105"]);
    expect(result.events[1]).toMatchObject({ dwellS: 70 });
  });
});

describe("GPS jitter at the edge", () => {
  // Standing ~2 m inside a 30 m footprint; fixes scatter 10 m inside to 30 m outside.
  const xs = [22, 40, 25, 50, 28, 45, 20, 55, 26, 48];
  const jitter = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      pingAt(xs[i % xs.length]!, 0, 10 * i, { accuracyM: 15 }),
    );

  it("enters once and never exits while the fixes stay within the margin", () => {
    const result = advanceVisits(undefined, observe([F], jitter(10)), rules);
    expect(brief(result.events)).toEqual(["entered F @0"]);
  });

  it("stays one visit for ten minutes (dwell included, no flapping)", () => {
    const result = advanceVisits(undefined, observe([F], jitter(60)), rules);
    expect(brief(result.events)).toEqual(["entered F @0", "dwelled F @120"]);
  });

  it("does not enter from a just-outside start until a fix is really inside", () => {
    const outside = [40, 45, 38].map((x, i) => pingAt(x, 0, 10 * i, { accuracyM: 15 }));
    const result = advanceVisits(undefined, observe([F], outside), rules);
    expect(result.events).toEqual([]);
    expect(result.state.zones).toEqual([]);
  });
});

describe("accuracy", () => {
  it("ignores 300 m fixes for a footprint: no events, counted as inaccurate", () => {
    const result = advanceVisits(undefined, observe([F], walkInAndStay({ accuracyM: 300 })), rules);
    expect(result.events).toEqual([]);
    expect(result.state.zones).toEqual([]);
    expect(result.stats.inaccurate).toBe(9);
  });

  it("accepts the same 300 m fixes for a 500 m trigger zone", () => {
    const pings = walkInAndStay({ accuracyM: 300 });
    const result = advanceVisits(undefined, observe([F, T], pings), rules);
    expect(brief(result.events)).toEqual(["entered T @0", "dwelled T @60"]);
  });

  it("never trusts an unknown accuracy (0)", () => {
    const result = advanceVisits(
      undefined,
      observe([F, T], walkInAndStay({ accuracyM: 0 })),
      rules,
    );
    expect(result.events).toEqual([]);
    expect(result.state.lastFix).toBeUndefined();
    expect(result.stats.inaccurate).toBe(12);
  });

  it("lets an inaccurate fix neither refresh nor close a visit", () => {
    const inThenVague = [
      pingAt(0, 0, 0),
      pingAt(0, 0, 30),
      pingAt(200, 0, 60, { accuracyM: 120 }), // looks far outside, but too vague to exit
    ];
    const result = advanceVisits(undefined, observe([F], inThenVague), rules);
    expect(brief(result.events)).toEqual(["entered F @0"]);
    expect(result.state.zones[0]?.lastInsideAt).toBe(T0 + 30_000);
  });
});

describe("teleports and relocations", () => {
  const far = offset(STORE, 0, 50_000);
  const G = circle("G", "footprint", far, 30, { storeId: "s-far" });

  it("flags an impossible jump, emits nothing for it, and judges the next ping normally", () => {
    const pings = walkInAndStay();
    const glitch = pingAt(0, 0, 70, { id: "glitch" }, far);
    const again = pingAt(0, 0, 90, { id: "glitch-2" }, far);
    const batch = [...pings, glitch, again];
    const result = advanceVisits(undefined, observe([F, G], batch), rules);
    expect(brief(result.events)).toEqual(["entered F @60", "dwelled F @180"]);
    expect(result.stats.flaggedTeleport).toBe(2);
    expect(result.stats.relocations).toBe(0);
    const last = pings.at(-1)!;
    expect(result.state.lastFix).toEqual({
      lat: last.lat,
      lon: last.lon,
      ts: last.timestamp,
      accuracyM: 10,
    });
    expect(result.state.jumpCandidate).toBeUndefined();
  });

  it("accepts a real flight: the second fix at the destination confirms the move", () => {
    const rome = { lat: 41.9028, lon: 12.4964 };
    const R = circle("R", "footprint", rome, 30, { storeId: "s-rome" });
    const batch = [
      pingAt(0, 0, 0, { id: "paris" }),
      pingAt(0, 0, 7200, { id: "landed" }, rome), // 1,100 km in 2 h: flagged
      pingAt(3, 2, 7260, { id: "rome-2" }, rome),
    ];
    const result = advanceVisits(undefined, observe([F, R], batch), rules);
    expect(brief(result.events)).toEqual(["entered F @0", "exited F @0", "entered R @7260"]);
    expect(result.events[1]).toMatchObject({ reason: "timeout", durationS: 0 });
    expect(result.events[2]).toMatchObject({ pingId: "rome-2" });
    expect(result.stats).toMatchObject({ flaggedTeleport: 1, relocations: 1 });
  });

  it("does not flag a fast train hours apart (250 km in 2 h)", () => {
    const there = offset(STORE, 0, 250_000);
    const H = circle("H", "footprint", there, 30);
    const batch = [pingAt(0, 0, 0), pingAt(0, 0, 7200, {}, there)];
    const result = advanceVisits(undefined, observe([F, H], batch), rules);
    expect(result.stats.flaggedTeleport).toBe(0);
    expect(brief(result.events)).toEqual(["entered F @0", "exited F @0", "entered H @7200"]);
  });
});

describe("mock locations", () => {
  it("never trigger and never become the reference fix", () => {
    const result = advanceVisits(undefined, observe([F], walkInAndStay({ isMock: true })), rules);
    expect(result.events).toEqual([]);
    expect(result.stats.flaggedMock).toBe(12);
    expect(result.state.lastFix).toBeUndefined();
    expect(result.state.zones).toEqual([]);
  });

  it("does not break a genuine visit when one mock fix sneaks in", () => {
    const pings = walkInAndStay();
    pings.splice(6, 0, pingAt(500, 0, 105, { isMock: true }));
    const result = advanceVisits(undefined, observe([F], pings), rules);
    expect(brief(result.events)).toEqual(["entered F @60", "dwelled F @180"]);
    expect(result.stats.flaggedMock).toBe(1);
  });
});

describe("ordering, retries and stale batches", () => {
  it("sorts pings of a batch by timestamp", () => {
    const pings = walkInAndStay();
    const shuffled = [5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6].map((i) => pings[i]!);
    const sorted = advanceVisits(undefined, observe([F], pings), rules);
    const unsorted = advanceVisits(undefined, observe([F], shuffled), rules);
    expect(brief(unsorted.events)).toEqual(["entered F @60", "dwelled F @180"]);
    expect(unsorted.events).toEqual(sorted.events);
    expect(unsorted.state).toEqual(sorted.state);
  });

  it("changes nothing when a batch is retried", () => {
    const batch = observe([F, T], walkInAndStay());
    const first = advanceVisits(undefined, batch, rules);
    const retry = advanceVisits(first.state, batch, rules);
    expect(retry.events).toEqual([]);
    expect(retry.changed).toBe(false);
    expect(retry.state).toEqual(first.state);
    expect(retry.stats).toMatchObject({ processed: 0, duplicates: 12 });
  });

  it("changes nothing when a retried batch has no ids", () => {
    const pings = walkInAndStay().map(({ id: _id, ...rest }) => rest);
    const batch = observe([F], pings);
    const first = advanceVisits(undefined, batch, rules);
    const retry = advanceVisits(first.state, batch, rules);
    expect(retry.events).toEqual([]);
    expect(retry.changed).toBe(false);
    expect(retry.stats).toMatchObject({ processed: 0, duplicates: 1, stale: 11 });
  });

  it("drops a ping whose id was already seen even with a new timestamp", () => {
    const first = advanceVisits(undefined, observe([F], [pingAt(0, 0, 0, { id: "x" })]), rules);
    const again = advanceVisits(first.state, observe([F], [pingAt(0, 0, 30, { id: "x" })]), rules);
    expect(again.stats.duplicates).toBe(1);
    expect(again.changed).toBe(false);
  });

  it("drops a second ping with the same timestamp inside one batch", () => {
    const batch = observe([F], [pingAt(0, 0, 0), pingAt(300, 0, 0)]);
    const result = advanceVisits(undefined, batch, rules);
    expect(brief(result.events)).toEqual(["entered F @0"]);
    expect(result.stats.duplicates).toBe(1);
  });

  it("ignores an older batch delivered after a newer one", () => {
    const pings = walkInAndStay();
    const older = observe([F], pings.slice(0, 6));
    const newer = observe([F], pings.slice(6));
    const afterNewer = advanceVisits(undefined, newer, rules);
    const late = advanceVisits(afterNewer.state, older, rules);
    expect(late.events).toEqual([]);
    expect(late.changed).toBe(false);
    expect(late.stats).toMatchObject({ stale: 6, processed: 0 });
  });

  it("continues a visit across consecutive batches", () => {
    const pings = walkInAndStay();
    const a = advanceVisits(undefined, observe([F], pings.slice(0, 5)), rules);
    const b = advanceVisits(a.state, observe([F], pings.slice(5)), rules);
    expect(brief([...a.events, ...b.events])).toEqual(["entered F @60", "dwelled F @180"]);
  });
});

describe("clock checks (with nowMs)", () => {
  it("ignores a ping from the future so it cannot block later genuine pings", () => {
    const now = T0 + 60_000;
    const batch = observe([F], [pingAt(0, 0, 86_400), pingAt(0, 0, 30), pingAt(0, 0, 60)]);
    const result = advanceVisits(undefined, batch, rules, { nowMs: now });
    expect(result.stats.future).toBe(1);
    expect(brief(result.events)).toEqual(["entered F @30"]);
    expect(result.state.lastProcessedTs).toBe(T0 + 60_000);
  });

  it("ignores pings older than maxPingAgeS", () => {
    const now = T0 + 2 * 86_400_000;
    const result = advanceVisits(undefined, observe([F], [pingAt(0, 0, 0)]), rules, { nowMs: now });
    expect(result.stats.stale).toBe(1);
    expect(result.events).toEqual([]);
    expect(result.changed).toBe(false);
  });
});

describe("exit timeout", () => {
  const inside = [pingAt(0, 0, 0), pingAt(2, 1, 30), pingAt(-1, 2, 60)];
  const vague = (s: number) => pingAt(0, 0, s, { accuracyM: 200 });

  it("exits once no inside ping came for exitTimeoutS, dated at the last inside ping", () => {
    const before = advanceVisits(
      undefined,
      observe([F], [...inside, vague(300), vague(959)]),
      rules,
    );
    expect(brief(before.events)).toEqual(["entered F @0"]);
    const after = advanceVisits(before.state, observe([F], [vague(960)]), rules);
    expect(brief(after.events)).toEqual(["exited F @60"]);
    expect(after.events[0]).toEqual({
      ...footprintEvent("exited"),
      at: T0 + 60_000,
      enteredAt: T0,
      reason: "timeout",
      lastInsideAt: T0 + 60_000,
      durationS: 60,
      dwelled: false,
    });
    expect(after.state.zones).toEqual([]);
  });

  it("starts a new visit when the device comes back after the timeout", () => {
    const batch = observe([F], [...inside, pingAt(0, 0, 1_000)]);
    const result = advanceVisits(undefined, batch, rules);
    expect(brief(result.events)).toEqual(["entered F @0", "exited F @60", "entered F @1000"]);
  });

  it("is applied by the sweeper exactly at the timeout", () => {
    const { state } = advanceVisits(undefined, observe([F], inside), rules);
    const early = expireVisits(state, T0 + 959_999, rules);
    expect(early.events).toEqual([]);
    expect(early.changed).toBe(false);
    expect(early.state).toEqual(state);
    const due = expireVisits(state, T0 + 960_000, rules);
    expect(brief(due.events)).toEqual(["exited F @60"]);
    expect(due.events[0]).toMatchObject({ reason: "timeout", durationS: 60 });
    expect(due.changed).toBe(true);
    expect(due.state.zones).toEqual([]);
    expect(state.zones).toHaveLength(1); // input untouched
  });
});

describe("several zones", () => {
  it("tracks a footprint nested in a trigger zone independently", () => {
    const approach = eastwards(-710, -10, 25, 20, 0); // 1.25 m/s, t = 0..560
    const stay = [580, 600, 620, 640, 660, 680, 700].map((s, i) => pingAt(i % 3, -(i % 2), s));
    const leave = eastwards(7, 567, 20, 20, 720); // 1 m/s, t = 720..1280
    const result = advanceVisits(
      undefined,
      observe([T, F], [...approach, ...stay, ...leave]),
      rules,
    );
    expect(brief(result.events)).toEqual([
      "entered T @180",
      "dwelled T @240",
      "entered F @560",
      "dwelled F @680",
      "exited F @780",
      "exited T @1260",
    ]);
    expect(result.events[4]).toMatchObject({ durationS: 180, dwelled: true });
    expect(result.events[5]).toMatchObject({ durationS: 1020, dwelled: true });
  });

  it("enters and exits overlapping footprints of neighbouring stores on the same pings", () => {
    const A = circle("A", "footprint", STORE, 30);
    const B = circle("B", "footprint", offset(STORE, 20, 0), 30, { storeId: "s-2" });
    const pings = [0, 20, 40, 60].map((s) => pingAt(10, 0, s));
    pings.push(pingAt(-120, 0, 80));
    const result = advanceVisits(undefined, observe([A, B], pings), rules);
    expect(brief(result.events)).toEqual([
      "entered A @0",
      "entered B @0",
      "exited A @80",
      "exited B @80",
    ]);
    expect(result.events.map((event) => event.storeId)).toEqual(["s-1", "s-2", "s-1", "s-2"]);
  });

  it("reads a tracked zone missing from an observation as no information", () => {
    const entered = advanceVisits(undefined, observe([F], [pingAt(0, 0, 0)]), rules);
    const later = advanceVisits(entered.state, observe([T], [pingAt(800, 0, 60)]), rules);
    expect(later.events).toEqual([]);
    expect(later.state.zones.map((zone) => zone.zoneId)).toEqual(["F"]);
  });

  it("uses only the first observation of a zone listed twice for one ping", () => {
    const [obs] = observe([F], [pingAt(0, 0, 0)]);
    const twice = [{ ...obs!, zones: [...obs!.zones, { zone: F.ref, signedDistanceM: 500 }] }];
    const result = advanceVisits(undefined, twice, rules);
    expect(brief(result.events)).toEqual(["entered F @0"]);
  });

  it("caps the number of open visits and counts the rest", () => {
    const zones = ["Z1", "Z2", "Z3"].map((id) => circle(id, "footprint", STORE, 30));
    const result = advanceVisits(undefined, observe(zones, [pingAt(0, 0, 0)]), {
      ...rules,
      maxTrackedZones: 2,
    });
    expect(brief(result.events)).toEqual(["entered Z1 @0", "entered Z2 @0"]);
    expect(result.stats.untracked).toBe(1);
  });
});

describe("state shape", () => {
  it("keeps the dedupe memory bounded to the newest ids", () => {
    const small = resolveVisitRules({ recentIdsKept: 5 });
    const pings = Array.from({ length: 20 }, (_, i) => pingAt(0, 0, i * 10, { id: `id${i}` }));
    const result = advanceVisits(undefined, observe([F], pings), small);
    expect(result.state.recentIds).toEqual(["id15", "id16", "id17", "id18", "id19"]);
  });

  it("is plain JSON that survives a round trip and does not mutate the input", () => {
    const first = advanceVisits(undefined, observe([F, T], walkInAndStay()), rules);
    const stored: DeviceVisitState = JSON.parse(JSON.stringify(first.state));
    expect(stored).toEqual(first.state);
    const frozen = structuredClone(stored);
    advanceVisits(stored, observe([F, T], [pingAt(900, 0, 400)]), rules);
    expect(stored).toEqual(frozen);
  });

  it("reports no change for an empty batch on a new device", () => {
    const result = advanceVisits(undefined, [], rules);
    expect(result.changed).toBe(false);
    expect(result.state).toEqual({ schema: 1, recentIds: [], zones: [] });
  });
});

describe("speed evidence after a long gap (field report: lost visit)", () => {
  // The reported layout: a shop (40 m) and a store 20 km north (100 m), device in Berlin.
  const shopAt = { lat: 50.0, lon: 10.2 };
  const northAt = { lat: 50.1799, lon: 10.2 };
  const SHOP = circle("SHOP", "footprint", shopAt, 40);
  const NORTH = circle("NORTH", "footprint", northAt, 100, { storeId: "s-2" });
  const at = (
    p: { lat: number; lon: number },
    seconds: number,
    id: string,
    accuracyM = 5,
  ): Ping => ({
    lat: p.lat,
    lon: p.lon,
    accuracyM,
    timestamp: T0 + seconds * 1000,
    id,
  });
  const reported = (): Ping[] => [
    at(northAt, -2400, "north", 8), // T − 40 min at the north store's centre
    at(shopAt, 0, "arrive", 6), // T at the shop's centre: 20 km in 40 min = 8.3 m/s average
    at(offset(shopAt, 0, 1), 180, "stay", 7), // 1 m further at T + 180 s
    at({ lat: 50.003, lon: 10.2 }, 300, "leave", 10), // 333 m north at T + 300 s
  ];

  it("dwells at +180 s when the arrival follows a 40-minute gap (single-ping batches)", () => {
    let state: DeviceVisitState | undefined;
    const events: string[] = [];
    for (const ping of reported()) {
      const result = advanceVisits(state, observe([SHOP, NORTH], [ping]), rules);
      state = result.state;
      events.push(...brief(result.events));
    }
    expect(events).toContain("dwelled SHOP @180");
    expect(events.filter((e) => e.includes("SHOP"))).toEqual([
      "entered SHOP @0",
      "dwelled SHOP @180",
      "exited SHOP @300",
    ]);
  });

  it("the same in one batch, and the arrival is not marked as driving", () => {
    const result = advanceVisits(undefined, observe([SHOP, NORTH], reported()), rules);
    const entered = result.events.find((e) => e.type === "entered" && e.zoneId === "SHOP");
    expect(entered).toMatchObject({ driving: false });
    expect(brief(result.events)).toContain("dwelled SHOP @180");
    expect(result.stats.driveBy).toBe(0);
  });

  it("neighbours: gaps of 5 min and 3 h before the arrival still dwell", () => {
    for (const gapS of [300, 10_800]) {
      // 8.3 m/s average over the gap, ending at the shop.
      const from = offset(shopAt, 0, 8.3 * gapS);
      const batch = [at(from, -gapS, "from"), at(shopAt, 0, "arrive"), at(shopAt, 150, "stay")];
      const result = advanceVisits(undefined, observe([SHOP], batch), rules);
      expect(brief(result.events)).toEqual(["entered SHOP @0", "dwelled SHOP @150"]);
    }
  });

  it("neighbour: implied speed between close fixes is still driving (60 s at 15 m/s)", () => {
    const batch = [at(offset(shopAt, -900, 0), -60, "before"), at(shopAt, 0, "arrive")];
    const result = advanceVisits(undefined, observe([SHOP], batch), rules);
    expect(result.events[0]).toMatchObject({ type: "entered", driving: true });
    expect(result.stats.driveBy).toBe(1);
  });

  it("neighbour: an OS-reported driving speed counts whatever the gap", () => {
    const arrive = { ...at(shopAt, 0, "arrive"), speedMps: 14 };
    const batch = [at(northAt, -2400, "north"), arrive, at(shopAt, 60, "stay")];
    const result = advanceVisits(undefined, observe([SHOP, NORTH], batch), rules);
    expect(result.events.find((e) => e.zoneId === "SHOP")).toMatchObject({ driving: true });
    expect(brief(result.events)).not.toContain("dwelled SHOP @60");
  });

  it("the gap is a rule: 0 < speedEvidenceMaxGapS, configurable", () => {
    expect(rules.speedEvidenceMaxGapS).toBe(120);
    expect(() => resolveVisitRules({ speedEvidenceMaxGapS: 0 })).toThrow();
    const strict = resolveVisitRules({ speedEvidenceMaxGapS: 3_600 });
    const result = advanceVisits(undefined, observe([SHOP, NORTH], reported()), strict);
    expect(brief(result.events)).not.toContain("dwelled SHOP @180");
  });
});
