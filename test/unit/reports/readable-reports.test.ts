import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { offerInputSchema } from "../../../shared/domain/catalog/index.ts";
import { COUNTER_FIELDS } from "../../../shared/domain/conversion.ts";
import { formatMinor, minorDigits, offerCosts, toMinor } from "../../../shared/domain/money.ts";
import { conversionView } from "../../../shared/domain/reports/conversion-view.ts";
import {
  incrementalVisits,
  MIN_DEVICES_PER_GROUP,
  moneyFigures,
} from "../../../shared/domain/reports/money-figures.ts";
import { offerComparisonCsv } from "../../../shared/domain/reports/offer-comparison.ts";
import {
  OFFER_REPORT_CSV_COLUMNS,
  offerReportCsv,
} from "../../../shared/domain/reports/offer-report-csv.ts";
import { reportOfferState } from "../../../shared/domain/reports/offer-state.ts";
import { periodOf, periodsOf } from "../../../shared/domain/reports/periods.ts";
import { ValidationError } from "../../../shared/errors.ts";
import {
  getOfferComparison,
  getOfferReport,
} from "../../../shared/use-cases/reports/offer-report.ts";
import { getStoreReport } from "../../../shared/use-cases/reports/store-report.ts";
import { MemoryCatalog } from "../../support/memory/catalog.ts";
import { MemoryTables } from "../../support/memory/conversion-reader.ts";
import { LIFT_DAY_1, LIFT_DAY_2 } from "../../support/report-counters.ts";
import { validOffer } from "../catalog/fixtures.ts";
import { A, OFFER, OTHER, principal, reportDeps, S1, S2 } from "./fakes.ts";

const analyst = principal(A, "marketing-analyst");

function setup() {
  const tables = new MemoryTables();
  const catalog = new MemoryCatalog();
  catalog.addStore(A, S1);
  catalog.addStore(A, S2);
  const s1 = catalog.stores.get(`${A}|${S1}`);
  if (s1) Object.assign(s1, { name: "Café Châtelet", externalRef: "PAR-001" });
  catalog.addOffer(A, OFFER, {
    name: "Lunch −15 %",
    storeIds: [S1, S2],
    currency: "EUR",
    costPerSend: "0.05",
    incentiveValue: "2.50",
  });
  catalog.addOffer(A, OTHER, { name: "Evening dessert", storeIds: [S2] });
  // Treated 60/400, holdout 9/100 over two days (as the hand-computed report test).
  tables.putOfferCounters(A, OFFER, S1, "2026-05-01", {
    ...LIFT_DAY_1,
    [COUNTER_FIELDS.baskets]: 4,
    [COUNTER_FIELDS.basketMinor]: 10_000,
  });
  tables.putOfferCounters(A, OFFER, S2, "2026-05-12", LIFT_DAY_2);
  // Footfall at the offer's stores: 1,000 visits.
  tables.putOfferCounters(A, "-", S1, "2026-05-01", { [COUNTER_FIELDS.visits]: 600 });
  tables.putOfferCounters(A, "-", S2, "2026-05-12", { [COUNTER_FIELDS.visits]: 400 });
  tables.putOfferCounters(A, OTHER, S2, "2026-05-12", { [COUNTER_FIELDS.sent]: 7 });
  return { tables, catalog, deps: reportDeps(tables, catalog) };
}

const range = { from: "2026-05-01", to: "2026-05-31" };

describe("report periods", () => {
  it("ISO weeks run Monday to Sunday, with the ISO week-year at year ends", () => {
    expect(periodOf("2026-05-13", "week")).toEqual({
      period: "2026-W20",
      start: "2026-05-11",
      end: "2026-05-17",
    });
    // 2027-01-01 is a Friday: it belongs to 2026's week 53.
    expect(periodOf("2027-01-01", "week").period).toBe("2026-W53");
    expect(periodOf("2026-02-14", "month")).toEqual({
      period: "2026-02",
      start: "2026-02-01",
      end: "2026-02-28",
    });
  });

  it("periods partition the range: every day in exactly one, clipped at both ends", () => {
    const dayArb = fc
      .integer({ min: 0, max: 3000 })
      .map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        dayArb,
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom("day", "week", "month") as fc.Arbitrary<"day" | "week" | "month">,
        (from, span, unit) => {
          const to = new Date(Date.parse(from) + span * 86_400_000).toISOString().slice(0, 10);
          const ps = periodsOf({ from, to }, unit);
          expect(ps[0]?.start).toBe(from);
          expect(ps[ps.length - 1]?.end).toBe(to);
          for (let i = 1; i < ps.length; i++) {
            const prevEnd = Date.parse(ps[i - 1]?.end ?? "");
            expect(Date.parse(ps[i]?.start ?? "") - prevEnd).toBe(86_400_000);
          }
          for (const p of ps) expect(periodOf(p.start, unit).period).toBe(p.period);
        },
      ),
    );
  });
});

