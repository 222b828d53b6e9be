/**
 * Accelerated stochastic sampler (Li, Huang, Efimov, Wei, Chi, Chen 2024, eq. (3)); ALGORITHMS.md §5.
 *
 *   y⁺ = y + √((1 − α_t)/2) z,   y' = (y⁺ + (1 − α_t) s_t(y⁺) + √((1 − α_t)/2) z⁺) / √α_t,   z, z⁺ ~ N(0, I).
 *
 * One score evaluation per step (at the current level, at the noised midpoint y⁺).
 */
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Accelerated stochastic sampler (registry name `accel-stoch`). Default grid: linear, sub-sampled. */
export const accelStoch = defineSampler({
  name: 'accel-stoch',
  title: 'Accelerated stochastic sampler (1 evaluation per step)',
  reference: 'Li, Huang, Efimov, Wei, Chi, Chen 2024, eq. (3); ALGORITHMS.md §5',
  cost: () => fixedCost('accel-stoch', 1),
  defaultGrid: () => ({ schedule: 'linear', options: { spacing: 'trailing' } }),
  createStepper: () => ({
    step: (y, { a, alpha, score, rng }) => {
      const noiseScale = Math.sqrt((1 - alpha) / 2);
      // Each update is one pass, bit for bit the tfjs ops it replaces (Rng.noisyUpdate).
      // (1) y⁺ = y + √((1 − α)/2) z
      const yPlus = rng.noisyUpdate(y, { noiseScale });
      try {
        // (2) y' = (y⁺ + (1 − α) s_t(y⁺) + √((1 − α)/2) z⁺) / √α
        const s = score(yPlus, a);
        try {
          return rng.noisyUpdate(yPlus, {
            drift: s,
            driftScale: 1 - alpha,
            divisor: Math.sqrt(alpha),
            divide: 'after-noise',
            noiseScale,
          });
        } finally {
          s.dispose();
        }
      } finally {
        yPlus.dispose();
      }
    },
  }),
});
