/**
 * Seeded randomness for the benchmarks: every data set (geofences, pings, trajectories) is a
 * pure function of a seed and an index, so sizes are prefixes of one another and any run can be
 * reproduced exactly.
 */

/** Random numbers in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32: a tiny, fast PRNG with good enough statistics for workload generation. Seeded
 * explicitly so nothing depends on `Math.random`.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mixes a seed, a stream tag and an index into one 32-bit seed, so item `i` of a stream is
 * generated independently of how many items are generated (sizes nest as prefixes).
 */
export function itemSeed(seed: number, stream: number, index: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (index >>> 0), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A value between `min` and `max` whose logarithm is uniform (many small, few large). */
export function logUniform(rnd: Rng, min: number, max: number): number {
  return min * (max / min) ** rnd();
}

/** An integer in [min, max]. */
export function intBetween(rnd: Rng, min: number, max: number): number {
  return min + Math.floor(rnd() * (max - min + 1));
}
