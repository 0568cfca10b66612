import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyVisit,
  DEFAULT_JOURNEY_SETTINGS,
  HISTORY_DAYS,
  JOURNEY_FIELDS,
  JOURNEY_STAGES,
  type JourneyHistory,
  type JourneySettings,
  journeyBumps,
  journeySettingsInputSchema,
  journeyStage,
  localDayNumber,
  stageRecords,
  type VisitOutcome,
} from "../../../shared/domain/journey/index.ts";

const DAY = 86_400_000;
/** Monday 2026-03-02 10:00 UTC: day 0 of the scenarios. */
const T0 = Date.UTC(2026, 2, 2, 10, 0, 0);
const S: JourneySettings = DEFAULT_JOURNEY_SETTINGS; // W 30, k 3, D 30, L 45
const at = (day: number, hour = 10) => T0 + day * DAY + (hour - 10) * 3_600_000;

/** Folds visits (day offsets, UTC store) into a history, returning every outcome. */
function visits(days: number[], settings: JourneySettings = S, storeId = "s1") {
  let history: JourneyHistory | undefined;
  const outcomes: VisitOutcome[] = [];
  for (const d of days) {
    const out = applyVisit(history, { at: at(d), storeId, timeZone: "UTC" }, settings, "m1");
    outcomes.push(out);
    history = out.history;
  }
  return { history, outcomes, last: outcomes[outcomes.length - 1] as VisitOutcome };
}

