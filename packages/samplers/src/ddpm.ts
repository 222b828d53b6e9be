/**
 * DDPM, ancestral sampling (Ho, Jain & Abbeel 2020) in the seeds' form; ALGORITHMS.md §5 "DDPM".
 *
 *   x' = (x + β s(x, a)) / √α + σ z,   α = a / a', β = 1 − α,
 *   σ² = β / α (seed form, default) or β (1 − a') / (1 − a) (Ho et al.'s posterior variance, `variance: 'posterior'`).
 *
 * One score evaluation per step.
 */
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Options of {@link ddpm}. */
export interface DdpmOptions {
  /** The noise variance of a step: `'seed'` β/α (default) or `'posterior'` β(1 − a')/(1 − a). */
  readonly variance: 'seed' | 'posterior';
}

/** DDPM ancestral sampler (registry name `ddpm`). Default grid: the DDPM linear schedule, sub-sampled. */
export const ddpm = defineSampler<DdpmOptions>({
  name: 'ddpm',
  title: 'DDPM ancestral sampling',
  reference: 'Ho, Jain, Abbeel 2020; ALGORITHMS.md §5',
  cost: () => fixedCost('ddpm', 1),
  defaultGrid: () => ({ schedule: 'linear', options: { spacing: 'trailing' } }),
  createStepper: (options) => ({
    step: (x, { a, aNext, alpha, score, rng }) => {
      const beta = 1 - alpha;
      const variance = options.variance === 'posterior' ? (beta * (1 - aNext)) / (1 - a) : beta / alpha;
      // (1) score at the current level
      const s = score(x, a);
      try {
        // (2) mean (x + β s) / √α, (3) plus noise σ z: one pass, bit for bit the tfjs ops
        // tf.add(tf.div(tf.add(x, tf.mul(s, β)), √α), tf.mul(normal(), σ)) (Rng.noisyUpdate)
        return rng.noisyUpdate(x, {
          drift: s,
          driftScale: beta,
          divisor: Math.sqrt(alpha),
          divide: 'before-noise',
          noiseScale: Math.sqrt(variance),
        });
      } finally {
        s.dispose();
      }
    },
  }),
});