describe("money", () => {
  it("decimal strings become minor units of the currency, and back", () => {
    expect(minorDigits("EUR")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(toMinor("2.5", "EUR")).toBe(250);
    expect(toMinor("0.05", "EUR")).toBe(5);
    expect(toMinor("0.005", "EUR")).toBeUndefined();
    expect(toMinor("1200", "JPY")).toBe(1200);
    expect(toMinor("1.5", "JPY")).toBeUndefined();
    expect(formatMinor(1234.5, "EUR")).toBe("12.35");
    expect(formatMinor(5, "EUR")).toBe("0.05");
    expect(formatMinor(-250, "EUR")).toBe("-2.50");
    expect(formatMinor(1200, "JPY")).toBe("1200");
  });

  it("incremental visits and their interval are the lift's × sent; costs divide spend by them", () => {
    const input = {
      sent: 1000,
      heldOut: 250,
      attributedTreated: 300,
      redemptions: 100,
      baskets: 50,
      basketMinor: 125_000,
      absoluteLift: 0.1,
      absoluteCi: [0.04, 0.16] as const,
      storeVisits: 2000,
    };
    const inc = incrementalVisits(input);
    expect(inc).toEqual({ visits: 100, visitsCi: [40, 160], note: null });
    const costs = offerCosts({ currency: "EUR", costPerSend: "0.10", incentiveValue: "2.00" });
    const m = moneyFigures(input, costs, inc);
    // spend = 1000 × 0.10 + 100 × 2.00 = 300.00
    expect(m?.spend).toBe("300.00");
    expect(m?.spendOnSends).toBe("100.00");
    expect(m?.spendOnIncentives).toBe("200.00");
    expect(m?.costPerVisit).toBe("0.15");
    expect(m?.costPerAttributedVisit).toBe("1.00");
    // 300 / 100 = 3.00, interval [300/160, 300/40] = [1.88, 7.50]
    expect(m?.costPerIncrementalVisit).toEqual({ estimate: "3.00", ci: ["1.88", "7.50"] });
    // average basket 25.00: revenue 100 × 25 = 2500.00 in [1000.00, 4000.00]
    expect(m?.incrementalRevenue).toEqual({
      averageBasket: "25.00",
      baskets: 50,
      estimate: "2500.00",
      ci: ["1000.00", "4000.00"],
    });
  });

  it("no cost per incremental visit when the interval crosses zero or groups are too small", () => {
    const base = {
      sent: 400,
      heldOut: 100,
      attributedTreated: 60,
      redemptions: 0,
      baskets: 0,
      basketMinor: 0,
      absoluteLift: 0.06,
      absoluteCi: [-0.006, 0.126] as const,
    };
    const costs = offerCosts({ currency: "EUR", costPerSend: "0.05" });
    const crossing = moneyFigures(base, costs, incrementalVisits(base));
    expect(crossing?.costPerIncrementalVisit).toEqual({ estimate: null, ci: null });
    expect(crossing?.notes.join(" ")).toMatch(/includes zero/);
    const small = { ...base, heldOut: MIN_DEVICES_PER_GROUP - 1 };
    const inc = incrementalVisits(small);
    expect(inc.visits).toBeNull();
    expect(inc.note).toMatch(/Too few devices/);
    expect(moneyFigures(small, costs, inc)?.costPerIncrementalVisit.estimate).toBeNull();
    expect(moneyFigures(base, null, incrementalVisits(base))).toBeNull();
  });
});

describe("readable offer report", () => {
  it("names stores with their store code, weeks and months in local days, money totals", async () => {
    const { deps } = setup();
    const r = await getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "store" });
    expect(r.offerName).toBe("Lunch −15 %");
    expect(r.state).toBe("live");
    expect(r.rows.map((row) => [row.storeId, row.storeName, row.storeCode])).toEqual([
      [S1, "Café Châtelet", "PAR-001"],
      [S2, `Store ${S2}`, null],
    ]);
    expect(r.storeVisits).toBe(1000);
    // spend = 400 × 0.05 + 30 × 2.50 = 20 + 75 = 95.00; / 1000 visits; / 60 attributed.
    expect(r.totals.money?.spend).toBe("95.00");
    expect(r.totals.money?.costPerVisit).toBe("0.10");
    expect(r.totals.money?.costPerAttributedVisit).toBe("1.58");
    // The lift interval [-0.0061, 0.1261] crosses zero: no cost per incremental visit.
    expect(r.totals.incremental.visits).toBe(24);
    expect(r.totals.money?.costPerIncrementalVisit.estimate).toBeNull();
    expect(r.totals.money?.incrementalRevenue?.averageBasket).toBe("25.00");

    const weeks = await getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "week" });
    expect(weeks.rows.map((row) => [row.period, row.start, row.end, row.funnel.sent])).toEqual([
      ["2026-W18", "2026-05-01", "2026-05-03", 250],
      ["2026-W20", "2026-05-11", "2026-05-17", 150],
    ]);
    const all = await getOfferReport(deps, analyst, OFFER, {
      ...range,
      groupBy: "week",
      includeEmpty: "true",
    });
    expect(all.rows.map((row) => row.period)).toEqual([
      "2026-W18",
      "2026-W19",
      "2026-W20",
      "2026-W21",
      "2026-W22",
    ]);
    const months = await getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "month" });
    expect(months.rows.map((row) => [row.period, row.funnel.sent])).toEqual([["2026-05", 400]]);
    await expect(
      getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "year" }),
    ).rejects.toThrow(ValidationError);
  });

  it("a deleted offer and store keep their names, state and store code", async () => {
    const { deps, catalog } = setup();
    catalog.deleteOffer(A, OFFER, "2026-05-15T08:00:00.000Z");
    catalog.deleteStore(A, S1, "2026-05-16T08:00:00.000Z");
    const r = await getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "store" });
    expect(r.offer).not.toBeNull();
    expect(r.offerName).toBe("Lunch −15 %");
    expect(r.state).toBe("deleted");
    expect(r.offer?.deletedAt).toBe("2026-05-15T08:00:00.000Z");
    expect(r.totals.money?.spend).toBe("95.00");
    expect(r.rows[0]).toMatchObject({
      storeId: S1,
      storeName: "Café Châtelet",
      storeCode: "PAR-001",
      storeDeleted: true,
    });
    const store = await getStoreReport(deps, analyst, S1, range);
    expect(store.storeName).toBe("Café Châtelet");
    expect(store.storeCode).toBe("PAR-001");
    expect(store.offers.find((o) => o.offerId === OFFER)).toMatchObject({
      offerName: "Lunch −15 %",
      offerDeleted: true,
    });
  });

  it("CSV rows carry names next to ids and a total line", async () => {
    const { deps } = setup();
    const r = await getOfferReport(deps, analyst, OFFER, { ...range, groupBy: "store" });
    const lines = offerReportCsv(r).trimEnd().split("\r\n");
    expect(lines[0]).toBe(OFFER_REPORT_CSV_COLUMNS.join(","));
    const first = lines[1]?.split(",") ?? [];
    const col = (name: (typeof OFFER_REPORT_CSV_COLUMNS)[number]) =>
      first[OFFER_REPORT_CSV_COLUMNS.indexOf(name)];
    expect(col("offerName")).toBe("Lunch −15 %");
    expect(col("storeName")).toBe("Café Châtelet");
    expect(col("storeCode")).toBe("PAR-001");
    expect(lines.at(-1)?.split(",")[2]).toBe("total");
    expect(lines).toHaveLength(r.rows.length + 2);
  });
});

