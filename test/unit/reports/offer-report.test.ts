import { describe, expect, it } from "vitest";
import { COUNTER_FIELDS } from "../../../shared/domain/conversion.ts";
import { REPORT_METHOD } from "../../../shared/domain/reports/report-method.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../shared/errors.ts";
import { getOfferReport } from "../../../shared/use-cases/reports/offer-report.ts";
import { getStoreReport } from "../../../shared/use-cases/reports/store-report.ts";
import { MemoryCatalog } from "../../support/memory/catalog.ts";
import { MemoryTables } from "../../support/memory/conversion-reader.ts";
import { LIFT_DAY_1, LIFT_DAY_2 } from "../../support/report-counters.ts";
import { A, B, OFFER, principal, reportDeps, S1, S2 } from "./fakes.ts";

function setup() {
  const tables = new MemoryTables();
  const catalog = new MemoryCatalog();
  catalog.addStore(A, S1);
  catalog.addStore(A, S2);
  catalog.addOffer(A, OFFER, { storeIds: [S1, S2], budget: { maxIncentives: 1000 } });
  // Two days, two stores: totals are treated 60/400, holdout 9/100.
  tables.putOfferCounters(A, OFFER, S1, "2026-05-01", {
    ...LIFT_DAY_1,
    [COUNTER_FIELDS.triggered]: 400,
    [COUNTER_FIELDS.suppressed]: 90,
    [COUNTER_FIELDS.suppressedBy("cap_day")]: 50,
    [COUNTER_FIELDS.suppressedBy("quiet_hours")]: 40,
    [COUNTER_FIELDS.ttvBucket(0)]: 10,
    [COUNTER_FIELDS.ttvBucket(2)]: 20,
  });
  tables.putOfferCounters(A, OFFER, S2, "2026-05-03", {
    ...LIFT_DAY_2,
    [COUNTER_FIELDS.triggered]: 200,
    [COUNTER_FIELDS.suppressed]: 10,
    [COUNTER_FIELDS.suppressedBy("budget")]: 10,
    [COUNTER_FIELDS.ttvBucket(5)]: 30,
  });
  // Outside the range: must not count.
  tables.putOfferCounters(A, OFFER, S1, "2026-04-30", { [COUNTER_FIELDS.sent]: 999 });
  tables.setBudget(OFFER, 412);
  return { tables, catalog, deps: reportDeps(tables, catalog) };
}

const range = { from: "2026-05-01", to: "2026-05-03" };

