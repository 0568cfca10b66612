import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { offerInputSchema } from "../../../shared/domain/catalog/offer.ts";
import { isOfferLive } from "../../../shared/domain/decision/offer-live.ts";
import { staticCodeEnd, staticCodeState } from "../../../shared/domain/decision/static-code.ts";
import {
  earliestValidFromMs,
  isLocalDate,
  latestValidToMs,
  validFromMs,
  validToMs,
} from "../../../shared/domain/decision/validity.ts";
import { ms, NY, PARIS, TOKYO } from "../../support/time-zones.ts";

describe("date-only validity bounds, read in the store's zone", () => {
  it("validFrom = 00:00 of that day; validTo = that whole day included (00:00 next day)", () => {
    expect(validFromMs("2026-11-01", PARIS)).toBe(ms("2026-10-31T23:00:00Z"));
    expect(validToMs("2026-11-01", PARIS)).toBe(ms("2026-11-01T23:00:00Z"));
    expect(validFromMs("2026-11-01", TOKYO)).toBe(ms("2026-10-31T15:00:00Z"));
    expect(validToMs("2026-11-01", NY)).toBe(ms("2026-11-02T05:00:00Z"));
    // Instants are the same in every zone.
    expect(validFromMs("2026-11-01T09:00:00.000Z", TOKYO)).toBe(ms("2026-11-01T09:00:00Z"));
    expect(validToMs("2026-11-01T09:00:00.000Z", NY)).toBe(ms("2026-11-01T09:00:00Z"));
    expect(validFromMs("2026-13-01", PARIS)).toBeNull();
    expect(validToMs("someday", PARIS)).toBeNull();
  });

  it("follows DST: the last day of October 2026 in Paris is 25 h long, a March day 23 h", () => {
    // 25 Oct 2026: clocks go back 03:00 CEST → 02:00 CET.
    expect(validToMs("2026-10-25", PARIS)! - validFromMs("2026-10-25", PARIS)!).toBe(25 * 3.6e6);
    // 29 Mar 2026: clocks go forward 02:00 CET → 03:00 CEST.
    expect(validToMs("2026-03-29", PARIS)! - validFromMs("2026-03-29", PARIS)!).toBe(23 * 3.6e6);
    // New York changes a week later (1 Nov 2026).
    expect(validToMs("2026-11-01", NY)! - validFromMs("2026-11-01", NY)!).toBe(25 * 3.6e6);
  });

  it("a day without a midnight (Santiago 2026-09-06 starts at 01:00) ends at 00:00 the next day", () => {
    const SANTIAGO = "America/Santiago";
    expect(validFromMs("2026-09-06", SANTIAGO)).toBe(ms("2026-09-06T04:00:00Z"));
    expect(validToMs("2026-09-06", SANTIAGO)).toBe(ms("2026-09-07T03:00:00Z"));
    expect(validToMs("2026-09-05", SANTIAGO)).toBe(validFromMs("2026-09-06", SANTIAGO));
    expect(validToMs("2026-09-06", SANTIAGO)! - validFromMs("2026-09-06", SANTIAGO)!).toBe(
      23 * 3.6e6,
    );
    // Havana 2027-03-14 likewise.
    expect(validToMs("2027-03-14", "America/Havana")).toBe(ms("2027-03-15T04:00:00Z"));
  });

  it("an offer for one day is live from 00:00 to 23:59:59.999 local, in each store's zone", () => {
    const offer = { status: "active" as const, validFrom: "2026-11-01", validTo: "2026-11-01" };
    expect(isOfferLive(offer, PARIS, ms("2026-10-31T22:59:59.999Z"))).toBe(false);
    expect(isOfferLive(offer, PARIS, ms("2026-10-31T23:00:00Z"))).toBe(true);
    expect(isOfferLive(offer, PARIS, ms("2026-11-01T22:59:59.999Z"))).toBe(true);
    expect(isOfferLive(offer, PARIS, ms("2026-11-01T23:00:00Z"))).toBe(false);
    // The same instant is already 2 November in Tokyo, still 1 November in New York.
    expect(isOfferLive(offer, TOKYO, ms("2026-11-01T16:00:00Z"))).toBe(false);
    expect(isOfferLive(offer, NY, ms("2026-11-01T16:00:00Z"))).toBe(true);
    expect(isOfferLive(offer, "Not/AZone", ms("2026-11-01T12:00:00Z"))).toBe(false);
  });

  it("property: for any zone and day, validFrom(d) < validTo(d) = validFrom(d + 1)", () => {
    const zones = [
      PARIS,
      TOKYO,
      NY,
      "Australia/Lord_Howe",
      "Pacific/Kiritimati",
      "Etc/GMT+12",
      "America/Santiago",
      "America/Havana",
    ];
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2035-12-31"), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (date, zone) => {
          const day = DateTime.fromJSDate(date, { zone: "utc" }).toISODate()!;
          const next = DateTime.fromISO(day).plus({ days: 1 }).toISODate()!;
          const from = validFromMs(day, zone)!;
          const to = validToMs(day, zone)!;
          expect(to).toBe(validFromMs(next, zone));
          expect(to - from).toBeGreaterThanOrEqual(23 * 3.6e6);
          expect(to - from).toBeLessThanOrEqual(25 * 3.6e6);
          // The zone-free bounds really are the extremes.
          expect(earliestValidFromMs(day)!).toBeLessThanOrEqual(from);
          expect(latestValidToMs(day)!).toBeGreaterThanOrEqual(to);
        },
      ),
      { numRuns: 300, seed: 1411 },
    );
    expect(isLocalDate("2026-11-01")).toBe(true);
    expect(isLocalDate("2026-11-01T00:00:00Z")).toBe(false);
  });
});

