/**
 * A small least-recently-used cache keyed by the signal level a, bounded both in entries and in bytes, for the
 * per-level factorisations of full covariances (ALGORITHMS.md §3: "Cholesky once per level").
 */

/** Default number of levels kept. A sampler revisits the same level (RTK inner steps, multistep solvers), rarely many. */
export const DEFAULT_CACHE_LEVELS = 16;

/** Default byte budget of one cache: 256 MiB (e.g. 10 full 784 × 784 float32 precisions per level ⇒ 10 levels). */
export const DEFAULT_CACHE_BYTES = 2 ** 28;

/** An LRU map from a level to a value of known size. */
export class LevelCache<T> {
  readonly #entries = new Map<number, T>();
  readonly #capacity: number;

  /**
   * @param maxLevels - most levels kept (≥ 1).
   * @param entryBytes - bytes of one entry; the capacity is cut so that entries × entryBytes ≤ maxBytes (at least 1).
   * @param maxBytes - byte budget.
   */
  constructor(maxLevels: number, entryBytes: number, maxBytes: number = DEFAULT_CACHE_BYTES) {
    this.#capacity = Math.max(1, Math.min(maxLevels, Math.floor(maxBytes / Math.max(1, entryBytes))));
  }

  /** How many levels this cache keeps at most. */
  get capacity(): number {
    return this.#capacity;
  }

  /** How many levels it holds now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The value for level `a`, computed by `make` on a miss; evicts the least recently used level when full. */
  get(a: number, make: (a: number) => T): T {
    const hit = this.#entries.get(a);
    if (hit !== undefined) {
      this.#entries.delete(a);
      this.#entries.set(a, hit);
      return hit;
    }
    const value = make(a);
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value as number;
      this.#entries.delete(oldest);
    }
    this.#entries.set(a, value);
    return value;
  }
}
