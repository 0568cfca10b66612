import { describe, expect, it } from "vitest";
import type { IndexedZone } from "../../../shared/adapters/dynamo/geo-index-port.ts";
import { coverZone } from "../../../shared/domain/geometry/cover.ts";
import {
  compileZone,
  decodeZone,
  encodeZone,
  normalizeZoneGeometry,
  parseZoneGeometry,
} from "../../../shared/domain/geometry/index.ts";
import { MAX_PINGS_PER_BATCH } from "../../../shared/domain/ping.ts";
import { ZoneMatcher } from "../../../shared/use-cases/pings/zone-matcher.ts";
import {
  CITY,
  type Fence,
  type FenceRegion,
  inHole,
  manualClock,
  mayHold,
  memoryCellIndex,
  mulberry32,
  oracleInside,
  pointNear,
  randomFence,
  wrapLon,
} from "../../support/pings.ts";

/** Fixed seed: the catalog and the pings are the same on every run. */
const SEED = 20_250_604;
const FENCES = 1_200;
const PINGS = 8_000;
const REGIONS: FenceRegion[] = ["world", "antimeridian", "polar", "city"];

/** Points every index must get right: poles, both names of the antimeridian, the origin. */
const SPECIAL_POINTS = [
  { lat: 90, lon: 0 },
  { lat: -90, lon: 0 },
  { lat: 89.99999, lon: 179.99999 },
  { lat: 0, lon: 180 },
  { lat: 0, lon: -180 },
  { lat: 45, lon: 180 },
  { lat: -45, lon: -180 },
  { lat: 0, lon: 0 },
];

interface Ping {
  lat: number;
  lon: number;
}

let catalog: ReturnType<typeof indexCatalog> | undefined;
/** The catalog is indexed once and shared by the tests (covering 1,200 zones takes seconds). */
function buildCatalog() {
  catalog ??= indexCatalog();
  return catalog;
}

function indexCatalog() {
  const rnd = mulberry32(SEED);
  const fences: Fence[] = [];
  for (let i = 0; i < FENCES; i++) {
    fences.push(randomFence(rnd, `z${String(i).padStart(4, "0")}`, REGIONS[i % 4] as FenceRegion));
  }
  const index = memoryCellIndex();
  for (const fence of fences) {
    // The catalog's path: validate, normalise to RFC 7946, encode; the index covers the decoded form.
    const valid = parseZoneGeometry(fence.geometry, {
      minRadiusM: 5,
      maxRadiusM: 5000,
      path: "zone",
    });
    const encoded = encodeZone(normalizeZoneGeometry(valid));
    const decoded = decodeZone(encoded);
    const zone: IndexedZone = {
      zoneId: fence.id,
      version: 1,
      kind: fence.region === "city" ? "footprint" : "trigger",
      merchantId: "m-1",
      storeId: `s-${fence.id}`,
      geometry: encoded,
      characteristicRadiusM: compileZone(decoded).characteristicRadiusM,
      dwellSeconds: 0,
    };
    index.put(zone, coverZone(decoded));
  }
  return { fences, index, byId: new Map(fences.map((f) => [f.id, f])) };
}

function buildPings(fences: Fence[]): Ping[] {
  const rnd = mulberry32(SEED + 1);
  const pings: Ping[] = [...SPECIAL_POINTS];
  while (pings.length < PINGS) {
    const roll = rnd();
    if (roll < 0.8) {
      const fence = fences[Math.floor(rnd() * fences.length)] as Fence;
      pings.push(pointNear(rnd, fence));
    } else if (roll < 0.93) {
      // Anywhere in the city, where zones overlap and nest.
      pings.push({
        lat: CITY.lat + (rnd() - 0.5) * 0.14,
        lon: CITY.lon + (rnd() - 0.5) * 0.2,
      });
    } else {
      pings.push({
        lat: (Math.asin(2 * rnd() - 1) * 180) / Math.PI,
        lon: wrapLon(rnd() * 360 - 180),
      });
    }
  }
  return pings;
}

