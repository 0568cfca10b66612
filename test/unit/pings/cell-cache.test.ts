import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellsForPoint } from "../../../shared/domain/geometry/cover.ts";
import { CellCache, NO_ZONE_LIST } from "../../../shared/use-cases/pings/cell-cache.ts";
import {
  cellOfKey,
  KEYS_PER_POINT,
  keyOfCell,
  pointCellKeys,
} from "../../../shared/use-cases/pings/cell-keys.ts";

describe("numeric cell keys", () => {
  it("equal cellsForPoint at every index resolution, poles and antimeridian included", () => {
    const keys = new Uint32Array(2 * KEYS_PER_POINT);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -90, max: 90, noNaN: true }),
          fc.constantFrom(90, -90, 89.9999999, -89.9999999, 0),
        ),
        fc.oneof(
          fc.double({ min: -180, max: 180, noNaN: true }),
          fc.constantFrom(180, -180, 179.9999999, -179.9999999, 0),
        ),
        (lat, lon) => {
          pointCellKeys(lat, lon, keys);
          const expected = cellsForPoint(lat, lon);
          const got = expected.map((_, s) =>
            cellOfKey(keys[2 * s] as number, keys[2 * s + 1] as number),
          );
          expect(got).toEqual(expected);
          for (const cell of expected) expect(cellOfKey(...keyOfCell(cell))).toBe(cell);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe("byte-budgeted cell cache", () => {
  const list = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

  it("serves what it was given while fresh, and misses once stale", () => {
    const cache = new CellCache(1 << 20);
    cache.set(0x08b1fb46, 0x622dcfff, list(3), 1_000);
    expect(cache.get(0x08b1fb46, 0x622dcfff, 1_000)).toEqual(list(3));
    expect(cache.get(0x08b1fb46, 0x622dcfff, 1_100)).toBeUndefined();
    expect(cache.get(0x08b1fb46, 0x622dcffe, 0)).toBeUndefined();
    expect(cache.stats).toMatchObject({ hits: 1, misses: 2 });
  });

  it("never holds more bytes than its budget, however many cells arrive", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 22 }),
        fc.integer({ min: 1_000, max: 60_000 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (log2Budget, cells, nonEmptyShare) => {
          const budget = 2 ** log2Budget;
          const cache = new CellCache(budget);
          for (let c = 1; c <= cells; c++) {
            const zones = c % 1000 < nonEmptyShare * 1000 ? list(1 + (c % 7)) : NO_ZONE_LIST;
            cache.set(0x08000000 | (c >>> 20), c * 2654435761, zones, c);
            if (c % 997 === 0) expect(cache.bytes).toBeLessThanOrEqual(budget);
          }
          expect(cache.bytes).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("keeps the cells in use and lets cold ones go when full", () => {
    const cache = new CellCache(1 << 18);
    const room = cache.generationCells;
    // One hot cell read between every insert of a stream of cold ones.
    cache.set(0x08aaaaaa, 1, list(2), 0);
    for (let c = 2; c < 6 * room; c++) {
      cache.set(0x08bbbbbb, c, NO_ZONE_LIST, 0);
      expect(cache.get(0x08aaaaaa, 1, 0)).toEqual(list(2));
    }
    expect(cache.get(0x08bbbbbb, 2, 0)).toBeUndefined();
    expect(cache.get(0x08bbbbbb, 6 * room - 1, 0)).toBe(NO_ZONE_LIST);
    expect(cache.stats.evicted).toBeGreaterThan(3 * room);
  });
});
