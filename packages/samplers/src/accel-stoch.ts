/**
 * Accelerated stochastic sampler (Li, Huang, Efimov, Wei, Chi, Chen 2024, eq. (3)); ALGORITHMS.md §5.
 *
 *   y⁺ = y + √((1 − α_t)/2) z,   y' = (y⁺ + (1 − α_t) s_t(y⁺) + √((1 − α_t)/2) z⁺) / √α_t,   z, z⁺ ~ N(0, I).
 *
 * One score evaluation per step (at the current level, at the noised midpoint y⁺).
 */
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';
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
    step: (y, { a, alpha, score, normal }) =>
      tf.tidy((): Tensor2D => {
        const noiseScale = Math.sqrt((1 - alpha) / 2);
        // (1) y⁺ = y + √((1 − α)/2) z
        const yPlus = tf.add(y, tf.mul(normal(), noiseScale)) as Tensor2D;
        // (2) y' = (y⁺ + (1 − α) s_t(y⁺) + √((1 − α)/2) z⁺) / √α
        const s = score(yPlus, a);
        const drift = tf.add(yPlus, tf.mul(s, 1 - alpha));
        return tf.div(tf.add(drift, tf.mul(normal(), noiseScale)), Math.sqrt(alpha)) as Tensor2D;
      }),
  }),
});
