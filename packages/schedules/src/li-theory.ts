/**
 * The two-phase schedule of Li, Wei, Chi, Chen (2024), exactly as ALGORITHMS.md §2 writes it, with T = K steps:
 *   β_1 = T^{−c0},   β_t = (c1 log T / T) · min{β_1 (1 + c1 log T / T)^t, 1}   for t = 2 … T,
 * and a_t = ∏_{i≤t} (1 − β_i): exponential growth of β, then flat at c1 log T / T.
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { cumulativeLevels } from './discrete.js';
import { checkKeys, checkNumber, checkSteps, type Grid, type GridOptions, gridFromLevels } from './grid.js';

/** Options of {@link liTheory}. */
export interface LiTheoryOptions extends GridOptions {
  /** Number of steps T = K ≥ 2 (K = 1 would give β_1 = 1, a level of 0). */
  readonly steps: number;
  /** c0 > 0: β_1 = T^{−c0}; default 2. */
  readonly c0?: number;
  /** c1 > 0: the growth rate and plateau c1 log T / T; default 4. */
  readonly c1?: number;
}

/**
 * Defaults of {@link liTheory}: c0 = 2, c1 = 4, for which a_K ≤ 2e−4 for every K from 10 to 1000 (and K = 9 is the
 * smallest K with c1 log K / K < 1). With c1 = 2 the growth phase never ends for small K (K = 10 ends at a_K ≈ 0.51,
 * a `ValidationError`), as ALGORITHMS.md §2 warns.
 */
export const LI_THEORY_DEFAULTS: Readonly<{ c0: number; c1: number }> = Object.freeze({ c0: 2, c1: 4 });

const KEYS = ['steps', 'c0', 'c1', 'allowLargeNoisiest'] as const;

/**
 * The Li et al. theory grid.
 *
 * @throws {@link ValidationError} for K < 2, c0 or c1 not positive and finite, a β_t ≥ 1 (c1 log T / T too large for
 * this K: take more steps or a smaller c1), or a_K > 1e−3 without `allowLargeNoisiest`.
 * @example
 * liTheory({ steps: 20 }).levels[0]; // ≈ 1.8e-4
 */
export function liTheory(options: LiTheoryOptions): Grid {
  checkKeys(options, KEYS, 'liTheory');
  const steps = checkSteps(options.steps, 'liTheory');
  if (steps < 2) {
    throw new ValidationError('liTheory: steps must be at least 2 (with T = 1, β_1 = T^{−c0} = 1)', {
      steps,
    });
  }
  const c0 = options.c0 ?? LI_THEORY_DEFAULTS.c0;
  const c1 = options.c1 ?? LI_THEORY_DEFAULTS.c1;
  checkNumber(c0, 'c0', 'liTheory', { low: 0, high: Number.MAX_VALUE });
  checkNumber(c1, 'c1', 'liTheory', { low: 0, high: Number.MAX_VALUE });
  const horizon = steps;
  const beta1 = horizon ** -c0;
  const rate = (c1 * Math.log(horizon)) / horizon;
  const betas = [beta1];
  for (let t = 2; t <= horizon; t++) betas.push(rate * Math.min(beta1 * (1 + rate) ** t, 1));
  const bad = betas.findIndex((beta) => !(beta > 0 && beta < 1));
  if (bad >= 0) {
    throw new ValidationError(
      `liTheory: β_${bad + 1} = ${betas[bad]} is not in (0, 1) for steps = ${steps}, c0 = ${c0}, c1 = ${c1}; c1 log T / T = ${rate} must stay below 1: take more steps or a smaller c1`,
      { steps, c0, c1, beta: betas[bad], t: bad + 1 },
    );
  }
  const levels = cumulativeLevels(betas).reverse();
  return gridFromLevels(levels, 'liTheory', options);
}