describe("offer comparison", () => {
  it("every offer of the period side by side, deleted ones named, JSON and CSV", async () => {
    const { deps, catalog } = setup();
    catalog.addOffer(A, "of_longgone01", {
      name: "Last year",
      validFrom: "2025-01-01T00:00:00.000Z",
      validTo: "2025-02-01T00:00:00.000Z",
    });
    catalog.deleteOffer(A, OTHER, "2026-05-18T00:00:00.000Z");
    const r = await getOfferComparison(deps, analyst, range);
    expect(r.offers.map((o) => [o.offerId, o.offerName, o.state, o.funnel.sent])).toEqual([
      [OFFER, "Lunch −15 %", "live", 400],
      [OTHER, "Evening dessert", "deleted", 7],
    ]);
    expect(r.offers[0]?.money?.spend).toBe("95.00");
    const csv = offerComparisonCsv(r).trimEnd().split("\r\n");
    expect(csv).toHaveLength(3);
    expect(csv[0]?.startsWith("offerId,offerName,state,validFrom,validTo,triggered")).toBe(true);
    expect(csv[2]).toContain("Evening dessert,deleted");
  });
});

describe("conversion log names", () => {
  it("shows offer name, store name and store code, null when unknown", () => {
    const record = {
      eventId: "e1",
      type: "redeemed" as const,
      merchantId: A,
      offerId: OFFER,
      storeId: S1,
      deviceRef: "d1",
      at: Date.parse("2026-05-01T10:00:00Z"),
      localDay: "2026-05-01",
      basketMinor: 2350,
      basketCurrency: "EUR",
    };
    const names = {
      stores: new Map([
        [S1, { name: "Café", storeCode: "PAR-001", timeZone: "Europe/Paris", deletedAt: null }],
      ]),
      offers: new Map([[OFFER, { name: "Lunch", deletedAt: null }]]),
    };
    expect(conversionView(record, names)).toMatchObject({
      offerName: "Lunch",
      storeName: "Café",
      storeCode: "PAR-001",
      basketAmount: "23.50",
      basketCurrency: "EUR",
    });
    expect(conversionView({ ...record, storeId: S2 }, names)).toMatchObject({
      storeName: null,
      storeCode: null,
    });
  });
});

