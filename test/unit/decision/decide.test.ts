import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  capWindowKeys,
  type DecisionInput,
  decide,
  effectiveDeviceTimeZone,
  type OfferCounters,
  SUPPRESSION_REASONS,
} from "../../../shared/domain/decision/decide.ts";
import { holdoutBucket } from "../../../shared/domain/decision/holdout.ts";
import type { DecisionOffer } from "../../../shared/domain/decision/offer-rules.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { ms, NY } from "../../support/time-zones.ts";

/** Wed 2026-06-10 12:00 EDT: inside validity, outside default quiet hours in New York. */
const AT = ms("2026-06-10T16:00:00Z");
const MINUTE = 60_000;

function offer(over: Partial<DecisionOffer> = {}): DecisionOffer {
  return {
    offerId: "o1",
    merchantId: "m1",
    storeId: "s1",
    status: "active",
    validFrom: "2026-01-01T00:00:00Z",
    validTo: "2027-01-01T00:00:00Z",
    caps: {},
    budget: {},
    holdoutPercent: 0,
    trigger: { on: "enter" },
    triggerRadiusM: 500,
    ...over,
  };
}

interface Over {
  offers?: DecisionOffer[];
  at?: number;
  type?: "entered" | "dwelled" | "pickup_arrived";
  pickupMerchants?: string[];
  device?: Partial<DecisionInput["device"]>;
  storeTz?: string;
  perOffer?: Record<string, Partial<OfferCounters>>;
  deviceToday?: number;
  deviceDay?: string;
  config?: DecisionInput["config"];
  now?: number;
}

function input(over: Over = {}): DecisionInput {
  const perOffer = new Map<string, OfferCounters>();
  for (const [id, c] of Object.entries(over.perOffer ?? {})) {
    perOffer.set(id, { today: 0, total: 0, sentCount: 0, ...c });
  }
  return {
    event: { type: over.type ?? "entered", at: over.at ?? AT },
    offers: over.offers ?? [offer()],
    device: { deviceId: "device-1", consentMarketing: true, segments: [], ...over.device },
    storeTimeZones: new Map([["s1", over.storeTz ?? NY]]),
    counters: {
      perOffer,
      deviceToday: over.deviceToday ?? 0,
      ...(over.deviceDay === undefined ? {} : { deviceDay: over.deviceDay }),
    },
    ...(over.config === undefined ? {} : { config: over.config }),
    ...(over.now === undefined ? {} : { now: over.now }),
    ...(over.pickupMerchants === undefined
      ? {}
      : { pickupMerchants: new Set(over.pickupMerchants) }),
  };
}

/** The single outcome of a one-offer decision: "send", "held_out" or the suppression reason. */
function outcome(over: Over = {}): string {
  const d = decide(input(over));
  return d.chosen?.outcome ?? d.suppressed[0]?.reason ?? "none";
}

