import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  isQuietHours,
  isWithinSchedule,
  localDay,
  minutesOfDay,
  parseInstant,
  startOfLocalDate,
  startOfNextLocalDay,
} from "../../../shared/domain/decision/local-time.ts";
import { isOfferLive } from "../../../shared/domain/decision/offer-live.ts";
import {
  WEEKDAYS,
  type Weekday,
  type WeeklySchedule,
} from "../../../shared/domain/decision/offer-rules.ts";
import { ValidationError } from "../../../shared/errors.ts";
import { BERLIN, ms, NY } from "../../support/time-zones.ts";

const ALL_DAYS: Weekday[] = [...WEEKDAYS];
const ZONES = [
  "UTC",
  NY,
  BERLIN,
  "Asia/Tokyo",
  "America/Los_Angeles",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "Pacific/Chatham",
  // Days without a midnight: DST changes at 00:00 (spring forward to 01:00).
  "America/Santiago",
  "America/Havana",
  "America/Asuncion",
  "Asia/Beirut",
  "Africa/Cairo",
  "Asia/Gaza",
  "Pacific/Apia",
];
const instantArb = fc.integer({ min: ms("2000-01-01T00:00:00Z"), max: ms("2040-01-01T00:00:00Z") });
const hhmmArb = (max: number) =>
  fc
    .integer({ min: 0, max })
    .map(
      (m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`,
    );

describe("minutesOfDay", () => {
  it("parses HH:mm including 24:00 and rejects malformed values", () => {
    expect(minutesOfDay("00:00")).toBe(0);
    expect(minutesOfDay("21:30")).toBe(1290);
    expect(minutesOfDay("24:00")).toBe(1440);
    for (const bad of ["24:01", "25:00", "9:00", "12:60", "12-00", ""]) {
      expect(minutesOfDay(bad)).toBeNull();
    }
  });
});

describe("isWithinSchedule across DST in the store's zone", () => {
  const nineToFive: WeeklySchedule = [{ days: ALL_DAYS, start: "09:00", end: "17:00" }];

  it("America/New_York spring forward (2026-03-08): 09:00 local is 13:00Z after, 14:00Z before", () => {
    // Sat 2026-03-07 is EST (UTC-5): 09:00 local = 14:00Z.
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-07T13:59:59Z"))).toBe(false);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-07T14:00:00Z"))).toBe(true);
    // Sun 2026-03-08 is EDT (UTC-4) from 07:00Z: 09:00 local = 13:00Z, 17:00 local = 21:00Z.
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-08T12:59:59Z"))).toBe(false);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-08T13:00:00Z"))).toBe(true);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-08T20:59:59Z"))).toBe(true);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-03-08T21:00:00Z"))).toBe(false);
  });

  it("America/New_York fall back (2026-11-01): 09:00 local is 14:00Z on the day", () => {
    expect(isWithinSchedule(nineToFive, NY, ms("2026-10-31T13:00:00Z"))).toBe(true); // EDT
    expect(isWithinSchedule(nineToFive, NY, ms("2026-11-01T13:59:59Z"))).toBe(false); // 08:59 EST
    expect(isWithinSchedule(nineToFive, NY, ms("2026-11-01T14:00:00Z"))).toBe(true);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-11-01T21:59:59Z"))).toBe(true);
    expect(isWithinSchedule(nineToFive, NY, ms("2026-11-01T22:00:00Z"))).toBe(false);
  });

  it("a window inside the skipped hour never matches; one in the repeated hour matches twice", () => {
    const skipped: WeeklySchedule = [{ days: ["sun"], start: "02:00", end: "03:00" }];
    // Sweep 2026-03-08 04:00Z–10:00Z minute by minute: 01:59 EST (06:59Z) jumps to 03:00 EDT.
    let hits = 0;
    for (let t = ms("2026-03-08T04:00:00Z"); t < ms("2026-03-08T10:00:00Z"); t += 60_000) {
      if (isWithinSchedule(skipped, NY, t)) hits++;
    }
    expect(hits).toBe(0);
    const repeated: WeeklySchedule = [{ days: ["sun"], start: "01:00", end: "01:30" }];
    expect(isWithinSchedule(repeated, NY, ms("2026-11-01T05:15:00Z"))).toBe(true); // 01:15 EDT
    expect(isWithinSchedule(repeated, NY, ms("2026-11-01T06:15:00Z"))).toBe(true); // 01:15 EST
    expect(isWithinSchedule(repeated, NY, ms("2026-11-01T05:45:00Z"))).toBe(false); // 01:45 EDT
  });

  it("Europe/Berlin: 08:00 local is 06:00Z after 2026-03-29 and 07:00Z after 2026-10-25", () => {
    const sundays: WeeklySchedule = [{ days: ["sun"], start: "08:00", end: "20:00" }];
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-03-29T05:59:59Z"))).toBe(false);
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-03-29T06:00:00Z"))).toBe(true); // CEST
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-03-29T17:59:59Z"))).toBe(true);
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-03-29T18:00:00Z"))).toBe(false);
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-10-25T06:59:59Z"))).toBe(false); // CET
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-10-25T07:00:00Z"))).toBe(true);
    expect(isWithinSchedule(sundays, BERLIN, ms("2026-10-24T07:00:00Z"))).toBe(false); // Saturday
  });
});

describe("isWithinSchedule windows", () => {
  // 2026-06-05 is a Friday; Berlin is UTC+2 in June.
  const lateFriday: WeeklySchedule = [{ days: ["fri"], start: "22:00", end: "02:00" }];

  it("a wrapping window starts on its day and spills into the next morning", () => {
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-05T19:59:59Z"))).toBe(false); // Fri 21:59
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-05T20:00:00Z"))).toBe(true); // Fri 22:00
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-05T23:00:00Z"))).toBe(true); // Sat 01:00
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-05T23:59:59Z"))).toBe(true); // Sat 01:59
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-06T00:00:00Z"))).toBe(false); // Sat 02:00
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-06T21:00:00Z"))).toBe(false); // Sat 23:00
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-04T21:00:00Z"))).toBe(false); // Thu 23:00
    expect(isWithinSchedule(lateFriday, BERLIN, ms("2026-06-04T23:00:00Z"))).toBe(false); // Fri 01:00
  });

  it("a wrapping window that crosses the spring-forward gap ends at 02:00 wall clock", () => {
    const lateSaturday: WeeklySchedule = [{ days: ["sat"], start: "22:00", end: "02:00" }];
    expect(isWithinSchedule(lateSaturday, NY, ms("2026-03-08T06:59:59Z"))).toBe(true); // 01:59 EST
    expect(isWithinSchedule(lateSaturday, NY, ms("2026-03-08T07:00:00Z"))).toBe(false); // 03:00 EDT
  });

  it("'24:00' ends at the next local midnight, exclusive", () => {
    const evening: WeeklySchedule = [{ days: ["mon"], start: "18:00", end: "24:00" }];
    // 2026-06-08 is a Monday; New York is UTC-4 in June.
    expect(isWithinSchedule(evening, NY, ms("2026-06-08T21:59:59Z"))).toBe(false); // 17:59:59
    expect(isWithinSchedule(evening, NY, ms("2026-06-08T22:00:00Z"))).toBe(true); // 18:00
    expect(isWithinSchedule(evening, NY, ms("2026-06-09T03:59:59.999Z"))).toBe(true); // 23:59:59.999
    expect(isWithinSchedule(evening, NY, ms("2026-06-09T04:00:00Z"))).toBe(false); // Tue 00:00
  });

  it("malformed windows never match, an unknown zone throws ValidationError", () => {
    const bad: WeeklySchedule = [{ days: ALL_DAYS, start: "9:00", end: "17:00" }];
    expect(isWithinSchedule(bad, NY, ms("2026-06-08T16:00:00Z"))).toBe(false);
    expect(() => isWithinSchedule([], "Mars/Olympus", 0)).toThrow(ValidationError);
  });

  it("property: 00:00–24:00 every day matches every instant in every zone", () => {
    const always: WeeklySchedule = [{ days: ALL_DAYS, start: "00:00", end: "24:00" }];
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...ZONES), (t, tz) => {
        expect(isWithinSchedule(always, tz, t)).toBe(true);
      }),
    );
  });

  it("property: a wrapping window = [start, 24:00) on its day ∪ [00:00, end) the day after", () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 1439 }),
        fc.integer({ min: 0, max: 1438 }),
        (t, tz, dayIndex, startMin, endSeed) => {
          const endMin = endSeed % startMin; // end < start
          const fmt = (m: number) =>
            `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
          const day = WEEKDAYS[dayIndex]!;
          const next = WEEKDAYS[(dayIndex + 1) % 7]!;
          const wrapped: WeeklySchedule = [{ days: [day], start: fmt(startMin), end: fmt(endMin) }];
          const split: WeeklySchedule = [
            { days: [day], start: fmt(startMin), end: "24:00" },
            { days: [next], start: "00:00", end: fmt(endMin) },
          ];
          expect(isWithinSchedule(wrapped, tz, t)).toBe(isWithinSchedule(split, tz, t));
        },
      ),
    );
  });
});

