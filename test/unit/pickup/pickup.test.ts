import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generatedSchemas } from "../../../scripts/generate-schemas.ts";
import { pickupMessage, pickupMessageSchema } from "../../../shared/domain/pickup/message.ts";
import {
  ARRIVAL_STAGES,
  arrivalEstimateS,
  attachPickup,
  DEFAULT_PICKUP_RULES,
  expirePickup,
  manualArrival,
  observePickup,
  type Pickup,
  type PickupEvent,
  type PickupObservation,
  PickupStateError,
  pickupView,
  smoothClosingSpeed,
  staffAction,
} from "../../../shared/domain/pickup/pickup.ts";
import { distanceM } from "../../../shared/domain/visit/ping-quality.ts";
import { offsetM } from "../../support/geo.ts";

const STORE = { lat: 48.8606, lon: 2.3376 };
const RADIUS_M = 40;
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const rules = DEFAULT_PICKUP_RULES;

function pickup(overrides: Partial<Pickup> = {}): Pickup {
  return {
    merchantId: "m_1",
    pickupId: "pu_AAAAAAAAAAAAAAAAAAAAAA",
    storeId: "st_AAAAAAAAAAAAAAAAAAAAAA",
    orderRef: "A-1",
    mode: "curbside",
    promisedAt: T0 + 30 * 60_000,
    stage: "created",
    times: { created: T0 - 60_000, attached: T0 - 30_000 },
    nearbyThresholdS: 300,
    deviceId: "dev_1",
    version: 1,
    ...overrides,
  };
}

/** A fix `northM` metres north of the store's centre; footprint distance = centre distance − R. */
function fixAt(
  northM: number,
  ts: number,
  extra: Partial<PickupObservation> = {},
): PickupObservation {
  const p = offsetM(STORE, 0, northM);
  return {
    ts,
    lat: p.lat,
    lon: p.lon,
    accuracyM: 10,
    footprintDistanceM: distanceM(STORE, p) - RADIUS_M,
    footprintRadiusM: RADIUS_M,
    inBay: false,
    ...extra,
  };
}

/** A straight approach at `speed` m/s from `fromM` north, one fix every `everyS`. */
function approach(fromM: number, speed: number, everyS: number, t0 = T0): PickupObservation[] {
  const fixes: PickupObservation[] = [];
  for (let t = 0; ; t += everyS) {
    const d = fromM - speed * t;
    fixes.push(fixAt(Math.max(d, 0), t0 + t * 1000));
    if (d <= 0) break;
  }
  return fixes;
}

describe("arrivalEstimateS", () => {
  it("is distance over the smoothed closing speed, times the route factor", () => {
    expect(arrivalEstimateS(3600, 12, rules)).toBeCloseTo(300, 6);
    expect(arrivalEstimateS(3600, 12, { ...rules, routeFactor: 1.3 })).toBeCloseTo(390, 6);
  });

  it("is 0 inside the footprint and unknown when not closing in", () => {
    expect(arrivalEstimateS(0, undefined)).toBe(0);
    expect(arrivalEstimateS(-5, 3)).toBe(0);
    expect(arrivalEstimateS(500, undefined)).toBeUndefined();
    expect(arrivalEstimateS(500, 0.2)).toBeUndefined();
    expect(arrivalEstimateS(500, -3)).toBeUndefined();
  });

  it("divides by at least the floor speed and at most the cap, and caps the result", () => {
    expect(arrivalEstimateS(80, 0.6, rules)).toBeCloseTo(100, 6); // 0.6 → floor 0.8
    expect(arrivalEstimateS(4000, 100, rules)).toBeCloseTo(100, 6); // 100 → cap 40
    expect(arrivalEstimateS(10_000_000, 1, rules)).toBe(rules.estimateCapS);
  });

  it("never grows when the shopper gets closer at the same speed (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 50_000, noNaN: true }),
        fc.double({ min: 0, max: 50_000, noNaN: true }),
        fc.double({ min: 0.5, max: 60, noNaN: true }),
        (a, b, v) => {
          const near = Math.min(a, b);
          const far = Math.max(a, b);
          const e1 = arrivalEstimateS(near, v) ?? Number.POSITIVE_INFINITY;
          const e2 = arrivalEstimateS(far, v) ?? Number.POSITIVE_INFINITY;
          return e1 <= e2 && e1 >= 0;
        },
      ),
    );
  });
});

describe("smoothClosingSpeed", () => {
  it("starts at the first sample and moves half way to each next one", () => {
    expect(smoothClosingSpeed(undefined, 10)).toBe(10);
    expect(smoothClosingSpeed(10, 0)).toBe(5);
    expect(smoothClosingSpeed(undefined, 500)).toBe(rules.speedCapMps);
  });
});

