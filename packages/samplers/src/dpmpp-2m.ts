/**
 * DPM-Solver++(2M) (Lu, Zhou, Bao, Chen, Li, Zhu 2022, Algorithm 2): multistep, second order, data prediction,
 * steps in half-log-SNR λ = ½ log(a / (1 − a)); ALGORITHMS.md §5.
 *
 * With α_t = √a, σ_t = √(1 − a), x̂0 = (x + (1 − a) s) / √a, h = λ' − λ and r = h_previous / h:
 *   D  = (1 + 1/(2r)) x̂0 − 1/(2r) x̂0_previous   (D = x̂0 on the first step and when h is infinite, a' = 1)
 *   x' = (σ'/σ) x + α' (1 − e^{−h}) D,           e^{−h} = (σ'/σ)(α/α').
 * One score evaluation per step.
 */
import { type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Half log-SNR λ = ½ log(a / (1 − a)) (∞ at a = 1). */
function halfLogSnr(a: number): number {
  return 0.5 * Math.log(a / (1 - a));
}

/** DPM-Solver++(2M) (registry name `dpmpp-2m`). Default grid: uniform in log-SNR. */
export const dpmSolverPP2M = defineSampler({
  name: 'dpmpp-2m',
  title: 'DPM-Solver++(2M), multistep data prediction',
  reference: 'Lu, Zhou, Bao, Chen, Li, Zhu 2022, Algorithm 2; ALGORITHMS.md §5',
  cost: () => fixedCost('dpmpp-2m', 1),
  defaultGrid: () => 'logSnrUniform',
  createStepper: () => {
    let previous: { x0: Tensor2D; h: number } | undefined;
    return {
      step: (x, { a, aNext, score }) => {
        const sigma = Math.sqrt(1 - a);
        const sigmaNext = Math.sqrt(1 - aNext);
        const h = halfLogSnr(aNext) - halfLogSnr(a);
        const decay = (sigmaNext / sigma) * (Math.sqrt(a) / Math.sqrt(aNext)); // e^{−h}
        const x0 = tf.tidy(() => tf.div(tf.add(x, tf.mul(score(x, a), 1 - a)), Math.sqrt(a))) as Tensor2D;
        const next = tf.tidy(() => {
          // (1) D: first order on the first step and onto a' = 1, second order otherwise
          let d: tf.Tensor = x0;
          if (previous !== undefined && Number.isFinite(h)) {
            const r = previous.h / h;
            d = tf.sub(tf.mul(x0, 1 + 1 / (2 * r)), tf.mul(previous.x0, 1 / (2 * r)));
          }
          // (2) x' = (σ'/σ) x + α' (1 − e^{−h}) D
          return tf.add(tf.mul(x, sigmaNext / sigma), tf.mul(d, Math.sqrt(aNext) * (1 - decay)));
        }) as Tensor2D;
        previous?.x0.dispose();
        previous = { x0, h };
        return next;
      },
      dispose: () => {
        previous?.x0.dispose();
        previous = undefined;
      },
    };
  },
});