describe("isQuietHours in the device's zone", () => {
  const quiet = { start: "21:00", end: "08:00" };

  it("21:00–08:00 in Asia/Tokyo (UTC+9), just before and after each boundary", () => {
    const tokyo = "Asia/Tokyo";
    expect(isQuietHours(quiet, tokyo, ms("2026-06-10T11:59:59Z"))).toBe(false); // 20:59:59
    expect(isQuietHours(quiet, tokyo, ms("2026-06-10T12:00:00Z"))).toBe(true); // 21:00:00
    expect(isQuietHours(quiet, tokyo, ms("2026-06-10T15:00:00Z"))).toBe(true); // 00:00
    expect(isQuietHours(quiet, tokyo, ms("2026-06-10T22:59:59Z"))).toBe(true); // 07:59:59
    expect(isQuietHours(quiet, tokyo, ms("2026-06-10T23:00:00Z"))).toBe(false); // 08:00:00
  });

  it("the same instant is quiet for one zone and not for another", () => {
    const t = ms("2026-06-10T12:30:00Z"); // 21:30 Tokyo, 08:30 New York
    expect(isQuietHours(quiet, "Asia/Tokyo", t)).toBe(true);
    expect(isQuietHours(quiet, NY, t)).toBe(false);
  });

  it("equal start and end disables quiet hours; a malformed span is treated as quiet", () => {
    expect(isQuietHours({ start: "00:00", end: "00:00" }, NY, ms("2026-06-10T03:00:00Z"))).toBe(
      false,
    );
    expect(isQuietHours({ start: "9pm", end: "08:00" }, NY, ms("2026-06-10T16:00:00Z"))).toBe(true);
  });

  it("property: quiet hours agree with an every-day schedule window of the same span", () => {
    fc.assert(
      fc.property(
        instantArb,
        fc.constantFrom(...ZONES),
        hhmmArb(1439),
        hhmmArb(1440),
        (t, tz, start, end) => {
          fc.pre(start !== end);
          expect(isQuietHours({ start, end }, tz, t)).toBe(
            isWithinSchedule([{ days: ALL_DAYS, start, end }], tz, t),
          );
        },
      ),
    );
  });
});