describe("observePickup: a car at 12 m/s from 8 km, a fix every 30 s", () => {
  const fixes = approach(8000, 12, 30);
  const { pickup: done, events } = observePickup(pickup(), fixes, fixes.at(-1)?.ts ?? T0, rules);
  const types = events.map((e) => e.type);

  it("goes en route, nearby, arrived, in order and once each", () => {
    expect(types).toEqual(["en_route", "nearby", "arrived"]);
    expect(done.stage).toBe("arrived");
    expect(done.arrivalSource).toBe("location");
  });

  it("fires nearby at the first fix whose estimate is under 5 minutes", () => {
    const nearby = events.find((e) => e.type === "nearby") as PickupEvent;
    const fix = fixes.find((f) => f.ts === nearby.at) as PickupObservation;
    expect(fix.footprintDistanceM / 12).toBeLessThanOrEqual(300);
    const previous = fixes[fixes.indexOf(fix) - 1] as PickupObservation;
    expect(previous.footprintDistanceM / 12).toBeGreaterThan(300);
  });

  it("arrives at the first fix inside the footprint (the car stops there)", () => {
    expect(done.times.arrived).toBe(fixes.at(-1)?.ts);
  });

  it("keeps the nearby estimate for the error metric and drops nothing else", () => {
    expect(done.nearbyEstimateAt).toBeDefined();
    const error = Math.abs((done.times.arrived ?? 0) - (done.nearbyEstimateAt ?? 0)) / 1000;
    expect(error).toBeLessThan(30);
  });
});

describe("observePickup: guards", () => {
  it("a car driving through the footprint at 12 m/s has not arrived", () => {
    const fixes = [fixAt(400, T0), fixAt(40, T0 + 30_000), fixAt(-320, T0 + 60_000)];
    // Inside at the middle fix, 12 m/s (speed evidence from the fixes themselves).
    const { pickup: p } = observePickup(pickup(), fixes, T0 + 60_000, rules);
    expect(p.times.arrived).toBeUndefined();
  });

  it("ignores mock, inaccurate, stale, repeated and impossible fixes", () => {
    const base = observePickup(pickup(), [fixAt(3000, T0)], T0, rules).pickup;
    const ignored = [
      fixAt(0, T0 + 30_000, { isMock: true }),
      fixAt(0, T0 + 31_000, { accuracyM: 500 }),
      fixAt(0, T0 + 32_000, { accuracyM: 0 }),
      fixAt(0, T0 - 1000),
      fixAt(0, T0),
      fixAt(-3000 + 40, T0 + 33_000), // 6 km in 33 s: 180 m/s
    ];
    const { pickup: p, events } = observePickup(base, ignored, T0 + 40_000, rules);
    expect(events).toEqual([]);
    expect(p.trip).toEqual(base.trip);
  });

  it("does nothing for an unattached or finished pickup (location unused)", () => {
    const fixes = approach(1000, 1.4, 30);
    const unattached = pickup({ deviceId: undefined });
    expect(observePickup(unattached, fixes, T0 + 10_000_000, rules)).toMatchObject({
      events: [],
      changed: false,
    });
    const finished = staffAction(pickup(), "cancel", T0).pickup;
    expect(observePickup(finished, fixes, T0 + 10_000_000, rules).events).toEqual([]);
  });

  it("a bay entry is waiting, after arrived", () => {
    const fixes = [
      fixAt(200, T0),
      fixAt(100, T0 + 60_000),
      fixAt(0, T0 + 120_000, { inBay: true }),
    ];
    const { events } = observePickup(pickup(), fixes, T0 + 120_000, rules);
    expect(events.map((e) => e.type)).toEqual(["en_route", "nearby", "arrived", "waiting"]);
  });
});

describe("staff actions and timeouts", () => {
  it("ready then complete; repeats are no-ops; complete drops the trip and device", () => {
    const moving = observePickup(pickup(), approach(600, 1.4, 60), T0 + 600_000, rules).pickup;
    expect(moving.trip).toBeDefined();
    const ready = staffAction(moving, "ready", T0 + 601_000);
    expect(ready.events.map((e) => e.type)).toEqual(["ready"]);
    expect(staffAction(ready.pickup, "ready", T0 + 602_000).changed).toBe(false);
    const done = staffAction(ready.pickup, "complete", T0 + 603_000).pickup;
    expect(done.terminal).toBe("completed");
    expect(done.trip).toBeUndefined();
    expect(done.deviceId).toBeUndefined();
    expect(done.estimatedArrivalAt).toBeUndefined();
    expect(() => staffAction(done, "cancel", T0 + 604_000)).toThrow(PickupStateError);
    expect(staffAction(done, "complete", T0 + 604_000).changed).toBe(false);
  });

  it("no arrival 2 h after the promised time is a no-show; arrival never is", () => {
    const p = pickup();
    const due = p.promisedAt + rules.noShowAfterS * 1000;
    expect(expirePickup(p, due - 1, rules).changed).toBe(false);
    const late = expirePickup(p, due + 5000, rules);
    expect(late.pickup.terminal).toBe("no_show");
    expect(late.events).toEqual([{ type: "no_show", at: due, cause: "timeout" }]);
    const arrived = manualArrival(p, T0).pickup;
    expect(expirePickup(arrived, due + 5000, rules).changed).toBe(false);
    const forgotten = expirePickup(arrived, T0 + rules.autoCompleteAfterS * 1000, rules);
    expect(forgotten.pickup.terminal).toBe("completed");
  });

  it("manual arrival works without location and only once", () => {
    const first = manualArrival(pickup({ deviceId: undefined }), T0);
    expect(first.events.map((e) => e.type)).toEqual(["arrived"]);
    expect(first.pickup.arrivalSource).toBe("manual");
    expect(manualArrival(first.pickup, T0 + 1).changed).toBe(false);
  });

  it("attaches once", () => {
    const p = pickup({ deviceId: undefined, times: { created: T0 } });
    const a = attachPickup(p, "dev_a", T0 + 1);
    expect(a.pickup.deviceId).toBe("dev_a");
    expect(attachPickup(a.pickup, "dev_b", T0 + 2).changed).toBe(false);
  });
});