describe("offer report: lift and CI through the use case (hand-computed)", () => {
  it("totals, rates, lift, median and budget", async () => {
    const { deps, tables } = setup();
    const r = await getOfferReport(deps, principal(A, "marketing-analyst"), OFFER, range);
    expect(tables.logQueries).toBe(0);
    expect(r.totals.funnel).toEqual({
      triggered: 600,
      sent: 400,
      heldOut: 100,
      suppressed: { total: 100, byReason: { budget: 10, cap_day: 50, quiet_hours: 40 } },
      visits: 0,
      attributedVisits: { treated: 60, holdout: 9 },
      redemptions: 30,
      expired: 0,
      baskets: 0,
      online: { redemptions: 0, expired: 0 },
    });
    // Treated 60/400 = 0.15, holdout 9/100 = 0.09, redemption 30/400 = 0.075.
    expect(r.totals.visitRate.treated).toBeCloseTo(0.15, 12);
    expect(r.totals.visitRate.holdout).toBeCloseTo(0.09, 12);
    expect(r.totals.redemptionRate).toBeCloseTo(0.075, 12);
    const lift = r.totals.lift;
    expect(lift.confidence).toBe(0.95);
    // d = 0.06; SE = √(.15·.85/400 + .09·.91/100) = √0.00113775 = 0.0337305;
    // CI = 0.06 ± 1.959964 × 0.0337305 = [−0.0061107, 0.1261107] (not significant).
    expect(lift.absolute).toBeCloseTo(0.06, 12);
    expect(lift.absoluteCi?.[0]).toBeCloseTo(-0.0061106631, 6);
    expect(lift.absoluteCi?.[1]).toBeCloseTo(0.1261106631, 6);
    // RR = 0.15/0.09 = 5/3; SE(ln RR) = √(1/60 − 1/400 + 1/9 − 1/100) = 0.3395258;
    // CI = exp(ln(5/3) ± 1.959964 × 0.3395258) − 1 = [−0.1432702, 2.2423034].
    expect(lift.relative).toBeCloseTo(2 / 3, 12);
    expect(lift.relativeCi?.[0]).toBeCloseTo(-0.1432702392, 6);
    expect(lift.relativeCi?.[1]).toBeCloseTo(2.2423033552, 6);
    // Pooled p = 69/500 = 0.138; z = 0.06 / 0.0385610 = 1.5559766; p = 0.1197137.
    expect(lift.zScore).toBeCloseTo(1.5559766227, 6);
    expect(lift.pValue).toBeCloseTo(0.1197136514, 6);
    // ttv: 10 in ≤5, 20 in (10,15], 30 in (30,45]; n = 60, rank 30 → bucket (10, 15].
    expect(r.totals.medianTimeToVisit).toMatchObject({ upperBoundMinutes: 15, sampleSize: 60 });
    expect(r.budget).toEqual({ used: 412, max: 1000, remaining: 588 });
    expect(r.method).toEqual(REPORT_METHOD);
    expect(r.method.lift).toMatch(/Wald/);
    expect(r.offer?.title).toBe(`Title ${OFFER}`);
  });

  it("per-day rows leave out days without activity unless includeEmpty=true", async () => {
    const { deps } = setup();
    const quiet = await getOfferReport(deps, principal(A, "merchant-admin"), OFFER, range);
    expect(quiet.rows.map((row) => row.day)).toEqual(["2026-05-01", "2026-05-03"]);
    expect(quiet.includeEmpty).toBe(false);
    const r = await getOfferReport(deps, principal(A, "merchant-admin"), OFFER, {
      ...range,
      includeEmpty: "true",
    });
    expect(r.rows.map((row) => ("day" in row ? row.day : null))).toEqual([
      "2026-05-01",
      "2026-05-02",
      "2026-05-03",
    ]);
    const [d1, d2, d3] = r.rows;
    expect(d1?.funnel.sent).toBe(250);
    expect(d1?.visitRate.treated).toBeCloseTo(40 / 250, 12);
    expect(d2?.funnel.sent).toBe(0);
    expect(d2?.visitRate.treated).toBeNull();
    expect(d2?.notes.join(" ")).toMatch(/sent = 0/);
    expect(d3?.visitRate.holdout).toBeCloseTo(4 / 40, 12);
    expect(r.rows.reduce((s, row) => s + row.funnel.sent, 0)).toBe(r.totals.funnel.sent);
  });

  it("per-store rows list the offer's stores", async () => {
    const { deps } = setup();
    const r = await getOfferReport(deps, principal(A, "marketing-analyst"), OFFER, {
      ...range,
      groupBy: "store",
    });
    expect(r.rows.map((row) => ("storeId" in row ? row.storeId : null))).toEqual([S1, S2]);
    expect(r.rows[1]?.funnel.attributedVisits).toEqual({ treated: 20, holdout: 4 });
    expect(r.rows[1]?.redemptionRate).toBeCloseTo(10 / 150, 12);
  });

  it("answers a range without events with nulls and notes, never NaN", async () => {
    const { deps } = setup();
    const r = await getOfferReport(deps, principal(A, "marketing-analyst"), OFFER, {
      from: "2026-05-10",
      to: "2026-05-11",
    });
    expect(r.totals.visitRate).toEqual({ treated: null, holdout: null });
    expect(r.totals.lift.absolute).toBeNull();
    expect(r.totals.redemptionRate).toBeNull();
    expect(r.totals.notes.length).toBeGreaterThan(0);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it("an unlimited budget has no max", async () => {
    const { deps, catalog } = setup();
    catalog.addOffer(A, "of_unlimited1", { storeIds: [S1] });
    const r = await getOfferReport(deps, principal(A, "marketing-analyst"), "of_unlimited1", range);
    expect(r.budget).toEqual({ used: 0, max: null, remaining: null });
  });
});

describe("offer and store reports: tenant and role isolation", () => {
  it("another merchant's offer or store is a 404, however it is asked", async () => {
    const { deps } = setup();
    for (const role of ["marketing-analyst", "merchant-admin"] as const) {
      await expect(getOfferReport(deps, principal(B, role), OFFER, range)).rejects.toThrow(
        NotFoundError,
      );
      await expect(getStoreReport(deps, principal(B, role), S1, range)).rejects.toThrow(
        NotFoundError,
      );
    }
    await expect(
      getOfferReport(deps, principal(A, "marketing-analyst"), "nope", range),
    ).rejects.toThrow(NotFoundError);
    await expect(
      getOfferReport(deps, principal(A, "marketing-analyst"), undefined, {}),
    ).rejects.toThrow(NotFoundError);
  });

  it("pos cannot read reports", async () => {
    const { deps } = setup();
    await expect(getOfferReport(deps, principal(A, "pos"), OFFER, range)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(getStoreReport(deps, principal(A, "pos"), S1, range)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it("rejects unknown query parameters by name", async () => {
    const { deps } = setup();
    const err = await getOfferReport(deps, principal(A, "marketing-analyst"), OFFER, {
      groupby: "day",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues?.[0]?.path).toBe("groupby");
  });

  it("a deleted offer keeps its report while counters exist; none at all is 404", async () => {
    const { deps, catalog } = setup();
    catalog.offers.clear();
    const r = await getOfferReport(deps, principal(A, "marketing-analyst"), OFFER, range);
    expect(r.offer).toBeNull();
    expect(r.totals.funnel.sent).toBe(400);
    expect(r.budget.max).toBeNull();
    await expect(
      getOfferReport(deps, principal(A, "marketing-analyst"), "of_neverexisted", range),
    ).rejects.toThrow(NotFoundError);
  });
});

describe("store report", () => {
  it("visits and attributed visits by offer and day; each visit counted once in the total", async () => {
    const { deps, tables } = setup();
    // As the write side does: every visit on "-", an attributed one also on its offer's row.
    tables.putOfferCounters(A, OFFER, S1, "2026-05-01", { [COUNTER_FIELDS.visits]: 45 });
    tables.putOfferCounters(A, "-", S1, "2026-05-01", { [COUNTER_FIELDS.visits]: 52 });
    tables.putOfferCounters(A, "-", S1, "2026-05-02", { [COUNTER_FIELDS.visits]: 3 });
    const r = await getStoreReport(deps, principal(A, "marketing-analyst"), S1, range);
    const day = (d: string) => ({ day: d, period: d, start: d, end: d });
    const noOffer = { offerId: null, offerName: null, offerDeleted: false };
    const offer = { offerId: OFFER, offerName: `Offer ${OFFER}`, offerDeleted: false };
    expect(r.rows).toEqual([
      {
        ...day("2026-05-01"),
        ...noOffer,
        visits: 52,
        attributedVisits: { treated: 0, holdout: 0, total: 0 },
      },
      {
        ...day("2026-05-01"),
        ...offer,
        visits: 45,
        attributedVisits: { treated: 40, holdout: 5, total: 45 },
      },
      {
        ...day("2026-05-02"),
        ...noOffer,
        visits: 3,
        attributedVisits: { treated: 0, holdout: 0, total: 0 },
      },
    ]);
    expect(r.offers).toEqual([
      { ...noOffer, visits: 55, attributedVisits: { treated: 0, holdout: 0, total: 0 } },
      { ...offer, visits: 45, attributedVisits: { treated: 40, holdout: 5, total: 45 } },
    ]);
    expect(r.totals).toEqual({
      visits: 55,
      attributedVisits: { treated: 40, holdout: 5, total: 45 },
    });
    expect(r.store?.timeZone).toBe("Europe/Paris");
    expect(tables.logQueries).toBe(0);
  });
});
