/**
 * Score-only MALA (ALGORITHMS.md §4): MALA for a target known only through its gradient. The log-density difference
 * log π(x') − log π(x) in the Metropolis–Hastings ratio is replaced by the line integral of ∇log π along the segment
 * x → x', by a quadrature rule:
 *   trapezoid (default):  ⟨x' − x, (g(x) + g(x')) / 2⟩                      (one gradient per step)
 *   simpson:              ⟨x' − x, (g(x) + 4 g((x + x')/2) + g(x')) / 6⟩   (two: the midpoint costs one more)
 * The trapezoid rule is exact when log π is quadratic (the gradient is affine along the segment), Simpson's when it is
 * quartic; so the quadratic part of an RTK subproblem is always exact. Elsewhere the ratio carries the quadrature
 * error, O(‖x' − x‖³ · sup ‖∇³log π‖) for the trapezoid rule, and the chain's stationary law is close to π, not π.
 * With the trapezoid rule the log ratio reduces to −(τ/4)(‖g(x')‖² − ‖g(x)‖²).
 */
import { type Rng, type Tensor1D, type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import { drawLangevinProposal, langevinLogProposal } from './langevin.js';
import { metropolisDecision } from './metropolis.js';
import { checkStepSize, stepSizeTensor } from './step-size.js';
import { checkPosition, gradAt } from './target.js';
import { disposeTensors, nonFiniteRows, readScalars, selectRows, tidy } from './tensors.js';
import type { Evaluations, Kernel, KernelState, MetropolisInfo, StepSize, Target } from './types.js';

/** Quadrature rule of the line integral. */
export type LineIntegralRule = 'trapezoid' | 'simpson';

/** State of {@link malaScoreOnly}: positions and the gradient there. */
export interface MalaScoreOnlyState extends KernelState {
  readonly x: Tensor2D;
  /** ∇ log π(x), [n, d]. */
  readonly grad: Tensor2D;
}

/** Diagnostics of a {@link malaScoreOnly} step. */
export type MalaScoreOnlyInfo = MetropolisInfo;

/** Options of {@link malaScoreOnly}. */
export interface MalaScoreOnlyOptions {
  /** τ > 0: one number, or one per chain. */
  readonly stepSize: StepSize;
  /** Quadrature of the line integral; default `'trapezoid'`. */
  readonly rule?: LineIntegralRule;
}

const INIT: Evaluations = Object.freeze({ grad: 1, logDensity: 0 });
const PER_STEP: Record<LineIntegralRule, Evaluations> = {
  trapezoid: Object.freeze({ grad: 1, logDensity: 0 }),
  simpson: Object.freeze({ grad: 2, logDensity: 0 }),
};

/**
 * Estimate of log π(x') − log π(x) by the line integral of the gradient along x → x', row by row: [n].
 * `gradMidpoint` (the gradient at (x + x')/2) is used by the Simpson rule only.
 */
export function lineIntegral(
  x: Tensor2D,
  grad: Tensor2D,
  proposal: Tensor2D,
  gradProposal: Tensor2D,
  gradMidpoint?: Tensor2D,
): Tensor1D {
  return tf.tidy(() => {
    const average =
      gradMidpoint === undefined
        ? tf.mul(tf.add(grad, gradProposal), 0.5)
        : tf.div(tf.add(tf.add(grad, gradProposal), tf.mul(gradMidpoint, 4)), 6);
    return tf.sum(tf.mul(tf.sub(proposal, x), average), 1);
  });
}

/** MALA whose accept/reject step needs only ∇log π (the log-density difference is a line integral of it). */
export function malaScoreOnly(options: MalaScoreOnlyOptions): Kernel<MalaScoreOnlyState, MalaScoreOnlyInfo> {
  const name = 'mala-score-only';
  const stepSize = checkStepSize(name, options?.stepSize);
  const rule = options.rule ?? 'trapezoid';
  if (rule !== 'trapezoid' && rule !== 'simpson') {
    throw new ValidationError(`${name}: rule must be 'trapezoid' or 'simpson', got ${String(rule)}`, {
      rule,
    });
  }
  const perStep = PER_STEP[rule];
  return {
    name,
    evaluationsPerInit: INIT,
    evaluationsPerStep: perStep,
    needsLogDensity: false,
    init(x: Tensor2D, target: Target): { state: MalaScoreOnlyState; evaluations: Evaluations } {
      checkPosition(name, x, target);
      return { state: tidy(() => ({ x: tf.clone(x), grad: gradAt(target, x) })), evaluations: INIT };
    },
    step(
      state: MalaScoreOnlyState,
      target: Target,
      rng: Rng,
    ): { state: MalaScoreOnlyState; info: MalaScoreOnlyInfo } {
      const [n] = checkPosition(name, state.x, target, 'state.x').shape;
      return tidy(() => {
        const tau = stepSizeTensor(name, stepSize, n);
        const x = drawLangevinProposal(state.x, state.grad, stepSize, tau, rng.fork('proposal'));
        const grad = gradAt(target, x);
        const midpoint =
          rule === 'simpson' ? gradAt(target, tf.mul(tf.add(state.x, x), 0.5) as Tensor2D) : undefined;
        // log ratio = [log π(x') − log π(x)]_line integral + log q(x|x') − log q(x'|x)
        const logRatio = tf.add(
          lineIntegral(state.x, state.grad, x, grad, midpoint),
          tf.sub(
            langevinLogProposal(state.x, x, grad, tau),
            langevinLogProposal(x, state.x, state.grad, tau),
          ),
        ) as Tensor1D;
        const { acceptance, accepted } = metropolisDecision(logRatio, rng.fork('accept').uniform([n]));
        const next: MalaScoreOnlyState = {
          x: selectRows(accepted, x, state.x),
          grad: selectRows(accepted, grad, state.grad),
        };
        const [meanAcceptance, divergences] = readScalars([tf.mean(acceptance), nonFiniteRows(next.x)]);
        return {
          state: next,
          info: {
            evaluations: perStep,
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
