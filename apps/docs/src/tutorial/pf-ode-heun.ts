/**
 * Probability-flow ODE, Heun's method (the tutorial's new sampler; in the package it would be
 * packages/samplers/src/pf-ode-heun.ts, importing `./grid.js` and `./sampler.js` instead of the package entry).
 * Reference: Karras, Aittala, Aila, Laine 2022, "Elucidating the Design Space of Diffusion-Based Generative Models",
 * Algorithm 1 (arXiv:2206.00364). ALGORITHMS.md has no Heun step; it gives the Euler step of pf-ode.ts (§5), which
 * the predictor below is.
 *
 * In OU time t (a = e^{−2t}), the reverse probability-flow ODE is dx/d(−t) = f(x, a) = x + s(x, a). A step from a to
 * a' has length h = −½ ln α, α = a / a'. Heun (explicit trapezoid, second order):
 *   x̃ = x + h f(x, a);   x' = x + (h/2) (f(x, a) + f(x̃, a')).
 * Two score evaluations per step.
 */
import { defineSampler, fixedCost } from '@rtk-diffusion/samplers';
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';

/** Probability-flow ODE, Heun (registry name `pf-ode-heun`). Default grid: OU-uniform. */
export const pfOdeHeun = defineSampler({
  name: 'pf-ode-heun',
  title: 'Probability-flow ODE (Heun, 2 evaluations per step)',
  reference: 'Karras, Aittala, Aila, Laine 2022, Algorithm 1 (Heun step), arXiv:2206.00364',
  cost: () => fixedCost('pf-ode-heun', 2),
  defaultGrid: () => 'ouUniform',
  createStepper: () => ({
    step: (x, { a, aNext, alpha, score }) =>
      tf.tidy((): Tensor2D => {
        const h = -0.5 * Math.log(alpha);
        // (1) f(x, a) = x + s(x, a); Euler predictor x̃ = x + h f(x, a)
        const drift = tf.add(x, score(x, a));
        const predictor = tf.add(x, tf.mul(drift, h)) as Tensor2D;
        // (2) corrector: x' = x + (h/2) (f(x, a) + f(x̃, a'))
        const driftNext = tf.add(predictor, score(predictor, aNext));
        return tf.add(x, tf.mul(tf.add(drift, driftNext), h / 2)) as Tensor2D;
      }),
  }),
});