describe("decide: eligibility checks", () => {
  it("sends an eligible offer", () => {
    expect(decide(input())).toEqual({ chosen: { offerId: "o1", outcome: "send" }, suppressed: [] });
  });

  it("trigger_mismatch: enter offers ignore dwell events and vice versa", () => {
    expect(outcome({ type: "dwelled" })).toBe("trigger_mismatch");
    expect(outcome({ offers: [offer({ trigger: { on: "dwell" } })] })).toBe("trigger_mismatch");
    expect(outcome({ type: "dwelled", offers: [offer({ trigger: { on: "dwell" } })] })).toBe(
      "send",
    );
  });

  it("pickup_arrived offers fire only on a pickup arrival, geofence offers never on one", () => {
    const crossSell = offer({ trigger: { on: "pickup_arrived" }, triggerRadiusM: 0 });
    expect(outcome({ type: "pickup_arrived", offers: [crossSell] })).toBe("send");
    expect(outcome({ type: "entered", offers: [crossSell] })).toBe("trigger_mismatch");
    expect(outcome({ type: "dwelled", offers: [crossSell] })).toBe("trigger_mismatch");
    expect(outcome({ type: "pickup_arrived" })).toBe("trigger_mismatch");
    expect(outcome({ type: "pickup_arrived", offers: [offer({ trigger: { on: "dwell" } })] })).toBe(
      "trigger_mismatch",
    );
  });

  it("pickup_active: a merchant's geofence offers are suppressed while the device holds one of its pickups", () => {
    expect(outcome({ pickupMerchants: ["m1"] })).toBe("pickup_active");
    expect(
      outcome({
        pickupMerchants: ["m1"],
        type: "dwelled",
        offers: [offer({ trigger: { on: "dwell" } })],
      }),
    ).toBe("pickup_active");
    // Another merchant's pickup changes nothing; the cross-sell itself is never suppressed by it.
    expect(outcome({ pickupMerchants: ["m2"] })).toBe("send");
    const crossSell = offer({ trigger: { on: "pickup_arrived" }, triggerRadiusM: 0 });
    expect(outcome({ pickupMerchants: ["m1"], type: "pickup_arrived", offers: [crossSell] })).toBe(
      "send",
    );
    // Paused offers still say not_live first.
    expect(outcome({ pickupMerchants: ["m1"], offers: [offer({ status: "paused" })] })).toBe(
      "not_live",
    );
  });

  it("not_live: paused, outside validity, outside schedule, unknown store zone", () => {
    expect(outcome({ offers: [offer({ status: "paused" })] })).toBe("not_live");
    expect(outcome({ offers: [offer({ validFrom: "2026-06-10T16:00:00.001Z" })] })).toBe(
      "not_live",
    );
    expect(outcome({ offers: [offer({ validTo: "2026-06-10T16:00:00Z" })] })).toBe("not_live");
    const evenings = [{ days: ["wed" as const], start: "17:00", end: "22:00" }];
    expect(outcome({ offers: [offer({ schedule: evenings })] })).toBe("not_live");
    expect(outcome({ offers: [offer({ schedule: evenings, storeId: "elsewhere" })] })).toBe(
      "not_live",
    );
    expect(outcome({ storeTz: "Atlantis/Central" })).toBe("not_live");
  });

  it("schedules are read in the store's zone", () => {
    const lunch = [{ days: ["wed" as const], start: "11:00", end: "13:00" }];
    expect(outcome({ offers: [offer({ schedule: lunch })] })).toBe("send"); // 12:00 EDT
    expect(outcome({ offers: [offer({ schedule: lunch })], storeTz: "Europe/Berlin" })).toBe(
      "not_live", // 18:00 CEST
    );
  });

  it("budget: exhausted at sentCount = maxIncentives", () => {
    const o = offer({ budget: { maxIncentives: 100 } });
    expect(outcome({ offers: [o], perOffer: { o1: { sentCount: 100 } } })).toBe("budget");
    expect(outcome({ offers: [o], perOffer: { o1: { sentCount: 99 } } })).toBe("send");
  });

  it("no_consent", () => {
    expect(outcome({ device: { consentMarketing: false } })).toBe("no_consent");
  });

  it("segment: needs one shared trusted segment; none listed means everyone", () => {
    const o = offer({ segments: ["students", "runners"] });
    expect(outcome({ offers: [o] })).toBe("segment");
    expect(outcome({ offers: [o], device: { trustedSegments: ["parents"] } })).toBe("segment");
    expect(outcome({ offers: [o], device: { trustedSegments: ["parents", "runners"] } })).toBe(
      "send",
    );
    expect(outcome({ offers: [offer({ segments: [] })] })).toBe("send");
  });

  it("segment: what a device declares about itself counts only when the offer opts in", () => {
    const vip = offer({ segments: ["vip"] });
    expect(outcome({ offers: [vip], device: { segments: ["vip"] } })).toBe("segment");
    expect(
      outcome({
        offers: [offer({ segments: ["vip"], allowSelfDeclaredSegments: true })],
        device: { segments: ["vip"] },
      }),
    ).toBe("send");
    // A merchant audience of the device's person counts, for that merchant only.
    const audiences = new Map([["m1", new Set(["vip"])]]);
    expect(decide({ ...input({ offers: [vip] }), audiences }).chosen?.outcome).toBe("send");
    const other = new Map([["m2", new Set(["vip"])]]);
    expect(decide({ ...input({ offers: [vip] }), audiences: other }).chosen).toBeUndefined();
  });

  it("segment: requireAttestation needs an attested device", () => {
    const o = offer({ requireAttestation: true });
    expect(outcome({ offers: [o] })).toBe("segment");
    expect(outcome({ offers: [o], device: { attested: true } })).toBe("send");
  });

  it("holdout is drawn for the holdout key (the person) when given", () => {
    const o = offer({ holdoutPercent: 50 });
    const drawn = (deviceId: string, holdoutKey: string) =>
      decide(input({ offers: [o], device: { deviceId, holdoutKey } })).chosen?.outcome;
    // Different installs of one person always land in the person's group, whatever their ids.
    const groups = new Set<string | undefined>();
    for (const person of ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"]) {
      const installs = new Set(["a", "b", "c", "d"].map((d) => drawn(`${person}-${d}`, person)));
      expect(installs.size).toBe(1);
      groups.add([...installs][0]);
    }
    // …and the persons themselves are split (the draw is not constant).
    expect(groups).toEqual(new Set(["send", "held_out"]));
  });

  it("quiet_hours: device zone first, store zone as fallback", () => {
    const at = ms("2026-06-10T12:30:00Z"); // 21:30 Tokyo, 08:30 New York
    expect(outcome({ at, device: { timeZone: "Asia/Tokyo" } })).toBe("quiet_hours");
    expect(outcome({ at })).toBe("send");
    expect(outcome({ at, device: { timeZone: "Bogus/Zone" } })).toBe("send");
  });

  it("quiet_hours boundaries and configuration", () => {
    // Default 21:00–08:00 in New York (EDT, UTC-4).
    expect(outcome({ at: ms("2026-06-11T00:59:59Z") })).toBe("send"); // 20:59:59
    expect(outcome({ at: ms("2026-06-11T01:00:00Z") })).toBe("quiet_hours"); // 21:00
    expect(outcome({ at: ms("2026-06-11T11:59:59Z") })).toBe("quiet_hours"); // 07:59:59
    expect(outcome({ at: ms("2026-06-11T12:00:00Z") })).toBe("send"); // 08:00
    const off = { quietHours: { start: "00:00", end: "00:00" } };
    expect(outcome({ at: ms("2026-06-11T06:00:00Z"), config: off })).toBe("send"); // 02:00
  });

  it("fatigue: default 3 a day across merchants, configurable, rolls on the device's day", () => {
    expect(outcome({ deviceToday: 2 })).toBe("send");
    expect(outcome({ deviceToday: 3 })).toBe("fatigue");
    expect(outcome({ deviceToday: 3, config: { fatigueCapPerDay: 4 } })).toBe("send");
    expect(outcome({ deviceToday: 3, deviceDay: "2026-06-10" })).toBe("fatigue");
    expect(outcome({ deviceToday: 3, deviceDay: "2026-06-09" })).toBe("send");
  });

  it("cap_total and cap_day", () => {
    const o = offer({ caps: { perDeviceTotal: 5, perDevicePerDay: 1 } });
    expect(outcome({ offers: [o], perOffer: { o1: { total: 5 } } })).toBe("cap_total");
    expect(outcome({ offers: [o], perOffer: { o1: { total: 4, today: 1 } } })).toBe("cap_day");
    expect(outcome({ offers: [o], perOffer: { o1: { total: 4, today: 0 } } })).toBe("send");
  });

  it("per-day caps roll at the store's local midnight (Tokyo vs Los Angeles)", () => {
    // 2026-03-10T16:00Z is 2026-03-11 01:00 in Tokyo and 2026-03-10 09:00 in Los Angeles.
    const at = ms("2026-03-10T16:00:00Z");
    const o = offer({ caps: { perDevicePerDay: 1 } });
    const counters = { o1: { today: 1, day: "2026-03-10", total: 1 } };
    const device = { timeZone: "Europe/London" }; // 16:00 there: not quiet hours
    expect(outcome({ at, offers: [o], perOffer: counters, device, storeTz: "Asia/Tokyo" })).toBe(
      "send",
    );
    expect(
      outcome({ at, offers: [o], perOffer: counters, device, storeTz: "America/Los_Angeles" }),
    ).toBe("cap_day");
    // Without a `day` the caller vouches that `today` is the current store-local day.
    expect(
      outcome({ at, offers: [o], perOffer: { o1: { today: 1 } }, device, storeTz: "Asia/Tokyo" }),
    ).toBe("cap_day");
  });

  it("journey stages: only the targeted stages at the offer's merchant, unknown fails closed", () => {
    const lapsedOnly = offer({ stages: ["lapsed", "prospect"] });
    const decideWith = (stages?: Map<string, "prospect" | "new" | "lapsed">, o = lapsedOnly) => {
      const d = decide({ ...input({ offers: [o] }), ...(stages ? { stages } : {}) });
      return d.chosen?.outcome ?? d.suppressed[0]?.reason;
    };
    expect(decideWith(new Map([["m1", "lapsed"]]))).toBe("send");
    expect(decideWith(new Map([["m1", "prospect"]]))).toBe("send");
    expect(decideWith(new Map([["m1", "new"]]))).toBe("stage");
    // Another merchant's stage says nothing about this one; no stage read fails closed.
    expect(decideWith(new Map([["m2", "lapsed"]]))).toBe("stage");
    expect(decideWith()).toBe("stage");
    // An untargeted offer needs no stage at all.
    expect(decideWith(undefined, offer())).toBe("send");
    // The holdout applies to targeted offers like to any other.
    const held = offer({ stages: ["lapsed"], holdoutPercent: 50 });
    const groups = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const d = decide({
        ...input({ offers: [held], device: { deviceId: `dev-${i}` } }),
        stages: new Map([["m1", "lapsed"]]),
      });
      groups.add(d.chosen?.outcome ?? "none");
    }
    expect([...groups].sort()).toEqual(["held_out", "send"]);
  });

  it("cooldown: blocked until exactly cooldownMinutes have passed", () => {
    const o = offer({ caps: { cooldownMinutes: 60 } });
    const at = (lastSentAt: number) => outcome({ offers: [o], perOffer: { o1: { lastSentAt } } });
    expect(at(AT - 60 * MINUTE + 1)).toBe("cooldown");
    expect(at(AT - 60 * MINUTE)).toBe("send");
    expect(at(AT + MINUTE)).toBe("cooldown"); // clock skew: a send "in the future"
    expect(outcome({ offers: [offer()], perOffer: { o1: { lastSentAt: AT - 1 } } })).toBe("send");
  });

  it("reports the first failing check in the documented order", () => {
    const everything = offer({
      status: "paused",
      budget: { maxIncentives: 0 },
      segments: ["x"],
      stages: ["lapsed"],
      caps: { perDeviceTotal: 0, perDevicePerDay: 0, cooldownMinutes: 60 },
    });
    const night = ms("2026-06-11T03:00:00Z"); // 23:00 EDT
    const base: Over = {
      at: night,
      device: { consentMarketing: false },
      deviceToday: 9,
      perOffer: { o1: { lastSentAt: night } },
      now: night + 6 * MINUTE,
      pickupMerchants: ["m1"],
    };
    const seen: string[] = [];
    let o: DecisionOffer = everything;
    const fixes: Array<(o: DecisionOffer, b: Over) => [DecisionOffer, Over]> = [
      (x, b) => [x, { ...b, now: night + 5 * MINUTE }],
      (x, b) => [{ ...x, status: "active" }, b],
      (x, b) => [x, { ...b, pickupMerchants: [] }],
      (x, b) => [{ ...x, budget: {} }, b],
      (x, b) => [x, { ...b, device: { consentMarketing: true } }],
      (x, b) => [{ ...x, segments: [] }, b],
      (x, b) => {
        const { stages: _stages, ...rest } = x;
        return [rest, b];
      },
      (x, b) => [x, { ...b, at: AT, now: AT, perOffer: { o1: { lastSentAt: AT } } }],
      (x, b) => [x, { ...b, deviceToday: 0 }],
      (x, b) => [{ ...x, caps: { ...x.caps, perDeviceTotal: undefined } }, b],
      (x, b) => [{ ...x, caps: { ...x.caps, perDevicePerDay: undefined } }, b],
      (x, b) => [{ ...x, caps: {} }, b],
    ];
    let b = base;
    seen.push(outcome({ ...b, offers: [o], type: "dwelled" }));
    seen.push(outcome({ ...b, offers: [o] }));
    for (const fix of fixes) {
      [o, b] = fix(o, b);
      seen.push(outcome({ ...b, offers: [o] }));
    }
    expect(seen).toEqual([...SUPPRESSION_REASONS.filter((r) => r !== "not_chosen"), "send"]);
  });

  it("decides only for events younger than the freshness limit (default 5 min, per offer)", () => {
    const HOUR = 60 * MINUTE;
    // The field reports: a batch 3 h old and one 20 h old.
    expect(outcome({ now: AT + 3 * HOUR })).toBe("stale_event");
    expect(outcome({ now: AT + 20 * HOUR })).toBe("stale_event");
    expect(outcome({ now: AT + 5 * MINUTE })).toBe("send");
    expect(outcome({ now: AT + 5 * MINUTE + 1 })).toBe("stale_event");
    // A device clock slightly ahead of the server is not stale.
    expect(outcome({ now: AT - MINUTE })).toBe("send");
    const relaxed = offer({ trigger: { on: "enter", freshnessMinutes: 240 } });
    expect(outcome({ offers: [relaxed], now: AT + 3 * HOUR })).toBe("send");
    expect(outcome({ offers: [relaxed], now: AT + 20 * HOUR })).toBe("stale_event");
    // Each offer is judged on its own trigger event, not the batch's latest one.
    const old = offer({ offerId: "o2", eventAt: AT - HOUR });
    const d = decide(input({ offers: [offer(), old], now: AT }));
    expect(d.chosen?.offerId).toBe("o1");
    expect(d.suppressed).toEqual([{ offerId: "o2", reason: "stale_event" }]);
  });

  it("the freshness check is monotone: an older event is never fresh when a newer one is stale", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.integer({ min: 1, max: 1440 }),
        (ageA, ageB, limit) => {
          const o = offer({ trigger: { on: "enter", freshnessMinutes: limit } });
          const r = (age: number) => outcome({ offers: [o], now: AT + age * MINUTE });
          if (ageA <= ageB && r(ageA) === "stale_event") expect(r(ageB)).toBe("stale_event");
          expect(r(ageA) === "stale_event").toBe(ageA > limit);
        },
      ),
    );
  });

  it("rejects a non-finite event time", () => {
    expect(() => decide(input({ at: Number.NaN }))).toThrow(ValidationError);
  });
});

