import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { isValidTimeZone, localDay } from "../../../shared/domain/decision/local-day.ts";
import { ValidationError } from "../../../shared/errors.ts";

/** Zones with unusual offsets, DST at midnight, skipped dates and the date line. */
const ZONES = [
  "UTC",
  "Europe/Paris",
  "America/New_York",
  "America/Santiago",
  "America/Havana",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
  "Pacific/Apia",
  "Pacific/Kiritimati",
  "Pacific/Pago_Pago",
  "Etc/GMT+12",
  "Etc/GMT-14",
];

describe("localDay without luxon", () => {
  it("answers luxon's local ISO date for any instant from 1900 to 2200 in any zone", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.constantFrom(...ZONES),
        (instant, zone) => {
          expect(localDay(instant, zone)).toBe(DateTime.fromMillis(instant, { zone }).toISODate());
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("rolls over at local midnight, not UTC midnight, on both sides of the date line", () => {
    // Apia skipped 2011-12-30 entirely: 23:59:59 on the 29th is followed by the 31st.
    const apiaJump = Date.UTC(2011, 11, 30, 10, 0, 0);
    expect(localDay(apiaJump - 1, "Pacific/Apia")).toBe("2011-12-29");
    expect(localDay(apiaJump, "Pacific/Apia")).toBe("2011-12-31");
    expect(localDay(Date.UTC(2026, 10, 30, 10, 30), "Pacific/Kiritimati")).toBe("2026-12-01");
    expect(localDay(Date.UTC(2026, 10, 30, 10, 30), "Pacific/Pago_Pago")).toBe("2026-11-29");
  });

  it("refuses an unknown zone or a non-finite instant with the field named", () => {
    expect(() => localDay(0, "Mars/Olympus")).toThrow(ValidationError);
    expect(() => localDay(Number.NaN, "UTC")).toThrow(/instant/);
    expect(() => localDay(Number.POSITIVE_INFINITY, "UTC")).toThrow(ValidationError);
  });

  it("knows the same zone names as luxon", () => {
    const names = [
      ...ZONES,
      ...Intl.supportedValuesOf("timeZone"),
      "",
      "Mars/Olympus",
      "Europe/Pariss",
      "utc",
      "europe/paris",
      "GMT+2",
      "+02:00",
      "Local",
    ];
    for (const name of names) {
      expect(isValidTimeZone(name), name).toBe(IANAZone.isValidZone(name));
    }
  });
});
