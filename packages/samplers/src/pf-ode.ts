/**
 * Probability-flow ODE, Euler step in the seeds' form (Song et al. 2021); ALGORITHMS.md §5.
 *
 *   x' = (x + (β/2) s(x, a)) / √α,   α = a / a', β = 1 − α.
 *
 * One score evaluation per step; deterministic given the initial noise.
 */
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Probability-flow ODE, Euler (registry name `pf-ode`). Default grid: linear, sub-sampled. */
export const pfOde = defineSampler({
  name: 'pf-ode',
  title: 'Probability-flow ODE (Euler)',
  reference: 'Song, Sohl-Dickstein, Kingma, Kumar, Ermon, Poole 2021; ALGORITHMS.md §5',
  cost: () => fixedCost('pf-ode', 1),
  defaultGrid: () => ({ schedule: 'linear', options: { spacing: 'trailing' } }),
  createStepper: () => ({
    step: (x, { a, alpha, score }) =>
      tf.tidy((): Tensor2D => {
        // (1) score at the current level; (2) x' = (x + (β/2) s) / √α
        const s = score(x, a);
        return tf.div(tf.add(x, tf.mul(s, (1 - alpha) / 2)), Math.sqrt(alpha)) as Tensor2D;
      }),
  }),
});