describe("decide: choosing one offer", () => {
  const candidates = [
    offer({ offerId: "a", priority: 1, triggerRadiusM: 900 }),
    offer({ offerId: "b", priority: 2, triggerRadiusM: 900, validTo: "2026-12-01T00:00:00Z" }),
    offer({ offerId: "c", priority: 2, triggerRadiusM: 900, validTo: "2026-09-01T00:00:00Z" }),
    offer({ offerId: "d", priority: 2, triggerRadiusM: 300 }),
    offer({ offerId: "e", priority: 2, triggerRadiusM: 300 }),
    offer({ offerId: "f", triggerRadiusM: 50 }),
  ];
  const chosen = (offers: DecisionOffer[]) => decide(input({ offers })).chosen?.offerId;

  it("priority, then smallest radius, then soonest validTo, then offerId", () => {
    expect(chosen(candidates)).toBe("d"); // priority 2, radius 300, same validTo as e, "d" < "e"
    expect(chosen(candidates.filter((o) => o.offerId !== "d"))).toBe("e");
    expect(chosen(candidates.filter((o) => !["d", "e"].includes(o.offerId)))).toBe("c");
    expect(chosen(candidates.filter((o) => ["a", "b"].includes(o.offerId)))).toBe("b");
    expect(chosen(candidates.filter((o) => ["a", "f"].includes(o.offerId)))).toBe("a");
  });

  it("marks the other eligible offers not_chosen and keeps the ineligible ones' reasons", () => {
    const d = decide(input({ offers: [...candidates, offer({ offerId: "z", status: "paused" })] }));
    expect(d.chosen).toEqual({ offerId: "d", outcome: "send" });
    expect(d.suppressed).toEqual([
      { offerId: "a", reason: "not_chosen" },
      { offerId: "b", reason: "not_chosen" },
      { offerId: "c", reason: "not_chosen" },
      { offerId: "e", reason: "not_chosen" },
      { offerId: "f", reason: "not_chosen" },
      { offerId: "z", reason: "not_live" },
    ]);
  });

  it("property: the choice does not depend on input order; every offer is accounted once", () => {
    const subsetAndPermutation = fc
      .shuffledSubarray(candidates, { minLength: 1 })
      .chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length })));
    fc.assert(
      fc.property(subsetAndPermutation, ([xs, permuted]) => {
        const d = decide(input({ offers: xs }));
        expect(d.chosen).toBeDefined();
        const ids = [d.chosen?.offerId, ...d.suppressed.map((s) => s.offerId)];
        expect([...ids].sort()).toEqual(xs.map((o) => o.offerId).sort());
        expect(d.suppressed.every((s) => s.reason === "not_chosen")).toBe(true);
        expect(decide(input({ offers: permuted })).chosen).toEqual(d.chosen);
      }),
    );
  });

  it("no eligible offer: nothing chosen", () => {
    const d = decide(input({ device: { consentMarketing: false }, offers: candidates }));
    expect(d.chosen).toBeUndefined();
    expect(d.suppressed.every((s) => s.reason === "no_consent")).toBe(true);
  });
});

