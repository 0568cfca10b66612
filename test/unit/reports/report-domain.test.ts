import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COUNTER_FIELDS, type ConversionRecord } from "../../../shared/domain/conversion.ts";
import {
  CONVERSION_CSV_COLUMNS,
  conversionCsvHeader,
  conversionCsvRow,
} from "../../../shared/domain/reports/conversion-csv.ts";
import { conversionQuerySchema } from "../../../shared/domain/reports/conversion-query.ts";
import { conversionView } from "../../../shared/domain/reports/conversion-view.ts";
import { csvField, csvLine } from "../../../shared/domain/reports/csv.ts";
import { daysOf, resolveDayRange } from "../../../shared/domain/reports/day-range.ts";
import { addFunnels, emptyFunnel, funnelFromItem } from "../../../shared/domain/reports/funnel.ts";
import { funnelMetrics } from "../../../shared/domain/reports/funnel-metrics.ts";
import { isLogPosition } from "../../../shared/domain/reports/log-cursor.ts";
import { histogramMedian } from "../../../shared/domain/reports/time-to-visit.ts";
import { ValidationError } from "../../../shared/errors.ts";

/** Minimal RFC 4180 parser (the test's own oracle for the writer). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 1;
    } else field += c;
    i += 1;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe("funnel counters", () => {
  it("reads every counter field and ignores foreign or broken attributes", () => {
    const f = funnelFromItem({
      pk: "CNT#m#OFFER#o",
      sk: "2026-05-01#st_x",
      [COUNTER_FIELDS.triggered]: 10,
      [COUNTER_FIELDS.sent]: 7,
      [COUNTER_FIELDS.heldOut]: 2,
      [COUNTER_FIELDS.suppressed]: 1,
      [COUNTER_FIELDS.suppressedBy("budget")]: 1,
      [COUNTER_FIELDS.visits]: 4,
      [COUNTER_FIELDS.attributedTreated]: 3,
      [COUNTER_FIELDS.attributedHoldout]: 1,
      [COUNTER_FIELDS.redemptions]: 2,
      [COUNTER_FIELDS.expired]: 1,
      [COUNTER_FIELDS.onlineRedemptions]: 4,
      [COUNTER_FIELDS.onlineExpired]: 6,
      [COUNTER_FIELDS.ttvBucket(0)]: 1,
      [COUNTER_FIELDS.ttvBucket(21)]: 2,
      ttv_99: 5,
      heldOutX: 3,
      sentBroken: -1,
      localDay: "2026-05-01",
    });
    expect(f).toMatchObject({
      triggered: 10,
      sent: 7,
      heldOut: 2,
      suppressed: 1,
      suppressedByReason: { budget: 1 },
      visits: 4,
      attributedTreated: 3,
      attributedHoldout: 1,
      redemptions: 2,
      expired: 1,
      onlineRedemptions: 4,
      onlineExpired: 6,
    });
    expect(f.ttv[0]).toBe(1);
    expect(f.ttv[21]).toBe(2);
    expect(f.ttv.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it("adds funnels field by field, reasons merged", () => {
    const a = funnelFromItem({ sent: 2, suppressed_cap_day: 1, ttv_3: 1 });
    const b = funnelFromItem({ sent: 5, suppressed_cap_day: 2, suppressed_quiet: 4, ttv_3: 2 });
    const sum = addFunnels(a, b, emptyFunnel());
    expect(sum.sent).toBe(7);
    expect(sum.suppressedByReason).toEqual({ cap_day: 3, quiet: 4 });
    expect(sum.ttv[3]).toBe(3);
  });
});

describe("median time-to-visit from the histogram", () => {
  it("is the upper bound of the bucket holding the lower median", () => {
    const h = emptyFunnel().ttv;
    h[0] = 10; // ≤ 5 min
    h[2] = 20; // (10, 15]
    h[5] = 30; // (30, 45]
    // n = 60, rank 30: cumulative 10, 30 → bucket 2.
    expect(histogramMedian(h)).toEqual({
      bucket: 2,
      lowerBoundMinutes: 10,
      upperBoundMinutes: 15,
      sampleSize: 60,
    });
    h[5] = 31; // n = 61, rank 31 → bucket 5 (30, 45].
    expect(histogramMedian(h)?.upperBoundMinutes).toBe(45);
  });

  it("is null for an empty histogram", () => {
    expect(histogramMedian(emptyFunnel().ttv)).toBeNull();
  });

  it("always lands on a non-empty bucket with half the mass at or below it", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { minLength: 22, maxLength: 22 }), (h) => {
        const m = histogramMedian(h);
        const n = h.reduce((a, b) => a + b, 0);
        if (n === 0) return m === null;
        if (m === null) return false;
        const below = h.slice(0, m.bucket).reduce((a, b) => a + b, 0);
        const upTo = below + (h[m.bucket] ?? 0);
        return (
          (h[m.bucket] ?? 0) > 0 && upTo * 2 >= n && below * 2 < n + 1 && below < Math.ceil(n / 2)
        );
      }),
    );
  });
});

describe("funnel metrics: zero denominators and inconsistent ranges", () => {
  it("answers null with notes when nothing was sent or held out", () => {
    const m = funnelMetrics(emptyFunnel());
    expect(m.visitRate).toEqual({ treated: null, holdout: null });
    expect(m.redemptionRate).toBeNull();
    expect(m.lift.absolute).toBeNull();
    expect(m.lift.absoluteCi).toBeNull();
    expect(m.medianTimeToVisit).toBeNull();
    expect(m.notes.join(" ")).toMatch(/sent = 0/);
    expect(m.notes.join(" ")).toMatch(/heldOut = 0/);
    expect(JSON.stringify(m)).not.toMatch(/NaN|Infinity/);
  });

  it("refuses a lift when a day holds more attributed visits than sends", () => {
    const f = { ...emptyFunnel(), sent: 2, attributedTreated: 3, heldOut: 5, attributedHoldout: 1 };
    const m = funnelMetrics(f);
    expect(m.lift.absolute).toBeNull();
    expect(m.notes.join(" ")).toMatch(/Widen the range/);
  });

  it("never throws on visits without a denominator", () => {
    const f = {
      ...emptyFunnel(),
      sent: 0,
      attributedTreated: 3,
      heldOut: 10,
      attributedHoldout: 1,
    };
    const m = funnelMetrics(f);
    expect(m.visitRate).toEqual({ treated: null, holdout: 0.1 });
    expect(m.lift.absolute).toBeNull();
  });
});

describe("report ranges", () => {
  const now = Date.parse("2026-05-20T10:00:00Z");

  it("defaults to the last 30 days ending with the latest local day anywhere (UTC+14)", () => {
    // 10:00 UTC on 20 May is already 00:00 on 21 May in Kiritimati: stores there count that day.
    expect(resolveDayRange({}, now)).toEqual({ from: "2026-04-22", to: "2026-05-21" });
    expect(daysOf({ from: "2026-02-27", to: "2026-03-02" })).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
  });

  it("names the field of a reversed or too long range", () => {
    const reversed = () => resolveDayRange({ from: "2026-05-02", to: "2026-05-01" }, now);
    expect(reversed).toThrow(ValidationError);
    try {
      reversed();
    } catch (e) {
      expect((e as ValidationError).issues?.[0]?.path).toBe("to");
    }
    expect(() => resolveDayRange({ from: "2025-01-01", to: "2026-05-01" }, now)).toThrow(
      /400 days/,
    );
  });
});

describe("conversion log query", () => {
  it("normalises instants to the sort-key form and checks bounds", () => {
    const q = conversionQuerySchema.parse({
      from: "2026-05-01",
      to: "2026-05-01T12:00:00+02:00",
      limit: "20",
    });
    expect(q).toMatchObject({
      from: "2026-05-01T00:00:00.000Z",
      to: "2026-05-01T10:00:00.000Z",
      limit: 20,
    });
    const bad = conversionQuerySchema.safeParse({
      from: "2026-05-02",
      to: "2026-05-01",
      limit: "201",
      type: "bought",
      storeId: "x",
      extra: "1",
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join("/")).sort();
    expect(paths).toEqual(["", "limit", "storeId", "type"]);
  });

  it("accepts only positions in the caller's own partition and listing", () => {
    expect(isLogPosition({ pk: "LOG#m1", sk: "2026#e" }, "m1", undefined)).toBe(true);
    expect(isLogPosition({ pk: "LOG#m2", sk: "2026#e" }, "m1", undefined)).toBe(false);
    expect(isLogPosition({ pk: "LOG#m1", sk: "2026#e", x: "1" }, "m1", undefined)).toBe(false);
    const viaOffer = { pk: "LOG#m1", sk: "s", gsi1pk: "LOGOFFER#m1#of_1", gsi1sk: "s" };
    expect(isLogPosition(viaOffer, "m1", "of_1")).toBe(true);
    expect(isLogPosition(viaOffer, "m1", "of_2")).toBe(false);
    expect(isLogPosition({ pk: "LOG#m1", sk: "s" }, "m1", "of_1")).toBe(false);
  });
});

describe("CSV", () => {
  const record: ConversionRecord = {
    eventId: "evt,1",
    type: "suppressed",
    merchantId: "m1",
    offerId: "of_abcdefgh",
    storeId: "st_abcdefgh",
    deviceRef: "dref_1",
    at: Date.parse("2026-05-01T10:00:00Z"),
    localDay: "2026-05-01",
    reason: 'quiet "hours",\r\nnight',
  };

  it("quotes per RFC 4180 and round-trips through a parser", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField(null)).toBe("");
    expect(csvField(12)).toBe("12");
    const text = conversionCsvHeader() + conversionCsvRow(conversionView(record));
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, row] = parseCsv(text);
    expect(header).toEqual([...CONVERSION_CSV_COLUMNS]);
    expect(row?.[CONVERSION_CSV_COLUMNS.indexOf("reason")]).toBe('quiet "hours",\r\nnight');
    expect(row?.[CONVERSION_CSV_COLUMNS.indexOf("eventId")]).toBe("evt,1");
    expect(row?.[CONVERSION_CSV_COLUMNS.indexOf("at")]).toBe("2026-05-01T10:00:00.000Z");
    expect(row?.[CONVERSION_CSV_COLUMNS.indexOf("incentiveId")]).toBe("");
  });

  it("round-trips any text", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 6 }),
        (values) => {
          const parsed = parseCsv(csvLine(values));
          expect(parsed).toEqual([values]);
        },
      ),
    );
  });

  it("the view carries only allow-listed fields (no raw device id, keys or TTL)", () => {
    const stored = {
      ...record,
      deviceId: "dev_RAW",
      pk: "LOG#m1",
      expiresAt: 1,
    } as ConversionRecord;
    const view = conversionView(stored);
    expect(Object.keys(view).sort()).toEqual([...CONVERSION_CSV_COLUMNS].sort());
    expect(JSON.stringify(view)).not.toContain("dev_RAW");
  });
});
