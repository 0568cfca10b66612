import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  OFFER_STATES,
  offerListQuerySchema,
  offerState,
} from "../../../shared/domain/catalog/offer-state.ts";
import { ms, NY, PARIS, TOKYO } from "../../support/time-zones.ts";

const ALL = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const base = {
  status: "active" as const,
  validFrom: "2026-03-01T00:00:00Z",
  validTo: "2026-12-01T00:00:00Z",
};

describe("offerState (injected clock, stores' zones)", () => {
  it("scheduled before validFrom, live inside, ended at validTo (exclusive)", () => {
    expect(offerState(base, [PARIS], ms("2026-02-28T23:59:59Z"), 0)).toBe("scheduled");
    expect(offerState(base, [PARIS], ms("2026-03-01T00:00:00Z"), 0)).toBe("live");
    expect(offerState(base, [PARIS], ms("2026-11-30T23:59:59Z"), 0)).toBe("live");
    expect(offerState(base, [PARIS], ms("2026-12-01T00:00:00Z"), 0)).toBe("ended");
  });

  it("an offer that ended in 2020 is ended, paused or not; a paused running one is paused", () => {
    const old = { ...base, validFrom: "2020-01-01T00:00:00Z", validTo: "2020-02-01T00:00:00Z" };
    const now = ms("2026-11-30T07:05:00Z");
    expect(offerState(old, [PARIS], now, 0)).toBe("ended");
    expect(offerState({ ...old, status: "paused" }, [PARIS], now, 0)).toBe("ended");
    expect(offerState({ ...base, status: "paused" }, [PARIS], now, 0)).toBe("paused");
    expect(offerState({ ...base, status: "paused" }, [PARIS], ms("2026-01-01T00:00:00Z"), 0)).toBe(
      "paused",
    );
  });

  it("budget_exhausted once sent reaches maxIncentives (not before), whatever the schedule", () => {
    const budgeted = { ...base, budget: { maxIncentives: 50 } };
    const now = ms("2026-06-10T10:00:00Z");
    expect(offerState(budgeted, [PARIS], now, 49)).toBe("live");
    expect(offerState(budgeted, [PARIS], now, 50)).toBe("budget_exhausted");
    expect(offerState(budgeted, [PARIS], now, 51)).toBe("budget_exhausted");
    expect(offerState(budgeted, [PARIS], ms("2026-12-02T00:00:00Z"), 50)).toBe("ended");
    expect(offerState({ ...base, budget: {} }, [PARIS], now, 10_000)).toBe("live");
  });

  it("outside_schedule reads the schedule on the store's wall clock, across DST", () => {
    const morning = { ...base, schedule: [{ days: [...ALL], start: "07:00", end: "09:00" }] };
    // 28 Mar 2026 (CET, UTC+1) vs 30 Mar 2026 (CEST, UTC+2): 07:30 local is 06:30Z then 05:30Z.
    expect(offerState(morning, [PARIS], ms("2026-03-28T06:30:00Z"), 0)).toBe("live");
    expect(offerState(morning, [PARIS], ms("2026-03-30T05:30:00Z"), 0)).toBe("live");
    expect(offerState(morning, [PARIS], ms("2026-03-30T06:30:00Z"), 0)).toBe("live"); // 08:30
    expect(offerState(morning, [PARIS], ms("2026-03-30T07:00:00Z"), 0)).toBe("outside_schedule");
    // The same instant is 16:30 in Tokyo.
    expect(offerState(morning, [TOKYO], ms("2026-03-30T07:30:00Z"), 0)).toBe("outside_schedule");
  });

  it("with stores in several zones, the offer is as far along as its most advanced store", () => {
    const oneDay = { status: "active" as const, validFrom: "2026-11-01", validTo: "2026-11-01" };
    const at = ms("2026-11-01T16:00:00Z"); // 2 Nov 01:00 in Tokyo, 1 Nov 11:00 in New York
    expect(offerState(oneDay, [TOKYO], at, 0)).toBe("ended");
    expect(offerState(oneDay, [NY], at, 0)).toBe("live");
    expect(offerState(oneDay, [TOKYO, NY], at, 0)).toBe("live");
    expect(offerState(oneDay, [NY], ms("2026-11-01T03:00:00Z"), 0)).toBe("scheduled");
    expect(offerState(oneDay, [TOKYO, NY], ms("2026-11-01T03:00:00Z"), 0)).toBe("live");
    // Unknown zones and unparsable bounds fail closed.
    expect(offerState(oneDay, ["Not/AZone"], at, 0)).toBe("ended");
    expect(offerState({ ...base, validTo: "soon" }, [PARIS], at, 0)).toBe("ended");
  });

  it("property: exactly one state; live iff active, in validity and schedule, budget left", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: ms("2025-06-01T00:00:00Z"), max: ms("2027-06-01T00:00:00Z") }),
        fc.boolean(),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom(PARIS, TOKYO, NY),
        (now, paused, sent, zone) => {
          const offer = {
            ...base,
            status: paused ? ("paused" as const) : ("active" as const),
            budget: { maxIncentives: 100 },
          };
          const state = offerState(offer, [zone], now, sent);
          expect(OFFER_STATES).toContain(state);
          const inValidity = now >= ms(base.validFrom) && now < ms(base.validTo);
          expect(state === "live").toBe(inValidity && !paused && sent < 100);
          if (now >= ms(base.validTo)) expect(state).toBe("ended");
        },
      ),
      { numRuns: 300, seed: 146 },
    );
  });
});

describe("GET /v1/offers?state=", () => {
  it("accepts one or several states and names a wrong one", () => {
    expect(offerListQuerySchema.parse({ state: "live" }).state).toEqual(["live"]);
    expect(offerListQuerySchema.parse({ state: "live, ended" }).state).toEqual(["live", "ended"]);
    const bad = offerListQuerySchema.safeParse({ state: "running" });
    expect(bad.error?.issues.map((i) => i.path.join("/"))).toEqual(["state/0"]);
    expect(bad.error?.issues[0]?.message).toBe(
      "each state must be one of scheduled, live, outside_schedule, budget_exhausted, ended, paused",
    );
  });
});
