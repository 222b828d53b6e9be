/**
 * Accelerated deterministic sampler (Li, Huang, Efimov, Wei, Chi, Chen 2024, eq. (2)); ALGORITHMS.md §5.
 *
 * At level t (signal a_t) with α_t = a_t / a_{t−1} for the step into level t−1 and α_{t+1} = a_{t+1} / a_t for the
 * previous (noisier) step:
 *   y⁻ = √α_{t+1} (y − (1 − α_{t+1})/2 · s_t(y))                                   (estimate of Y_{t+1})
 *   y' = (y + (1 − α_t)/2 · s_t(y) + (1 − α_t)² / (4 (1 − α_{t+1})) · (s_t(y) − √α_{t+1} s_{t+1}(y⁻))) / √α_t
 * Two score evaluations per step; the first step (no t+1) is a plain probability-flow step (one evaluation).
 */
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Accelerated deterministic sampler (registry name `accel-det`). Default grid: linear, sub-sampled. */
export const accelDet = defineSampler({
  name: 'accel-det',
  title: 'Accelerated deterministic sampler (2 evaluations per step)',
  reference: 'Li, Huang, Efimov, Wei, Chi, Chen 2024, eq. (2); ALGORITHMS.md §5',
  cost: () => fixedCost('accel-det', 2, 1),
  defaultGrid: () => ({ schedule: 'linear', options: { spacing: 'trailing' } }),
  createStepper: () => ({
    step: (y, { step, grid, a, alpha, score }) =>
      tf.tidy((): Tensor2D => {
        // (1) s_t(y) and the probability-flow part (y + (1 − α_t)/2 s_t) / √α_t
        const s = score(y, a);
        const flow = tf.add(y, tf.mul(s, (1 - alpha) / 2));
        if (step === 0) return tf.div(flow, Math.sqrt(alpha)) as Tensor2D;
        // (2) y⁻ = √α_{t+1} (y − (1 − α_{t+1})/2 s_t(y)), at the previous (noisier) level a_{t+1}
        const alphaPrevious = grid.alphas[step - 1]!;
        const aPrevious = grid.levels[step - 1]!;
        const yMinus = tf.mul(
          tf.sub(y, tf.mul(s, (1 - alphaPrevious) / 2)),
          Math.sqrt(alphaPrevious),
        ) as Tensor2D;
        // (3) momentum (1 − α_t)² / (4 (1 − α_{t+1})) (s_t(y) − √α_{t+1} s_{t+1}(y⁻))
        const sPrevious = score(yMinus, aPrevious);
        const coefficient = (1 - alpha) ** 2 / (4 * (1 - alphaPrevious));
        const momentum = tf.mul(tf.sub(s, tf.mul(sPrevious, Math.sqrt(alphaPrevious))), coefficient);
        // (4) y' = (flow + momentum) / √α_t
        return tf.div(tf.add(flow, momentum), Math.sqrt(alpha)) as Tensor2D;
      }),
  }),
});