describe("localDay and startOfNextLocalDay", () => {
  it("the same UTC instant is a different local day in Tokyo and Los Angeles", () => {
    const t = ms("2026-03-10T16:00:00Z");
    expect(localDay(t, "Asia/Tokyo")).toBe("2026-03-11"); // 01:00 JST
    expect(localDay(t, "America/Los_Angeles")).toBe("2026-03-10"); // 09:00 PDT
  });

  it("rolls at local midnight, not UTC midnight", () => {
    const la = "America/Los_Angeles";
    expect(localDay(ms("2026-03-11T06:59:59.999Z"), la)).toBe("2026-03-10"); // 23:59:59.999 PDT
    expect(localDay(ms("2026-03-11T07:00:00Z"), la)).toBe("2026-03-11");
    expect(startOfNextLocalDay(ms("2026-03-10T16:00:00Z"), la)).toBe(ms("2026-03-11T07:00:00Z"));
  });

  it("a spring-forward day is 23 hours long, a fall-back day 25", () => {
    const start = startOfNextLocalDay(ms("2026-03-07T12:00:00Z"), NY);
    expect(startOfNextLocalDay(start, NY) - start).toBe(23 * 3_600_000);
    const autumn = startOfNextLocalDay(ms("2026-10-31T12:00:00Z"), NY);
    expect(startOfNextLocalDay(autumn, NY) - autumn).toBe(25 * 3_600_000);
  });

  it("throws ValidationError for an unknown zone or a non-finite instant", () => {
    expect(() => localDay(0, "Nowhere/Land")).toThrow(ValidationError);
    expect(() => localDay(Number.NaN, "UTC")).toThrow(ValidationError);
  });

  it("property: UTC days match the ISO date; the next day starts strictly later", () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...ZONES), (t, tz) => {
        expect(localDay(t, "UTC")).toBe(new Date(t).toISOString().slice(0, 10));
        const next = startOfNextLocalDay(t, tz);
        expect(next).toBeGreaterThan(t);
        expect(localDay(next - 1, tz)).toBe(localDay(t, tz));
        expect(localDay(next, tz)).not.toBe(localDay(t, tz));
      }),
    );
  });
});