describe("offer money fields", () => {
  const paths = (body: Record<string, unknown>) => {
    const r = offerInputSchema.safeParse(validOffer(body));
    return r.success ? [] : r.error.issues.map((i) => i.path.join("/"));
  };
  it("accepts a currency with amounts of its minor-unit digits, refuses the rest by field", () => {
    expect(paths({ currency: "EUR", costPerSend: "0.05", incentiveValue: "2.5" })).toEqual([]);
    expect(paths({ currency: "JPY", incentiveValue: "300" })).toEqual([]);
    expect(paths({ costPerSend: "0.05" })).toEqual(["costPerSend"]);
    expect(paths({ currency: "EUR", costPerSend: "0.005" })).toEqual(["costPerSend"]);
    expect(paths({ currency: "JPY", incentiveValue: "1.5" })).toEqual(["incentiveValue"]);
    expect(paths({ currency: "eur" })).toEqual(["currency"]);
    expect(paths({ currency: "XYZ" })).toEqual(["currency"]);
    expect(paths({ currency: "EUR", costPerSend: "-1" })).toEqual(["costPerSend"]);
    expect(paths({ currency: "EUR", costPerSend: 0.05 })).toEqual(["costPerSend"]);
  });
});

describe("visit rate intervals", () => {
  it("Wilson interval of each group's rate (hand-computed)", async () => {
    const { wilsonInterval } = await import("../../../shared/domain/stats/index.ts");
    // x = 60, n = 400, z² = 3.841459: centre = (0.15 + z²/800) / (1 + z²/400) = 0.153329;
    // half = z·√(0.15·0.85/400 + z²/640000) / (1 + z²/400) = 0.034985 → [0.118345, 0.188314].
    const ci = wilsonInterval(60, 400);
    expect(ci?.[0]).toBeCloseTo(0.118345, 5);
    expect(ci?.[1]).toBeCloseTo(0.188314, 5);
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(0, 10)?.[0]).toBe(0);
  });
});

describe("report offer state", () => {
  const offer = {
    status: "active" as const,
    validFrom: "2026-11-01",
    validTo: "2026-11-30",
    budget: { maxIncentives: 100 },
  };
  it("reads a calendar-date validTo in the stores' zones: the whole last day is live there", () => {
    // 30 Nov 2026, 20:00 in Los Angeles = 1 Dec 04:00 UTC: still the last day at that store.
    const lateLastDay = Date.parse("2026-12-01T04:00:00Z");
    expect(reportOfferState(offer, ["America/Los_Angeles"], lateLastDay, 0)).toBe("live");
    // The same instant is 1 Dec in Paris: ended there.
    expect(reportOfferState(offer, ["Europe/Paris"], lateLastDay, 0)).toBe("ended");
    // Noon UTC on the last day is live everywhere (UTC midnight parsing said "ended").
    expect(reportOfferState(offer, ["UTC"], Date.parse("2026-11-30T12:00:00Z"), 0)).toBe("live");
    expect(reportOfferState(offer, ["Asia/Tokyo"], Date.parse("2026-10-31T16:00:00Z"), 0)).toBe(
      "live",
    );
    expect(reportOfferState(offer, ["UTC"], Date.parse("2026-10-31T16:00:00Z"), 0)).toBe(
      "scheduled",
    );
  });
  it("says what the catalog says (paused, budget exhausted) and deleted for a deleted offer", () => {
    const noon = Date.parse("2026-11-15T12:00:00Z");
    expect(reportOfferState(offer, ["UTC"], noon, 100)).toBe("budget_exhausted");
    expect(reportOfferState({ ...offer, status: "paused" }, ["UTC"], noon, 0)).toBe("paused");
    expect(
      reportOfferState({ ...offer, deletedAt: "2026-11-10T00:00:00Z" }, ["UTC"], noon, 0),
    ).toBe("deleted");
  });
});
