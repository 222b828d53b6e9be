/**
 * MALA, the Metropolis-adjusted Langevin algorithm (Roberts & Tweedie 1996; ALGORITHMS.md §4). Propose as ULA,
 *   x' = x + τ ∇log π(x) + sqrt(2τ) ξ,   log q(x'|x) = −‖x' − x − τ ∇log π(x)‖² / (4τ),
 * and accept row by row with probability min(1, π(x') q(x|x') / (π(x) q(x'|x))). Exact for any step size: π is
 * invariant. One gradient and one log-density per step (both cached at the current point).
 */
import { type Rng, type Tensor1D, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { drawLangevinProposal, langevinLogProposal } from './langevin.js';
import { metropolisDecision } from './metropolis.js';
import { checkStepSize, stepSizeTensor } from './step-size.js';
import { checkPosition, gradAt, logDensityAt, requireLogDensity } from './target.js';
import { disposeTensors, nonFiniteRows, readScalars, selectRows, tidy } from './tensors.js';
import type { Evaluations, Kernel, KernelState, MetropolisInfo, StepSize, Target } from './types.js';

/** State of {@link mala}: positions, and the gradient and log-density there. */
export interface MalaState extends KernelState {
  readonly x: Tensor2D;
  /** ∇ log π(x), [n, d]. */
  readonly grad: Tensor2D;
  /** log π(x), [n]. */
  readonly logDensity: Tensor1D;
}

/** Diagnostics of a {@link mala} step. */
export type MalaInfo = MetropolisInfo;

/** Options of {@link mala}. */
export interface MalaOptions {
  /** τ > 0: one number, or one per chain. Aim for a mean acceptance near 0.574 (see `adaptStepSize`). */
  readonly stepSize: StepSize;
}

const EVALUATIONS: Evaluations = Object.freeze({ grad: 1, logDensity: 1 });

/**
 * log of the Metropolis–Hastings ratio of a Langevin proposal x → x':
 * log π(x') − log π(x) + log q(x|x') − log q(x'|x), row by row.
 */
export function malaLogRatio(
  from: { readonly x: Tensor2D; readonly grad: Tensor2D; readonly logDensity: Tensor1D },
  to: { readonly x: Tensor2D; readonly grad: Tensor2D; readonly logDensity: Tensor1D },
  tau: tf.Tensor,
): Tensor1D {
  return tf.tidy(() => {
    const backward = langevinLogProposal(from.x, to.x, to.grad, tau);
    const forward = langevinLogProposal(to.x, from.x, from.grad, tau);
    return tf.add(tf.sub(to.logDensity, from.logDensity), tf.sub(backward, forward));
  });
}

/** The Metropolis-adjusted Langevin algorithm with step size τ; needs `target.logDensity`. */
export function mala(options: MalaOptions): Kernel<MalaState, MalaInfo> {
  const stepSize = checkStepSize('mala', options?.stepSize);
  return {
    name: 'mala',
    evaluationsPerInit: EVALUATIONS,
    evaluationsPerStep: EVALUATIONS,
    needsLogDensity: true,
    init(x: Tensor2D, target: Target): { state: MalaState; evaluations: Evaluations } {
      checkPosition('mala', x, target);
      requireLogDensity('mala', target, 'malaScoreOnly({ stepSize })');
      const state = tidy(() => ({
        x: tf.clone(x),
        grad: gradAt(target, x),
        logDensity: logDensityAt(target, x),
      }));
      return { state, evaluations: EVALUATIONS };
    },
    step(state: MalaState, target: Target, rng: Rng): { state: MalaState; info: MalaInfo } {
      requireLogDensity('mala', target, 'malaScoreOnly({ stepSize })');
      const [n] = checkPosition('mala', state.x, target, 'state.x').shape;
      return tidy(() => {
        const tau = stepSizeTensor('mala', stepSize, n);
        const x = drawLangevinProposal(state.x, state.grad, stepSize, tau, rng.fork('proposal'));
        const proposal = { x, grad: gradAt(target, x), logDensity: logDensityAt(target, x) };
        const logRatio = malaLogRatio(state, proposal, tau);
        const { acceptance, accepted } = metropolisDecision(logRatio, rng.fork('accept').uniform([n]));
        const next: MalaState = {
          x: selectRows(accepted, proposal.x, state.x),
          grad: selectRows(accepted, proposal.grad, state.grad),
          logDensity: selectRows(accepted, proposal.logDensity, state.logDensity),
        };
        const [meanAcceptance, divergences] = readScalars([tf.mean(acceptance), nonFiniteRows(next.x)]);
        return {
          state: next,
          info: {
            evaluations: EVALUATIONS,
            divergences: divergences!,
            acceptance,
            accepted,
            meanAcceptance: meanAcceptance!,
          },
        };
      });
    },
    disposeState: disposeTensors,
  };
}