describe("journey stages: exact boundaries (defaults W 30, k 3, D 30, L 45)", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_JOURNEY_SETTINGS).toEqual({
      returningWithinDays: 30,
      regularVisits: 3,
      regularWithinDays: 30,
      lapsedAfterDays: 45,
    });
  });

  it("no history is a prospect; a first visit makes a new visitor", () => {
    expect(journeyStage(undefined, S, T0)).toBe("prospect");
    const { last, history } = visits([0]);
    expect(last.stageBefore).toBe("prospect");
    expect(last.stage).toBe("new");
    expect(last.transitions).toEqual([
      { from: "prospect", to: "new", at: at(0), storeId: "s1", localDay: "2026-03-02" },
    ]);
    expect(history).toMatchObject({ visits: 1, visitDays: 1, firstVisitAt: at(0) });
    // Still new a year later: only regulars lapse.
    expect(journeyStage(history, S, at(365))).toBe("new");
  });

  it("counts a person once per store-local day", () => {
    const { outcomes, history } = visits([0, 0, 0]);
    expect(outcomes.map((o) => o.counted)).toEqual([true, false, false]);
    expect(history).toMatchObject({
      visits: 3,
      visitDays: 1,
      days: [localDayNumber(at(0), "UTC")],
    });
    expect(outcomes[1]?.transitions).toEqual([]);
    expect(journeyBumps(outcomes[1] as VisitOutcome, { storeId: "s1", localDay: "x" })).toEqual([]);
  });

  it("returning: a second visit day exactly W days later returns; W + 1 starts over as new", () => {
    const within = visits([0, 30]).last;
    expect(within.stage).toBe("returning");
    expect(within.gapDays).toBe(30);
    expect(within.transitions.map((t) => [t.from, t.to])).toEqual([["new", "returning"]]);
    const beyond = visits([0, 31]).last;
    expect(beyond.stage).toBe("new");
    expect(beyond.transitions).toEqual([]);
    expect(beyond.history.visitDays).toBe(2);
  });

  it("regular: k visit days within D days, today included (day 0 counts on day 29, not 30)", () => {
    const inside = visits([0, 10, 29]).last;
    expect(inside.stage).toBe("regular");
    expect(inside.transitions.map((t) => [t.from, t.to])).toEqual([["returning", "regular"]]);
    const outside = visits([0, 10, 30]).last;
    expect(outside.stage).toBe("returning");
    // A regular stops being one when the window slides past the k-th most recent day.
    const { history } = visits([0, 10, 29]);
    expect(journeyStage(history, S, at(29 + 0, 23))).toBe("regular");
    expect(journeyStage(history, S, at(30))).toBe("returning");
  });

  it("lapsed: a regular with no visit for L days; day last + L - 1 is not yet lapsed", () => {
    const { history } = visits([0, 1, 2]);
    expect(journeyStage(history, S, at(2 + 44, 23))).toBe("returning");
    expect(journeyStage(history, S, at(2 + 45, 0))).toBe("lapsed");
  });

  it("a lapse is counted ahead on day last + L and taken back by a visit before it", () => {
    const regular = visits([0, 1, 2]);
    expect(regular.last.lapseScheduled).toEqual({ localDay: "2026-04-18", storeId: "s1" });
    const back = visits([0, 1, 2, 46]).last; // day 46 = lapse day 47 - 1
    expect(back.lapseUndone).toEqual({ localDay: "2026-04-18", storeId: "s1" });
    expect(back.transitions.some((t) => t.to === "lapsed")).toBe(false);
    expect(back.stage).toBe("returning"); // a former regular who came back
    expect(back.lapseScheduled).toEqual({ localDay: "2026-06-01", storeId: "s1" });
  });

  it("a regular back on the lapse day or later logs the lapse at its day, then the win-back", () => {
    const won = visits([0, 1, 2, 47]).last;
    expect(won.lapseUndone).toBeUndefined();
    expect(won.stageBefore).toBe("lapsed");
    expect(won.transitions).toEqual([
      {
        from: "regular",
        to: "lapsed",
        at: Date.UTC(2026, 3, 18),
        storeId: "s1",
        localDay: "2026-04-18",
      },
      { from: "lapsed", to: "returning", at: at(47), storeId: "s1", localDay: "2026-04-18" },
    ]);
    const records = stageRecords(won, { merchantId: "m1", deviceRef: "d1", eventKey: "k" });
    expect(records.map((r) => [r.type, r.previousStage, r.stage, r.eventId])).toEqual([
      ["stage_changed", "regular", "lapsed", "lapse:d1:2026-04-18"],
      ["stage_changed", "lapsed", "returning", "stage:d1:k"],
    ]);
    const bumps = journeyBumps(won, { storeId: "s1", localDay: "2026-04-18" });
    expect(bumps).toContainEqual({
      storeId: "s1",
      localDay: "2026-04-18",
      fields: {
        [JOURNEY_FIELDS.visitDays]: 1,
        [JOURNEY_FIELDS.visitsAs("returning")]: 1,
        [JOURNEY_FIELDS.repeatDays]: 1,
        [JOURNEY_FIELDS.gap(45)]: 1,
      },
    });
    // The lapse itself was counted ahead when it was scheduled: no second count now.
    expect(bumps.filter((b) => b.fields[JOURNEY_FIELDS.lapsed] === 1)).toEqual([
      { storeId: "s1", localDay: "2026-06-02", fields: { [JOURNEY_FIELDS.lapsed]: 1 } },
    ]);
  });

  it("a late visit counts its day and changes no stage", () => {
    const { history } = visits([0, 5]);
    const late = applyVisit(history, { at: at(3), storeId: "s1", timeZone: "UTC" }, S, "m1");
    expect(late.counted).toBe(true);
    expect(late.transitions).toEqual([]);
    expect(late.history.visitDays).toBe(3);
    expect(late.history.lastVisitAt).toBe(at(5));
    expect(late.history.days).toHaveLength(3);
  });

  it("reads days on the store's calendar", () => {
    // 23:30 and 00:30 New York time are two local days (UTC sees one).
    const ny = "America/New_York";
    const first = applyVisit(
      undefined,
      { at: Date.UTC(2026, 2, 3, 4, 30), storeId: "s", timeZone: ny },
      S,
      "m",
    );
    const second = applyVisit(
      first.history,
      { at: Date.UTC(2026, 2, 3, 5, 30), storeId: "s", timeZone: ny },
      S,
      "m",
    );
    expect(second.counted).toBe(true);
    expect(second.gapDays).toBe(1);
  });

  it("keeps at most HISTORY_DAYS of visit days", () => {
    const { history } = visits(Array.from({ length: 200 }, (_, i) => i));
    expect(history?.days).toHaveLength(HISTORY_DAYS);
    expect(history?.visitDays).toBe(200);
  });

  it("validates merchant windows", () => {
    expect(journeySettingsInputSchema.safeParse({ regularVisits: 5 }).success).toBe(true);
    const bad = journeySettingsInputSchema.safeParse({ regularVisits: 8, regularWithinDays: 7 });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["regularVisits"]);
    expect(journeySettingsInputSchema.safeParse({ regularWithinDays: 91 }).success).toBe(false);
  });
});

