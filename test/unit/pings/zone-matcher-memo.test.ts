import fc from "fast-check";
import { cellToChildren, cellToParent } from "h3-js";
import { describe, expect, it } from "vitest";
import type { IndexedZone } from "../../../shared/adapters/dynamo/geo-index-port.ts";
import { coverZone } from "../../../shared/domain/geometry/cover.ts";
import {
  cellsForPoint,
  compileZone,
  decodeZone,
  encodeZone,
} from "../../../shared/domain/geometry/index.ts";
import type { ZoneGeometry } from "../../../shared/domain/geometry/types.ts";
import { ZoneMatcher } from "../../../shared/use-cases/pings/zone-matcher.ts";
import { manualClock, memoryCellIndex } from "../../support/pings.ts";

const TTL = 60_000;
/** Far from every other test's area (Ushuaia). */
const AREA = { lat: -54.8019, lon: -68.303 };

function zoneOf(id: string, geometry: ZoneGeometry, version = 1): IndexedZone {
  const encoded = encodeZone(geometry);
  return {
    zoneId: id,
    version,
    kind: "trigger",
    merchantId: "m-memo",
    storeId: `s-${id}`,
    geometry: encoded,
    characteristicRadiusM: compileZone(decodeZone(encoded)).characteristicRadiusM,
    dwellSeconds: 0,
  };
}

function matcherOn(
  index: ReturnType<typeof memoryCellIndex>,
  clock = manualClock(1_700_000_000_000),
) {
  const matcher = new ZoneMatcher({
    getCells: (cells) => index.getCells(cells),
    getHeads: async () => new Map(),
    clock,
    ttlMs: TTL,
    budgetBytes: 8 * 1024 * 1024,
  });
  return { matcher, clock };
}

async function holding(matcher: ZoneMatcher, lat: number, lon: number): Promise<string[]> {
  const out: number[] = [];
  let k = matcher.zonesHolding(lat, lon, out);
  if (k < 0) {
    await matcher.prime([{ lat, lon }]);
    k = matcher.zonesHolding(lat, lon, out);
  }
  return out.map((n) => matcher.zoneAt(n).zone.zoneId).sort();
}

describe("point memo of the zone matcher", () => {
  it("expires with the oldest of the point's cells: a zone added to a coarse cell shows within the TTL", async () => {
    const index = memoryCellIndex();
    const { matcher, clock } = matcherOn(index);
    const a = { lat: AREA.lat, lon: AREA.lon };
    const b = { lat: AREA.lat + 0.002, lon: AREA.lon + 0.003 };
    const coarse = cellsForPoint(a.lat, a.lon)[0] as string;
    expect(cellsForPoint(b.lat, b.lon)[0]).toBe(coarse);
    expect(cellsForPoint(b.lat, b.lon)[4]).not.toBe(cellsForPoint(a.lat, a.lon)[4]);

    // t0: A reads its cells, the coarse one included.
    expect(await holding(matcher, a.lat, a.lon)).toEqual([]);
    // t0 + 30 s: B reads only its finer cells; its memo is built on the coarse cell of t0.
    clock.advance(30_000);
    expect(await holding(matcher, b.lat, b.lon)).toEqual([]);
    const reads = index.reads;
    // A 40 km zone holding B, indexed only under coarse cells (res 5), appears now.
    const big = zoneOf("big", {
      type: "Circle",
      center: { lat: b.lat, lon: b.lon },
      radiusM: 40_000,
    } as ZoneGeometry);
    const cover = coverZone(decodeZone(big.geometry));
    expect(cover).toContain(coarse);
    index.put(big, cover);
    // Within the TTL of the coarse cell: the memo answers, as the cell itself would.
    clock.advance(29_000);
    expect(await holding(matcher, b.lat, b.lon)).toEqual([]);
    expect(index.reads).toBe(reads);
    expect(matcher.stats.memoHits).toBeGreaterThan(0);
    // t0 + 60.1 s: the coarse cell is stale, so B's memo is too (though B's fine cells are not).
    clock.advance(1_100);
    expect(await holding(matcher, b.lat, b.lon)).toEqual(["big"]);
    expect(index.reads).toBe(reads + 1);
  });

  it("answers like the index read afresh, pass after pass, as cells expire and are read again (property)", async () => {
    const index = memoryCellIndex();
    const zones: IndexedZone[] = [];
    for (let i = 0; i < 40; i++) {
      const z = zoneOf(`z${i}`, {
        type: "Circle",
        center: {
          lat: AREA.lat + ((i % 7) - 3) * 0.004,
          lon: AREA.lon + (Math.floor(i / 7) - 3) * 0.006,
        },
        radiusM: 60 + 40 * (i % 9),
      } as ZoneGeometry);
      zones.push(z);
      index.put(z, coverZone(decodeZone(z.geometry)));
    }
    const compiled = zones.map((z) => compileZone(decodeZone(z.geometry)));
    const truth = (lat: number, lon: number) =>
      zones
        .filter((_, i) => compiled[i]?.contains(lat, lon))
        .map((z) => z.zoneId)
        .sort();
    const point = fc.record({
      lat: fc.double({ min: AREA.lat - 0.02, max: AREA.lat + 0.02, noNaN: true }),
      lon: fc.double({ min: AREA.lon - 0.03, max: AREA.lon + 0.03, noNaN: true }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(point, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(11), fc.integer({ min: 0, max: 45_000 }), fc.boolean()), {
          minLength: 1,
          maxLength: 40,
        }),
        async (points, steps) => {
          const { matcher, clock } = matcherOn(index);
          for (const [which, advance, batch] of steps) {
            clock.advance(advance);
            const p = points[which % points.length] as { lat: number; lon: number };
            if (batch) {
              const [list] = await matcher.candidates([p]);
              const got = (list ?? [])
                .filter((m) => m.compiled.contains(p.lat, p.lon))
                .map((m) => m.zone.zoneId)
                .sort();
              expect(got).toEqual(truth(p.lat, p.lon));
            } else expect(await holding(matcher, p.lat, p.lon)).toEqual(truth(p.lat, p.lon));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("keys a memo by the finest cell only: every point of that cell shares it, correctly", async () => {
    const index = memoryCellIndex();
    const fine = cellsForPoint(AREA.lat, AREA.lon)[4] as string;
    // A zone whose edge crosses the fine cell: points of one cell get different answers.
    const z = zoneOf("edge", {
      type: "Circle",
      center: { lat: AREA.lat, lon: AREA.lon + 0.0012 },
      radiusM: 90,
    } as ZoneGeometry);
    index.put(z, coverZone(decodeZone(z.geometry)));
    const { matcher } = matcherOn(index);
    const c = compileZone(decodeZone(z.geometry));
    let inside = 0;
    let outside = 0;
    for (let i = 0; i < 400; i++) {
      const lat = AREA.lat + ((i % 20) - 10) * 0.000015;
      const lon = AREA.lon + (Math.floor(i / 20) - 10) * 0.00002;
      if (cellsForPoint(lat, lon)[4] !== fine) continue;
      const want = c.contains(lat, lon) ? ["edge"] : [];
      if (want.length) inside++;
      else outside++;
      expect(await holding(matcher, lat, lon)).toEqual(want);
    }
    expect(cellToParent(fine, 10)).toBe(cellsForPoint(AREA.lat, AREA.lon)[3]);
    expect(cellToChildren(fine, 11)).toEqual([fine]);
    expect(inside + outside).toBeGreaterThan(3);
  });
});
