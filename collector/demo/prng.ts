/**
 * Deterministic pseudo-random numbers for the demo scenario. Streams are derived from a seed plus labels
 * (cluster, window start, purpose) rather than drawn from one global sequence, so generating window N
 * does not depend on having generated windows 0..N-1: backfill and live mode may run windows in any
 * order, concurrently, and still print the same lines for the same seed and start time.
 */

/** FNV-1a over the UTF-16 code units, then a murmur3 finaliser so nearby labels give unrelated seeds. */
export function hashToUint32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `probability`. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Index chosen with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number;
  /** Exponentially distributed with the given mean (inter-arrival times, sizes with a long tail). */
  exponential(mean: number): number;
  /** Log-normal around `median`: multiplicative noise for byte counts. */
  logNormal(median: number, sigma: number): number;
}

/** mulberry32: 32-bit state is plenty for a demo, and it is fast and allocation-free in V8. */
export function createPrng(seed: number | string, ...labels: readonly (string | number)[]): Prng {
  let state = hashToUint32([String(seed), ...labels.map(String)].join('\u0000'));
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weightedIndex(weights) {
      let total = 0;
      for (const weight of weights) total += weight;
      let target = next() * total;
      for (let i = 0; i < weights.length; i++) {
        target -= weights[i] ?? 0;
        if (target < 0) return i;
      }
      return weights.length - 1;
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    logNormal(median, sigma) {
      // Box-Muller; 1 - next() keeps the logarithm finite.
      const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * gaussian);
    },
  };
}