/** Brute-force oracle over the FULL list of visit days (no bounded list, no stored stage). */
function oracleStage(all: number[], s: JourneySettings, today: number) {
  const days = [...new Set(all)].sort((a, b) => a - b);
  if (days.length === 0) return "prospect";
  const count = (end: number) => days.filter((d) => d > end - s.regularWithinDays && d <= end);
  const everRegular = days.some((d) => count(d).length >= s.regularVisits);
  const last = days[days.length - 1] as number;
  const prev = days[days.length - 2];
  if (count(today).length >= s.regularVisits) return "regular";
  if (everRegular && today - last >= s.lapsedAfterDays) return "lapsed";
  if (prev !== undefined && (last - prev <= s.returningWithinDays || everRegular))
    return "returning";
  return "new";
}

const settingsArb = fc
  .record({
    returningWithinDays: fc.integer({ min: 1, max: 60 }),
    regularVisits: fc.integer({ min: 2, max: 6 }),
    regularWithinDays: fc.integer({ min: 6, max: 90 }),
    lapsedAfterDays: fc.integer({ min: 1, max: 120 }),
  })
  .filter((s) => s.regularVisits <= s.regularWithinDays);

/** Visit day offsets in time order (gaps of 0 = same-day visits). */
const visitDaysArb = fc
  .array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 40 })
  .map((gaps) => {
    let d = 0;
    return gaps.map((g) => {
      d += g;
      return d;
    });
  });

describe("journey stages: properties", () => {
  it("matches the brute-force oracle after every visit and at any later day", () => {
    fc.assert(
      fc.property(settingsArb, visitDaysArb, fc.integer({ min: 0, max: 200 }), (s, days, later) => {
        const { outcomes, history } = visits(days, s);
        outcomes.forEach((o, i) => {
          const seen = days.slice(0, i + 1);
          expect(o.stage).toBe(oracleStage(seen, s, seen[i] as number));
          expect(o.stage).toBe(o.history.stage);
        });
        const last = days[days.length - 1] as number;
        expect(journeyStage(history, s, at(last + later))).toBe(oracleStage(days, s, last + later));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a consistent history and a chain of transitions", () => {
    fc.assert(
      fc.property(settingsArb, visitDaysArb, (s, days) => {
        const { outcomes, history } = visits(days, s);
        expect(history?.visitDays).toBe(new Set(days).size);
        expect(history?.visits).toBe(days.length);
        const kept = history?.days ?? [];
        expect(kept).toEqual([...new Set(kept)].sort((a, b) => a - b));
        expect(kept.length).toBeLessThanOrEqual(HISTORY_DAYS);
        let stage = "prospect";
        for (const o of outcomes) {
          for (const t of o.transitions) {
            expect(t.from).toBe(stage);
            expect(t.to).not.toBe(t.from);
            stage = t.to;
          }
          expect(stage).toBe(o.history.stage);
          expect(JOURNEY_STAGES).toContain(o.history.stage);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("the lapse counters net to exactly the lapses that happened, plus the one pending", () => {
    fc.assert(
      fc.property(settingsArb, visitDaysArb, (s, days) => {
        const { outcomes, history } = visits(days, s);
        const net = new Map<string, number>();
        let happened = 0;
        for (const o of outcomes) {
          happened += o.transitions.filter((t) => t.to === "lapsed").length;
          for (const b of journeyBumps(o, { storeId: "s1", localDay: "x" })) {
            const n = b.fields[JOURNEY_FIELDS.lapsed];
            if (n !== undefined) net.set(b.localDay, (net.get(b.localDay) ?? 0) + n);
          }
        }
        const pending = history?.lapse ? 1 : 0;
        expect([...net.values()].reduce((a, b) => a + b, 0)).toBe(happened + pending);
        expect([...net.values()].every((n) => n === 0 || n === 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