describe("zone matching against a brute-force oracle", () => {
  it(`matches the oracle exactly for ${PINGS} pings over ${FENCES} geofences (seed ${SEED})`, async () => {
    const { fences, index, byId } = buildCatalog();
    const pings = buildPings(fences);
    const clock = manualClock(Date.UTC(2025, 5, 4));
    const matcher = new ZoneMatcher({
      getCells: (cells) => index.getCells(cells),
      getHeads: async () => new Map(),
      clock,
      ttlMs: 60_000,
      budgetBytes: 64 * 1024 * 1024,
    });

    const mismatches: string[] = [];
    const stats = {
      judged: 0,
      excluded: 0,
      hits: 0,
      multiHits: 0,
      holeMisses: 0,
      poleHits: 0,
      antimeridianPolygonHits: 0,
      polarPolygonHits: 0,
      byRegion: { world: 0, antimeridian: 0, polar: 0, city: 0 } as Record<FenceRegion, number>,
      candidateChecks: 0,
    };
    let batches = 0;
    for (let start = 0; start < pings.length; start += MAX_PINGS_PER_BATCH) {
      const batch = pings.slice(start, start + MAX_PINGS_PER_BATCH);
      const readsBefore = index.reads;
      const candidates = await matcher.candidates(batch);
      batches++;
      // All cache misses of a batch come in one batched read.
      expect(index.reads - readsBefore).toBeLessThanOrEqual(1);
      batch.forEach((ping, i) => {
        const expected = new Set<string>();
        let excluded = false;
        for (const fence of fences) {
          if (!mayHold(fence, ping.lat, ping.lon)) continue;
          const verdict = oracleInside(fence, ping.lat, ping.lon);
          if (verdict === undefined) excluded = true;
          else if (verdict) expected.add(fence.id);
          else if (inHole(fence, ping.lat, ping.lon)) stats.holeMisses++;
        }
        if (excluded) {
          stats.excluded++;
          return;
        }
        const list = candidates[i] ?? [];
        stats.candidateChecks += list.length;
        const got = new Set(
          list.filter((c) => c.compiled.contains(ping.lat, ping.lon)).map((c) => c.zone.zoneId),
        );
        stats.judged++;
        const missing = [...expected].filter((id) => !got.has(id));
        const extra = [...got].filter((id) => !expected.has(id));
        if (missing.length > 0 || extra.length > 0) {
          mismatches.push(
            `ping ${ping.lat},${ping.lon}: missing [${missing}] extra [${extra}] ` +
              `(${[...missing, ...extra].map((id) => JSON.stringify(byId.get(id)?.geometry)).join(" | ")})`,
          );
        }
        if (expected.size > 0) stats.hits++;
        if (expected.size > 1) stats.multiHits++;
        for (const id of expected) {
          const fence = byId.get(id) as Fence;
          stats.byRegion[fence.region]++;
          if (fence.holdsPole) stats.poleHits++;
          if (fence.rings && fence.crossesAntimeridian) stats.antimeridianPolygonHits++;
          if (fence.rings && fence.region === "polar") stats.polarPolygonHits++;
        }
      });
    }

    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(mismatches).toHaveLength(0);
    // The run is meaningful: thousands judged, many hits of every kind.
    expect(stats.judged).toBeGreaterThanOrEqual(5_000);
    // Only pings hugging an edge within 5 cm are left unjudged (edge-hugging pings are a third).
    expect(stats.excluded).toBeLessThan(PINGS * 0.025);
    expect(stats.hits).toBeGreaterThan(stats.judged * 0.4);
    expect(stats.multiHits).toBeGreaterThan(200);
    expect(stats.holeMisses).toBeGreaterThan(50);
    expect(stats.poleHits).toBeGreaterThan(10);
    expect(stats.antimeridianPolygonHits).toBeGreaterThan(150);
    expect(stats.polarPolygonHits).toBeGreaterThan(50);
    for (const region of REGIONS) expect(stats.byRegion[region], region).toBeGreaterThan(300);
    // The cover is a filter: far fewer candidates than zones per ping.
    expect(stats.candidateChecks / stats.judged).toBeLessThan(20);
    expect(index.reads).toBeLessThanOrEqual(batches);
  });

  it("answers a second pass from the warm cache with no read and the same candidates", async () => {
    const { fences, index } = buildCatalog();
    const pings = buildPings(fences).slice(0, 1_000);
    const matcher = new ZoneMatcher({
      getCells: (cells) => index.getCells(cells),
      getHeads: async () => new Map(),
      clock: manualClock(Date.UTC(2025, 5, 4)),
      ttlMs: 60_000,
      budgetBytes: 64 * 1024 * 1024,
    });
    const ids = (lists: { zone: IndexedZone }[][]) =>
      lists.map((l) => l.map((c) => c.zone.zoneId).sort());
    const first: string[][] = [];
    for (let s = 0; s < pings.length; s += 100) {
      first.push(...ids(await matcher.candidates(pings.slice(s, s + 100))));
    }
    const reads = index.reads;
    const second: string[][] = [];
    for (let s = 0; s < pings.length; s += 100) {
      second.push(...ids(await matcher.candidates(pings.slice(s, s + 100))));
    }
    expect(index.reads).toBe(reads);
    expect(second).toEqual(first);
    expect(first.filter((l) => l.length > 0).length).toBeGreaterThan(500);
  });
});