describe("decide: holdout", () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `device-${i}`);

  it("a held-out device gets outcome held_out and no fallback offer", () => {
    const heldOut = ids.find((id) => holdoutBucket(id, "d") < 5000);
    const treated = ids.find((id) => holdoutBucket(id, "d") >= 5000);
    expect(heldOut).toBeDefined();
    expect(treated).toBeDefined();
    const offers = [
      offer({ offerId: "d", holdoutPercent: 50, triggerRadiusM: 100 }),
      offer({ offerId: "x", holdoutPercent: 0, triggerRadiusM: 900 }),
    ];
    const held = decide(input({ offers, device: { deviceId: heldOut! } }));
    expect(held.chosen).toEqual({ offerId: "d", outcome: "held_out" });
    expect(held.suppressed).toEqual([{ offerId: "x", reason: "not_chosen" }]);
    const sent = decide(input({ offers, device: { deviceId: treated! } }));
    expect(sent.chosen).toEqual({ offerId: "d", outcome: "send" });
  });

  it("0 % holdout never holds out; 25 % holds out about a quarter, the same ones each time", () => {
    const zero = ids.filter((id) => outcome({ device: { deviceId: id } }) === "held_out");
    expect(zero).toHaveLength(0);
    const quarter = [offer({ holdoutPercent: 25 })];
    const run = () =>
      ids.filter((id) => outcome({ offers: quarter, device: { deviceId: id } }) === "held_out");
    const first = run();
    expect(Math.abs(first.length / ids.length - 0.25)).toBeLessThan(0.04);
    expect(run()).toEqual(first);
  });
});

describe("capWindowKeys and effectiveDeviceTimeZone", () => {
  it("per-offer day in the store zone, fatigue day in the device zone (store as fallback)", () => {
    const at = ms("2026-03-10T16:00:00Z");
    expect(capWindowKeys(at, "America/Los_Angeles", "Asia/Tokyo")).toEqual({
      offerDay: "2026-03-10",
      deviceDay: "2026-03-11",
    });
    expect(capWindowKeys(at, "Asia/Tokyo")).toEqual({
      offerDay: "2026-03-11",
      deviceDay: "2026-03-11",
    });
    expect(effectiveDeviceTimeZone("Nope/Nope", NY)).toBe(NY);
    expect(effectiveDeviceTimeZone("Asia/Tokyo", NY)).toBe("Asia/Tokyo");
  });
});