describe("local-day boundaries on days without a midnight", () => {
  it("Santiago 2026-09-06 starts at 01:00: the next day starts 2026-09-07T03:00Z", () => {
    expect(startOfNextLocalDay(ms("2026-09-06T04:30:00Z"), "America/Santiago")).toBe(
      ms("2026-09-07T03:00:00Z"),
    );
    // Neighbours: the last instant of Sept 5 and the first of Sept 6 (01:00 -03 = 04:00Z).
    expect(startOfNextLocalDay(ms("2026-09-06T03:59:59.999Z"), "America/Santiago")).toBe(
      ms("2026-09-06T04:00:00Z"),
    );
    expect(startOfNextLocalDay(ms("2026-09-06T04:00:00Z"), "America/Santiago")).toBe(
      ms("2026-09-07T03:00:00Z"),
    );
  });

  it("Havana 2027-03-14 starts at 01:00: the next day starts 2027-03-15T04:00Z", () => {
    expect(startOfNextLocalDay(ms("2027-03-14T06:30:00Z"), "America/Havana")).toBe(
      ms("2027-03-15T04:00:00Z"),
    );
    expect(startOfNextLocalDay(ms("2027-03-14T04:59:59Z"), "America/Havana")).toBe(
      ms("2027-03-14T05:00:00Z"),
    );
  });

  it("a skipped date (Apia, 2011-12-30) ends Dec 29 at the start of Dec 31", () => {
    expect(startOfNextLocalDay(ms("2011-12-29T12:00:00Z"), "Pacific/Apia")).toBe(
      ms("2011-12-30T10:00:00Z"),
    );
    expect(localDay(ms("2011-12-30T10:00:00Z"), "Pacific/Apia")).toBe("2011-12-31");
  });

  it("startOfLocalDate gives the first instant of a date, midnight or not", () => {
    expect(startOfLocalDate("2026-09-06", "America/Santiago")).toBe(ms("2026-09-06T04:00:00Z"));
    expect(startOfLocalDate("2027-03-14", "America/Havana")).toBe(ms("2027-03-14T05:00:00Z"));
    expect(startOfLocalDate("2026-11-01", BERLIN)).toBe(ms("2026-10-31T23:00:00Z"));
    expect(() => startOfLocalDate("2026-02-30", BERLIN)).toThrow(ValidationError);
    expect(() => startOfLocalDate("2026-11-01", "Nowhere/Land")).toThrow(ValidationError);
  });

  const allZones = Intl.supportedValuesOf("timeZone");

  it("property, every IANA zone: the day ends at the first instant of a later date", () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...allZones), (t, tz) => {
        const next = startOfNextLocalDay(t, tz);
        expect(next).toBeGreaterThan(t);
        expect(localDay(next - 1, tz)).toBe(localDay(t, tz));
        expect(localDay(next, tz) > localDay(t, tz)).toBe(true);
        expect(startOfLocalDate(localDay(next, tz), tz)).toBe(next);
      }),
      { numRuns: 300 },
    );
  });

  it("property, around every DST change of 2026-2027 in every zone", () => {
    // Zones whose offset changes during the year, and a day on which each change happens.
    const day = 86_400_000;
    const hour = 3_600_000;
    const offset = (t: number, tz: string) => DateTime.fromMillis(t, { zone: tz }).offset;
    const near: [number, string][] = [];
    for (const tz of allZones) {
      const jan = offset(ms("2026-01-15T00:00:00Z"), tz);
      if (jan === offset(ms("2026-07-15T00:00:00Z"), tz)) continue;
      let prev = jan;
      for (let t = ms("2026-01-01T00:00:00Z"); t < ms("2028-01-01T00:00:00Z"); t += day) {
        const cur = offset(t, tz);
        if (cur !== prev) near.push([t, tz]);
        prev = cur;
      }
    }
    expect(near.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(
        fc.constantFrom(...near),
        fc.integer({ min: -50 * hour, max: 26 * hour }),
        ([t0, tz], d) => {
          const t = t0 + d;
          const next = startOfNextLocalDay(t, tz);
          expect(next).toBeGreaterThan(t);
          expect(localDay(next - 1, tz)).toBe(localDay(t, tz));
          expect(localDay(next, tz) > localDay(t, tz)).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe("parseInstant and isOfferLive", () => {
  const base = {
    status: "active" as const,
    validFrom: "2026-06-01T00:00:00Z",
    validTo: "2026-07-01T00:00:00Z",
  };

  it("parses ISO instants with offsets, reads offset-less ones as UTC, rejects garbage", () => {
    expect(parseInstant("2026-06-01T02:00:00+02:00")).toBe(ms("2026-06-01T00:00:00Z"));
    expect(parseInstant("2026-06-01T00:00:00")).toBe(ms("2026-06-01T00:00:00Z"));
    expect(parseInstant("yesterday")).toBeNull();
  });

  it("validFrom is inclusive, validTo exclusive, paused is never live", () => {
    expect(isOfferLive(base, NY, ms("2026-05-31T23:59:59.999Z"))).toBe(false);
    expect(isOfferLive(base, NY, ms("2026-06-01T00:00:00Z"))).toBe(true);
    expect(isOfferLive(base, NY, ms("2026-06-30T23:59:59.999Z"))).toBe(true);
    expect(isOfferLive(base, NY, ms("2026-07-01T00:00:00Z"))).toBe(false);
    expect(isOfferLive({ ...base, status: "paused" }, NY, ms("2026-06-10T00:00:00Z"))).toBe(false);
  });

  it("applies the schedule in the store's zone and fails closed on bad data", () => {
    const lunch = { ...base, schedule: [{ days: ALL_DAYS, start: "11:00", end: "14:00" }] };
    expect(isOfferLive(lunch, NY, ms("2026-06-10T15:30:00Z"))).toBe(true); // 11:30 EDT
    expect(isOfferLive(lunch, BERLIN, ms("2026-06-10T15:30:00Z"))).toBe(false); // 17:30 CEST
    expect(isOfferLive(lunch, "Not/AZone", ms("2026-06-10T15:30:00Z"))).toBe(false);
    expect(isOfferLive({ ...base, validTo: "soon" }, NY, ms("2026-06-10T15:30:00Z"))).toBe(false);
  });
});

describe("the same answers as luxon (which reads the same tz database)", () => {
  const EVERY_ZONE = Intl.supportedValuesOf("timeZone");

  it("property, every IANA zone: a one-minute window at luxon's local minute and weekday matches; the same minute on the other days does not", () => {
    fc.assert(
      fc.property(instantArb, fc.constantFrom(...EVERY_ZONE), (t, zone) => {
        const dt = DateTime.fromMillis(t, { zone });
        const minute = dt.hour * 60 + dt.minute;
        const hhmm = (m: number) =>
          `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
        const today = WEEKDAYS[dt.weekday - 1] as Weekday;
        const window = { start: hhmm(minute), end: hhmm(minute + 1) };
        expect(isWithinSchedule([{ days: [today], ...window }], zone, t)).toBe(true);
        const others = ALL_DAYS.filter((d) => d !== today);
        expect(isWithinSchedule([{ days: others, ...window }], zone, t)).toBe(false);
        // The window that ends at this minute has passed (its end is exclusive).
        const before = { days: ALL_DAYS, start: hhmm(0), end: hhmm(minute) };
        expect(isWithinSchedule([before], zone, t)).toBe(false);
      }),
      { numRuns: 3_000 },
    );
  });

  it("property: RFC 3339 date-times and calendar dates parse to luxon's instant (offset-less as UTC)", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    const isoArb = fc
      .record({
        y: fc.integer({ min: 1970, max: 2100 }),
        mo: fc.integer({ min: 1, max: 12 }),
        d: fc.integer({ min: 1, max: 31 }),
        h: fc.integer({ min: 0, max: 23 }),
        mi: fc.integer({ min: 0, max: 59 }),
        s: fc.integer({ min: 0, max: 59 }),
        frac: fc.option(fc.stringMatching(/^\d{1,3}$/), { nil: undefined }),
        offset: fc.oneof(
          fc.constant("Z"),
          fc.constant(""),
          fc
            .record({
              sign: fc.constantFrom("+", "-"),
              h: fc.integer({ min: 0, max: 14 }),
              m: fc.constantFrom(0, 30, 45),
            })
            .map((o) => `${o.sign}${two(o.h)}:${two(o.m)}`),
        ),
        dateOnly: fc.boolean(),
      })
      .map((r) =>
        r.dateOnly
          ? `${r.y}-${two(r.mo)}-${two(r.d)}`
          : `${r.y}-${two(r.mo)}-${two(r.d)}T${two(r.h)}:${two(r.mi)}:${two(r.s)}${r.frac ? `.${r.frac}` : ""}${r.offset}`,
      );
    fc.assert(
      fc.property(isoArb, (iso) => {
        const luxon = DateTime.fromISO(iso, { zone: "utc" });
        // Days past the month's end (2026-02-30) are not on the calendar for either.
        expect(parseInstant(iso)).toBe(luxon.isValid ? luxon.toMillis() : null);
      }),
      { numRuns: 3_000 },
    );
  });

  it("property, every IANA zone: startOfLocalDate is luxon's start of the day where midnight exists", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: ms("2000-01-01T00:00:00Z"), max: ms("2040-01-01T00:00:00Z") }),
        fc.constantFrom(...EVERY_ZONE),
        (t, zone) => {
          const day = DateTime.fromMillis(t, { zone: "utc" }).toISODate() as string;
          const start = DateTime.fromISO(day, { zone }).startOf("day");
          fc.pre(start.hour === 0 && start.toISODate() === day);
          expect(startOfLocalDate(day, zone)).toBe(start.toMillis());
          expect(startOfLocalDate(day, zone, 1)).toBe(
            startOfLocalDate(start.plus({ days: 1 }).toISODate() as string, zone),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
