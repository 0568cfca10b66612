/**
 * The obvious in-process index, for scale: a `Map` from H3 cell string to an array of zone
 * numbers, queried with `cellsForPoint`. Same covers, same exact test as Footfall's compact
 * structure; only the container differs, which is what its heap figure shows.
 */
import { cellsForPoint } from "../../shared/domain/geometry/cover.ts";
import { RESOLUTION_SLOTS } from "./cell-keys.ts";
import type { Covers } from "./cover-store.ts";
import type { Engine } from "./engines.ts";
import type { ZoneStore } from "./zone-store.ts";

const TWO_32 = 4_294_967_296;

/** The H3 string of a cell key (mode 1, resolution of the slot): the inverse of `cellKey`. */
export function keyToCell(slot: number, key: number): string {
  const res = RESOLUTION_SLOTS[slot] as number;
  const high = (0x08000000 | (res << 20) | Math.floor(key / TWO_32)) >>> 0;
  const low = key % TWO_32;
  return high.toString(16) + low.toString(16).padStart(8, "0");
}

/** `Map<string, number[]>` index with the exact test. */
export class NaiveMapEngine implements Engine {
  readonly name = "naiveMap";
  candidatesTested = 0;
  private readonly seen: Uint32Array;
  private stamp = 0;

  private constructor(
    private readonly cells: Map<string, number[]>,
    private readonly store: ZoneStore,
  ) {
    this.seen = new Uint32Array(store.count);
  }

  /** Builds the map from the same covers as the compact index. */
  static build(covers: Covers, store: ZoneStore): NaiveMapEngine {
    const cells = new Map<string, number[]>();
    let at = 0;
    for (let z = 0; z < covers.zones; z++) {
      const end = at + (covers.counts[z] as number);
      for (; at < end; at++) {
        const cell = keyToCell(covers.slots[at] as number, covers.keys[at] as number);
        const list = cells.get(cell);
        if (list) list.push(z);
        else cells.set(cell, [z]);
      }
    }
    return new NaiveMapEngine(cells, store);
  }

  query(lat: number, lon: number, out: number[]): number {
    out.length = 0;
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    for (const cell of cellsForPoint(lat, lon)) {
      const zones = this.cells.get(cell);
      if (!zones) continue;
      for (const z of zones) {
        if (this.seen[z] === this.stamp) continue;
        this.seen[z] = this.stamp;
        this.candidatesTested++;
        if (this.store.contains(z, lat, lon)) out.push(z);
      }
    }
    return out.length;
  }
}