describe("offer input: validFrom / validTo formats", () => {
  const base = {
    name: "n",
    storeIds: ["st_AAAAAAAAAAAAAAAAAAAAAA"],
    triggerZone: { type: "StoreRadius", radiusM: 100 },
    trigger: { on: "enter" },
    message: { title: "t", body: "b" },
    holdoutPercent: 0,
    attributionWindowHours: 24,
    redemption: { codeKind: "unique", expiresAfterHours: 24 },
  };
  const parse = (validFrom: unknown, validTo: unknown) =>
    offerInputSchema.safeParse({ ...base, validFrom, validTo });

  it("accepts instants with offset and dates; a one-day offer has validFrom = validTo", () => {
    expect(parse("2026-11-01", "2026-11-30").success).toBe(true);
    expect(parse("2026-11-01", "2026-11-01").success).toBe(true);
    expect(parse("2026-11-01T09:00:00+01:00", "2026-11-30").success).toBe(true);
  });

  it("names the exact formats with an example for anything else", () => {
    const res = parse("01/11/2026", "2026-11-30 18:00");
    expect(res.success).toBe(false);
    const issues = res.error!.issues.map((i) => [i.path.join("/"), i.message]);
    expect(issues).toEqual([
      [
        "validFrom",
        'must be an RFC 3339 date-time with offset, e.g. "2026-11-01T09:00:00+01:00", or a date, e.g. "2026-11-01" (from 00:00 that day in each store\'s time zone)',
      ],
      [
        "validTo",
        'must be an RFC 3339 date-time with offset, e.g. "2026-11-30T21:00:00+01:00", or a date, e.g. "2026-11-30" (that whole day included, in each store\'s time zone)',
      ],
    ]);
    expect(parse("2026-11-01T09:00:00", "2026-11-30").success).toBe(false); // no offset
  });

  it("refuses an end before the start (validTo), dates read at their widest", () => {
    const res = parse("2026-11-02", "2026-11-01");
    expect(res.error?.issues.map((i) => i.path.join("/"))).toEqual(["validTo"]);
    expect(parse("2026-11-02T00:00:00Z", "2026-11-01").success).toBe(true); // 1 Nov ends later in UTC−12
  });
});

describe("static codes of a date-bounded offer", () => {
  it("are accepted through the last day in the store's zone plus expiresAfterHours", () => {
    const offer = {
      status: "active" as const,
      validFrom: "2026-11-01",
      validTo: "2026-11-01",
      redemption: { expiresAfterHours: 2 },
    };
    // Paris: the day ends 2026-11-01T23:00Z, the code 2 h later.
    expect(staticCodeState(offer, PARIS, ms("2026-10-31T22:59:59Z"))).toBe("not_started");
    expect(staticCodeState(offer, PARIS, ms("2026-11-02T00:59:59Z"))).toBe("ok");
    expect(staticCodeState(offer, PARIS, ms("2026-11-02T01:00:00Z"))).toBe("expired");
    expect(staticCodeEnd(offer, TOKYO)).toBe(ms("2026-11-01T17:00:00Z"));
    // Without a zone: the latest reading (UTC−12).
    expect(staticCodeEnd(offer)).toBe(ms("2026-11-02T14:00:00Z"));
  });
});
