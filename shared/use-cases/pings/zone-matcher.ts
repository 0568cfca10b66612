import type { IndexedZone } from "../../adapters/dynamo/geo-index-port.ts";
import type { CompiledZone } from "../../domain/geometry/types.ts";
import type { Clock } from "../../ports.ts";

/** A zone ready for exact tests. */
export interface MatchedZone {
  zone: IndexedZone;
  compiled: CompiledZone;
}

export interface ZoneMatcherDeps {
  /** Batched cell reads from the geofence index. */
  getCells(cells: string[]): Promise<Map<string, IndexedZone[]>>;
  /** Committed zone heads by id (for zones a device is in whose cells a ping did not touch). */
  getHeads(zoneIds: string[]): Promise<Map<string, IndexedZone>>;
  /** The ping's cell at every index resolution. */
  cellsForPoint(lat: number, lon: number): string[];
  /** Prepares an encoded geometry for exact tests. */
  compile(encodedGeometry: string): CompiledZone;
  clock: Clock;
  /** How long a cached cell may be served (bounded staleness of catalog edits). */
  ttlMs: number;
  /** Bound on cached cells; the oldest are evicted first. */
  maxCells: number;
}

interface CellEntry {
  zones: MatchedZone[];
  fetchedAt: number;
}

const NO_ZONES: MatchedZone[] = [];

/**
 * Finds the zones a batch of points may be inside: H3 cell lookups served from a bounded,
 * per-instance cache (negative entries included) with all misses of a batch fetched in one
 * batched round, then de-duplicated by zone (newest version wins). A warm batch in no zone costs
 * no database request.
 */
export class ZoneMatcher {
  private readonly cells = new Map<string, CellEntry>();
  private readonly compiled = new Map<string, CompiledZone>();
  private readonly heads = new Map<string, { zone: MatchedZone | undefined; fetchedAt: number }>();

  constructor(private readonly deps: ZoneMatcherDeps) {}

  /** Number of cells currently cached (for metrics and tests). */
  get cachedCells(): number {
    return this.cells.size;
  }

  private compileZone(zone: IndexedZone): MatchedZone {
    const key = `${zone.zoneId}@${zone.version}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = this.deps.compile(zone.geometry);
      if (this.compiled.size >= this.deps.maxCells) {
        const oldest = this.compiled.keys().next().value;
        if (oldest !== undefined) this.compiled.delete(oldest);
      }
      this.compiled.set(key, compiled);
    }
    return { zone, compiled };
  }

  private fresh(entry: { fetchedAt: number } | undefined, now: number): boolean {
    return entry !== undefined && now - entry.fetchedAt < this.deps.ttlMs;
  }

  private remember(cell: string, zones: IndexedZone[], now: number) {
    if (this.cells.has(cell)) this.cells.delete(cell);
    else if (this.cells.size >= this.deps.maxCells) {
      const oldest = this.cells.keys().next().value;
      if (oldest !== undefined) this.cells.delete(oldest);
    }
    this.cells.set(cell, {
      zones: zones.length === 0 ? NO_ZONES : zones.map((z) => this.compileZone(z)),
      fetchedAt: now,
    });
  }

  /**
   * Candidate zones per point (zones whose cover holds the point's cell), fetched in one batched
   * round for every cache miss in the batch.
   */
  async candidates(points: readonly { lat: number; lon: number }[]): Promise<MatchedZone[][]> {
    const now = this.deps.clock.now();
    const cellsPerPoint = points.map((p) => this.deps.cellsForPoint(p.lat, p.lon));
    const misses = new Set<string>();
    for (const cells of cellsPerPoint) {
      for (const cell of cells) {
        if (!this.fresh(this.cells.get(cell), now)) misses.add(cell);
      }
    }
    if (misses.size > 0) {
      const fetched = await this.deps.getCells([...misses]);
      for (const cell of misses) this.remember(cell, fetched.get(cell) ?? [], now);
    }
    return cellsPerPoint.map((cells) => {
      let best: Map<string, MatchedZone> | undefined;
      for (const cell of cells) {
        const entry = this.cells.get(cell);
        if (!entry || entry.zones.length === 0) continue;
        best ??= new Map();
        for (const candidate of entry.zones) {
          const seen = best.get(candidate.zone.zoneId);
          if (!seen || seen.zone.version < candidate.zone.version) {
            best.set(candidate.zone.zoneId, candidate);
          }
        }
      }
      return best ? [...best.values()] : NO_ZONES;
    });
  }

  /**
   * Zones by id for visits a device has open whose zone no ping of the batch touched (to measure
   * how far outside it the device now is). Deleted zones come back absent.
   */
  async zonesById(zoneIds: readonly string[]): Promise<Map<string, MatchedZone>> {
    const now = this.deps.clock.now();
    const found = new Map<string, MatchedZone>();
    const missing: string[] = [];
    for (const id of new Set(zoneIds)) {
      const cached = this.heads.get(id);
      if (this.fresh(cached, now)) {
        if (cached?.zone) found.set(id, cached.zone);
      } else missing.push(id);
    }
    if (missing.length > 0) {
      const heads = await this.deps.getHeads(missing);
      for (const id of missing) {
        const head = heads.get(id);
        const zone = head ? this.compileZone(head) : undefined;
        this.heads.set(id, { zone, fetchedAt: now });
        if (zone) found.set(id, zone);
      }
    }
    return found;
  }

  /** Drops every cached entry (tests, or after a catalog change in the same instance). */
  clear(): void {
    this.cells.clear();
    this.heads.clear();
  }
}
