import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldBudgetItems } from "../../../shared/adapters/dynamo/budget-counter.ts";
import {
  BUDGET_SLICES,
  pickSlice,
  sliceHash,
  sliceShare,
} from "../../../shared/domain/budget-slices.ts";

describe("budget slices", () => {
  it("shares add up to the budget left over the pre-slice count, never more", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 1, max: 64 }),
        (max, pre, slices) => {
          const shares = Array.from({ length: slices }, (_, k) => sliceShare(max, pre, slices, k));
          expect(shares.reduce((a, b) => a + b, 0)).toBe(Math.max(0, max - pre));
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it("a budget of 3 on 8 slices puts one incentive on each of the first three", () => {
    expect(Array.from({ length: 8 }, (_, k) => sliceShare(3, 0, 8, k))).toEqual([
      1, 1, 1, 0, 0, 0, 0, 0,
    ]);
    expect(() => sliceShare(3, 0, 8, 8)).toThrow(RangeError);
    expect(() => sliceShare(3, 0, 0, 0)).toThrow(RangeError);
  });

  it("granting through pickSlice until it refuses sends exactly the budget (no refusal while room remains)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 700 }),
        (max, pre, slices, starts) => {
          const sent = Array.from({ length: slices }, () => 0);
          let granted = 0;
          for (const start of starts) {
            const k = pickSlice({ max, preSliced: pre, sent, slices, start });
            if (k === undefined) {
              // Refused only when the budget is spent.
              expect(pre + granted).toBeGreaterThanOrEqual(max);
              continue;
            }
            expect(sent[k] as number).toBeLessThan(sliceShare(max, pre, slices, k));
            sent[k] = (sent[k] as number) + 1;
            granted += 1;
          }
          expect(pre + granted).toBeLessThanOrEqual(Math.max(max, pre));
          expect(granted).toBe(Math.min(starts.length, Math.max(0, max - pre)));
        },
      ),
    );
  });

  it("skips slices known full and takes any slice when the offer has no budget", () => {
    expect(pickSlice({ max: 80, preSliced: 0, sent: [], slices: 8, start: 3 })).toBe(3);
    expect(
      pickSlice({ max: 80, preSliced: 0, sent: [], slices: 8, start: 3, full: new Set([3, 4]) }),
    ).toBe(5);
    expect(pickSlice({ max: undefined, preSliced: 0, sent: [], slices: 8, start: 11 })).toBe(3);
    expect(pickSlice({ max: 2, preSliced: 2, sent: [], slices: 8, start: 0 })).toBeUndefined();
  });

  it("hashes spread incentive ids over every slice", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i += 1) seen.add(sliceHash(`inc_${i}`) % BUDGET_SLICES);
    expect(seen.size).toBe(BUDGET_SLICES);
  });

  it("folds the pre-slice item and the slices of several offers into their totals", () => {
    const use = foldBudgetItems([
      { pk: "OFFER#a", sk: "BUDGET", sent: 5 },
      { pk: "OFFER#a#BUDGET#0", sk: "BUDGET", sent: 2 },
      { pk: "OFFER#a#BUDGET#7", sk: "BUDGET", sent: 3 },
      { pk: "OFFER#b#BUDGET#1", sk: "BUDGET", sent: 4 },
      { pk: "OFFER#c#BUDGET#2", sk: "BUDGET", sent: -1 },
      { pk: "OFFER#a", sk: "OTHER", sent: 99 },
    ]);
    expect(use.get("a")).toEqual({ preSliced: 5, sent: [2, 0, 0, 0, 0, 0, 0, 3], total: 10 });
    expect(use.get("b")?.total).toBe(4);
    expect(use.get("c")?.total).toBe(0);
  });
});
