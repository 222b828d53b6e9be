/**
 * ULA, the unadjusted Langevin algorithm (Roberts & Tweedie 1996; ALGORITHMS.md §4):
 *   x' = x + τ ∇log π(x) + sqrt(2τ) ξ,   ξ ~ N(0, I).
 * One gradient per step (the gradient at x' is cached for the next step). No accept/reject, so it is biased: on a
 * Gaussian N(μ, Σ) with precision P = Σ⁻¹ its stationary law is N(μ, (P (I − τP/2))⁻¹) for τ < 2/λ_max(P).
 */
import { type Rng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { drawLangevinProposal } from './langevin.js';
import { checkStepSize, stepSizeTensor } from './step-size.js';
import { checkPosition, gradAt } from './target.js';
import { disposeTensors, nonFiniteRows, readScalars, tidy } from './tensors.js';
import type { Evaluations, Kernel, KernelInfo, KernelState, StepSize, Target } from './types.js';

/** State of {@link ula}: positions and the gradient there. */
export interface UlaState extends KernelState {
  readonly x: Tensor2D;
  /** ∇ log π(x), [n, d]. */
  readonly grad: Tensor2D;
}

/** Diagnostics of a {@link ula} step. */
export type UlaInfo = KernelInfo;

/** Options of {@link ula}. */
export interface UlaOptions {
  /** τ > 0: one number, or one per chain. */
  readonly stepSize: StepSize;
}

const EVALUATIONS: Evaluations = Object.freeze({ grad: 1, logDensity: 0 });

/** The unadjusted Langevin algorithm with step size τ. */
export function ula(options: UlaOptions): Kernel<UlaState, UlaInfo> {
  const stepSize = checkStepSize('ula', options?.stepSize);
  return {
    name: 'ula',
    evaluationsPerInit: EVALUATIONS,
    evaluationsPerStep: EVALUATIONS,
    needsLogDensity: false,
    init(x: Tensor2D, target: Target): { state: UlaState; evaluations: Evaluations } {
      checkPosition('ula', x, target);
      const state = tidy(() => ({ x: tf.clone(x), grad: gradAt(target, x) }));
      return { state, evaluations: EVALUATIONS };
    },
    step(state: UlaState, target: Target, rng: Rng): { state: UlaState; info: UlaInfo } {
      const [n] = checkPosition('ula', state.x, target, 'state.x').shape;
      return tidy(() => {
        const tau = stepSizeTensor('ula', stepSize, n);
        const x = drawLangevinProposal(state.x, state.grad, stepSize, tau, rng.fork('proposal'));
        const grad = gradAt(target, x);
        const [divergences] = readScalars([nonFiniteRows(x)]);
        return {
          state: { x, grad },
          info: { evaluations: EVALUATIONS, divergences: divergences! },
        };
      });
    },
    disposeState: disposeTensors,
  };
}