describe("properties: any sequence of fixes and staff actions", () => {
  const stepArb = fc.oneof(
    fc.record({
      kind: fc.constant("fix" as const),
      dtS: fc.integer({ min: -5, max: 120 }),
      northM: fc.integer({ min: -60, max: 9000 }),
      accuracyM: fc.integer({ min: 0, max: 150 }),
      inBay: fc.boolean(),
      isMock: fc.boolean(),
    }),
    fc.record({
      kind: fc.constant("staff" as const),
      action: fc.constantFrom("ready" as const, "complete" as const, "cancel" as const),
    }),
    fc.record({ kind: fc.constant("manual" as const) }),
    fc.record({
      kind: fc.constant("expire" as const),
      afterS: fc.integer({ min: 0, max: 20_000 }),
    }),
  );

  it("each event at most once, stages only forward, nothing after the end, trip gone at the end", () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        let p = pickup();
        let t = T0;
        const seen: PickupEvent[] = [];
        let endedAt: number | undefined;
        for (const step of steps) {
          const before = ARRIVAL_STAGES.indexOf(p.stage);
          let events: PickupEvent[] = [];
          if (step.kind === "fix") {
            t += step.dtS * 1000;
            const r = observePickup(
              p,
              [
                fixAt(step.northM, t, {
                  accuracyM: step.accuracyM,
                  inBay: step.inBay,
                  isMock: step.isMock,
                }),
              ],
              t,
              rules,
            );
            p = r.pickup;
            events = r.events;
          } else if (step.kind === "staff") {
            try {
              const r = staffAction(p, step.action, t);
              p = r.pickup;
              events = r.events;
            } catch (error) {
              if (!(error instanceof PickupStateError) || p.terminal === undefined) throw error;
            }
          } else if (step.kind === "manual") {
            const r = manualArrival(p, t);
            p = r.pickup;
            events = r.events;
          } else {
            const r = expirePickup(p, t + step.afterS * 1000, rules);
            p = r.pickup;
            events = r.events;
          }
          if (endedAt !== undefined && events.length > 0) return false;
          if (ARRIVAL_STAGES.indexOf(p.stage) < before) return false;
          seen.push(...events);
          if (p.terminal !== undefined) {
            endedAt ??= t;
            if (p.trip !== undefined || p.deviceId !== undefined) return false;
          }
        }
        const types = seen.map((e) => e.type);
        if (new Set(types).size !== types.length) return false;
        // Arrival stages appear in order.
        const stages = types.filter((x) => (ARRIVAL_STAGES as readonly string[]).includes(x));
        const idx = stages.map((s) => ARRIVAL_STAGES.indexOf(s as (typeof ARRIVAL_STAGES)[number]));
        return idx.every((v, i) => i === 0 || v > (idx[i - 1] as number));
      }),
      { numRuns: 300 },
    );
  });

  it("every message validates against the published schema and the view holds no trip", () => {
    const fixes = approach(2000, 8, 20);
    const { pickup: p, events } = observePickup(
      pickup({ vehicle: { color: "red" } }),
      fixes,
      T0 + 1e7,
      rules,
    );
    for (const e of events)
      expect(pickupMessageSchema.safeParse(pickupMessage(p, e)).success).toBe(true);
    const view = JSON.stringify(pickupView(p));
    expect(view).not.toContain("trip");
    expect(view).not.toContain("dev_1");
    expect(view).not.toContain(String(fixes[0]?.lat));
  });
});

describe("events/pickup-message.schema.json", () => {
  it("is exactly what the generator derives from the zod schema", () => {
    const checkedIn = JSON.parse(
      readFileSync(
        resolve(import.meta.dirname, "../../../events/pickup-message.schema.json"),
        "utf8",
      ),
    );
    expect(checkedIn).toEqual(generatedSchemas()["pickup-message.schema.json"]);
  });
});
