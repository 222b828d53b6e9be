/**
 * The seeded data loader: epochs of shuffled rows without replacement, a pure function of (rng, step).
 *
 * Example k of the whole stream (k = step · batchSize + i) is row perm_e[k mod n] of epoch e = ⌊k / n⌋, where perm_e
 * orders the rows by the uniform keys of `rng.fork('epoch-e')` (one key per data row, row-keyed). So batch `step` can
 * be recomputed from the step alone: a run resumed from a checkpoint sees the same batches as an uninterrupted one.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { ValidationError } from '@rtk-diffusion/tensor';

/** Draws the row indices of training batches. */
export interface BatchSampler {
  readonly n: number;
  readonly batchSize: number;
  /** The data rows of batch `step` (0-based), as batchSize indices in 0…n − 1. */
  indices(step: number): Int32Array;
}

/** Epoch permutations kept at once (a batch spans at most two epochs when batchSize ≤ n). */
const CACHED_EPOCHS = 2;

/** The permutation of epoch e: rows sorted by their uniform keys (ties by row index). */
export function epochPermutation(n: number, epoch: number, rng: Rng): Int32Array {
  const keys = rng.fork(`epoch-${epoch}`).uniformArray(n, 1);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => keys[i]! - keys[j]! || i - j);
  return order;
}

/**
 * A {@link BatchSampler} over n rows.
 *
 * @throws {@link ValidationError} unless n ≥ 1 and 1 ≤ batchSize ≤ n.
 */
export function createBatchSampler(n: number, batchSize: number, rng: Rng): BatchSampler {
  if (!Number.isInteger(n) || n < 1)
    throw new ValidationError(`createBatchSampler: n must be an integer ≥ 1, got ${n}`, { n });
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n) {
    throw new ValidationError(
      `createBatchSampler: batchSize must be an integer in 1…${n} (the data size), got ${batchSize}`,
      { n, batchSize },
    );
  }
  const cache = new Map<number, Int32Array>();
  const permutation = (epoch: number): Int32Array => {
    let perm = cache.get(epoch);
    if (perm === undefined) {
      perm = epochPermutation(n, epoch, rng);
      cache.set(epoch, perm);
      while (cache.size > CACHED_EPOCHS) cache.delete(cache.keys().next().value as number);
    }
    return perm;
  };
  return {
    n,
    batchSize,
    indices(step: number): Int32Array {
      if (!Number.isSafeInteger(step) || step < 0) {
        throw new ValidationError(`BatchSampler.indices: step must be an integer ≥ 0, got ${step}`, { step });
      }
      const out = new Int32Array(batchSize);
      for (let i = 0; i < batchSize; i++) {
        const k = step * batchSize + i;
        out[i] = permutation(Math.floor(k / n))[k % n]!;
      }
      return out;
    },
  };
}
