import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { holdoutBucket, isHeldOut } from "../../../shared/domain/decision/holdout.ts";
import { ValidationError } from "../../../shared/errors.ts";

/** Computed once from the implementation; update only with a plan for running experiments. */
const GOLDEN_BUCKET = 4623;

const DEVICES = Array.from({ length: 10_000 }, (_, i) => `dev-${i.toString(36)}-${i * 7919}`);

function share(offerId: string, percent: number): number {
  return DEVICES.filter((d) => isHeldOut(d, offerId, percent)).length / DEVICES.length;
}

describe("holdoutBucket", () => {
  it("is pinned: changing the hash would reshuffle every running experiment", () => {
    expect(holdoutBucket("device-1", "offer-1")).toBe(GOLDEN_BUCKET);
  });

  it("property: an integer in [0, 10000), the same on every call", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (device, offer) => {
        const b = holdoutBucket(device, offer);
        expect(Number.isInteger(b)).toBe(true);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(10_000);
        expect(holdoutBucket(device, offer)).toBe(b);
      }),
    );
  });

  it("separates the two ids (no concatenation collisions)", () => {
    const a = DEVICES.map((d) => holdoutBucket(`${d}x`, "offer"));
    const b = DEVICES.map((d) => holdoutBucket(d, "xoffer"));
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(10);
  });
});

describe("isHeldOut", () => {
  for (const percent of [10, 25, 50]) {
    it(`holds out ${percent} % ± 1.5 points of 10,000 devices, stably`, () => {
      const first = DEVICES.map((d) => isHeldOut(d, "offer-A", percent));
      const observed = first.filter(Boolean).length / DEVICES.length;
      expect(Math.abs(observed - percent / 100)).toBeLessThanOrEqual(0.015);
      expect(DEVICES.map((d) => isHeldOut(d, "offer-A", percent))).toEqual(first);
    });
  }

  it("0 % never holds anyone out", () => {
    expect(share("offer-A", 0)).toBe(0);
  });

  it("assignments are independent between offers (overlap of two 50 % groups ≈ 25 %)", () => {
    const both = DEVICES.filter((d) => isHeldOut(d, "offer-A", 50) && isHeldOut(d, "offer-B", 50));
    expect(Math.abs(both.length / DEVICES.length - 0.25)).toBeLessThanOrEqual(0.015);
  });

  it("honours fractional shares to the basis point", () => {
    const device = DEVICES.find((d) => holdoutBucket(d, "offer-A") === 1249) ?? "";
    expect(device).not.toBe("");
    expect(isHeldOut(device, "offer-A", 12.5)).toBe(true);
    expect(isHeldOut(device, "offer-A", 12.49)).toBe(false);
  });

  it("property: monotone in the share", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        (device, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          if (isHeldOut(device, "offer-M", lo)) expect(isHeldOut(device, "offer-M", hi)).toBe(true);
        },
      ),
    );
  });

  it("rejects shares outside 0–50", () => {
    for (const bad of [-1, 50.5, Number.NaN, 100]) {
      expect(() => isHeldOut("d", "o", bad)).toThrow(ValidationError);
    }
  });
});
