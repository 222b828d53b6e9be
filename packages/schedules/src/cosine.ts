/**
 * The cosine schedule (Nichol & Dhariwal 2021, eq. 17; ALGORITHMS.md §2): ā(t) = f(t)/f(0) with
 * f(t) = cos²(((t/N) + s)/(1 + s) · π/2), s = 0.008, and β_t = min(1 − ā(t)/ā(t − 1), 0.999); the grid is the
 * cumulative product of the clipped (1 − β_t).
 */
import { cumulativeLevels, type Spacing, subsampledLevels } from './discrete.js';
import {
  checkKeys,
  checkNumber,
  checkSteps,
  definedOnly,
  type Grid,
  type GridOptions,
  gridFromLevels,
} from './grid.js';

/** Options of {@link cosine}. */
export interface CosineOptions extends GridOptions {
  /** Number of sampling steps K ≥ 1. */
  readonly steps: number;
  /**
   * Length N of the chain the cosine is laid on; default K (the schedule built for exactly K steps, no
   * sub-sampling). Set it (e.g. 1000) to sub-sample a network's training chain with `spacing`.
   */
  readonly trainSteps?: number;
  /** Sub-sampling when `trainSteps` > K; default `'trailing'`. */
  readonly spacing?: Spacing;
  /** The offset s; default 0.008 (Nichol & Dhariwal). */
  readonly offset?: number;
  /** The clip on β_t; default 0.999 (Nichol & Dhariwal), which keeps the noisiest level a_N > 0. */
  readonly maxBeta?: number;
}

/** Nichol & Dhariwal's constants. */
export const COSINE_DEFAULTS: Readonly<{ offset: number; maxBeta: number; spacing: Spacing }> = Object.freeze(
  {
    offset: 0.008,
    maxBeta: 0.999,
    spacing: 'trailing',
  },
);

const KEYS = ['steps', 'trainSteps', 'spacing', 'offset', 'maxBeta', 'allowLargeNoisiest'] as const;

/**
 * The cosine grid. Its last step always has β clipped to 0.999 (f(1) = 0), so a_K = 1e−3 · a_{K−1} ≤ 1e−3.
 *
 * @throws {@link ValidationError} for K < 1, K > `trainSteps`, s ≤ 0 or a clip outside (0, 1).
 * @example
 * cosine({ steps: 10 }).levels; // [2.8e-5, 0.028, …, 0.9755, 1]
 */
export function cosine(options: CosineOptions): Grid {
  checkKeys(options, KEYS, 'cosine');
  const { offset, maxBeta, spacing } = { ...COSINE_DEFAULTS, ...definedOnly(options) };
  const trainSteps = checkSteps(options.trainSteps ?? options.steps, 'cosine (trainSteps)', 1_000_000);
  const steps = checkSteps(options.steps, 'cosine', trainSteps);
  checkNumber(offset, 'offset', 'cosine', { low: 0, high: 1 });
  checkNumber(maxBeta, 'maxBeta', 'cosine', { low: 0, high: 1 });
  const f = (t: number) => Math.cos(((t / trainSteps + offset) / (1 + offset)) * (Math.PI / 2)) ** 2;
  const betas = Array.from({ length: trainSteps }, (_, i) => Math.min(1 - f(i + 1) / f(i), maxBeta));
  return gridFromLevels(subsampledLevels(cumulativeLevels(betas), steps, spacing), 'cosine', options);
}
