/**
 * The target of one RTK segment: the reverse transition kernel from y at level a to level a' (r = a / a'),
 * ALGORITHMS.md §5 "RTK":
 *   π(x | y) ∝ p_{a'}(x) · exp(−‖y − √r x‖² / (2 (1 − r))),
 *   ∇ log π(x | y) = s(x, a') + √r (y − √r x) / (1 − r).
 *
 * A Metropolis kernel rejects a proposal whose energy is NaN (a proposal far out where the model overflows is simply
 * rejected), so a model that returns NaN scores at the whole level a' would leave the chains at their start without a
 * sign. The target therefore keeps whether the first score of the segment, the kernel's init at the chains' start,
 * was finite (on the device), and the segment reads that flag once at its end: no cost per inner step.
 */
import { countNfe, type Kernel, run, type Target } from '@rtk-diffusion/mcmc';
import {
  addScaledResidual,
  RtkError,
  residualRowSums,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tf,
} from '@rtk-diffusion/tensor';
import type { StepContext } from './types.js';

/** What one segment's inner run gives. */
export interface TransitionSample {
  /** The chains at level a', [n, d], owned by the caller. */
  readonly x: Tensor2D;
  /** Evaluations of the inner run (kernel init and steps). */
  readonly evaluations: number;
  /** Mean acceptance over steps and chains (Metropolis kernels). */
  readonly acceptance: number | undefined;
  /** The step size of the last inner step, mean over chains, when the kernel adapts it. */
  readonly stepSize: number | undefined;
}

/**
 * Runs `kernel` for `steps` steps on π(x | y) from `x0` (disposed here), with the context's random stream and signal.
 *
 * @throws RtkError `E_NUMERIC` when the model's score at the chains' start is NaN or Inf (or a chain diverges).
 */
export async function sampleTransition(
  kernel: Kernel,
  context: StepContext,
  y: Tensor2D,
  x0: Tensor2D,
  steps: number,
): Promise<TransitionSample> {
  const target = transitionTarget(context, y, context.a / context.aNext);
  let stepSize: number | undefined;
  try {
    const result = await run(kernel, target, x0, {
      steps,
      rng: context.rng,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
      onStep: ({ info }) => {
        stepSize = meanStepSize((info as { stepSize?: unknown }).stepSize);
      },
    });
    if (!target.startScoreFinite()) {
      result.x.dispose();
      throw new RtkError(
        'E_NUMERIC',
        `the model's score is NaN or Inf at the chains' start, level a' = ${context.aNext}`,
      );
    }
    const evaluations = countNfe(result.evaluations);
    return { x: result.x, evaluations, acceptance: result.acceptance?.mean, stepSize };
  } finally {
    x0.dispose();
    target.dispose();
  }
}

/** The mean over chains of an adapted step size (one number, or one per chain); undefined for other kernels. */
function meanStepSize(stepSize: unknown): number | undefined {
  if (typeof stepSize === 'number') return stepSize;
  if (!Array.isArray(stepSize) || stepSize.length === 0) return undefined;
  return stepSize.reduce((s: number, v: number) => s + v, 0) / stepSize.length;
}

/** A segment's target, and whether the score at the chains' start was finite. */
interface TransitionTarget extends Target {
  /** True unless the first score evaluated (at the chains' start) had a NaN or Inf (one read-back). */
  startScoreFinite(): boolean;
  /** Frees the finiteness flag. */
  dispose(): void;
}

/** The transition-kernel target π(x | y) of one segment, with counted evaluations. */
function transitionTarget(context: StepContext, y: Tensor2D, r: number): TransitionTarget {
  const { aNext } = context;
  let finite: Tensor | undefined;
  return {
    dim: context.dim,
    grad: (x) =>
      tf.tidy(() => {
        // ∇ log π(x | y) = s(x, a') + √r (y − √r x) / (1 − r)
        const s = context.score(x, aNext);
        if (finite === undefined) finite = tf.keep(tf.all(tf.isFinite(s)));
        // One fused pass on wasm/cpu, bit for bit the ops below (addScaledResidual of @rtk-diffusion/tensor).
        return (
          addScaledResidual(s, y, x, Math.sqrt(r), Math.sqrt(r) / (1 - r)) ??
          tf.add(s, tf.mul(tf.sub(y, tf.mul(x, Math.sqrt(r))), Math.sqrt(r) / (1 - r)))
        );
      }),
    logDensity: (x) =>
      tf.tidy(() => {
        // log π(x | y) = log p_{a'}(x) − ‖y − √r x‖² / (2 (1 − r)) + const
        const logP = context.logDensity(x, aNext);
        // ‖y − √r x‖² row by row: one fused pass on wasm/cpu, bit for bit the ops (residualRowSums).
        const squares =
          residualRowSums(y, x, { bScale: Math.sqrt(r) }) ??
          tf.sum(tf.square(tf.sub(y, tf.mul(x, Math.sqrt(r)))), 1);
        return tf.sub(logP, tf.div(squares, 2 * (1 - r))) as Tensor1D;
      }),
    startScoreFinite: () => finite === undefined || finite.dataSync()[0] === 1,
    dispose: () => {
      finite?.dispose();
      finite = undefined;
    },
  };
}
