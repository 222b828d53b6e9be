/**
 * The driver loop: init, then `steps` steps of a kernel, counting every evaluation, averaging the acceptance,
 * calling `onStep`, honouring an AbortSignal and disposing every intermediate tensor.
 */
import { type Rng, RtkError, type Tensor1D, type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import { addEvaluations } from './evaluations.js';
import { disposeInfo } from './tensors.js';
import type { Evaluations, Kernel, KernelInfo, KernelState, Target } from './types.js';

/** What `onStep` receives after each step. Its tensors are valid only until `onStep` returns (or its promise settles). */
export interface RunStepEvent<S extends KernelState = KernelState, I extends KernelInfo = KernelInfo> {
  /** Index of the step just made, 0 … steps − 1. */
  readonly step: number;
  /** Number of steps of the run. */
  readonly steps: number;
  /** The state after the step. */
  readonly state: S;
  /** The step's diagnostics. */
  readonly info: I;
  /** Evaluations so far, `init` included. */
  readonly evaluations: Evaluations;
}

/** Options of {@link run}. */
export interface RunOptions<S extends KernelState = KernelState, I extends KernelInfo = KernelInfo> {
  /** Number of steps (an integer ≥ 0). */
  readonly steps: number;
  /** Randomness: `init` gets `rng.fork('init')`, step k gets `rng.fork(k)`. */
  readonly rng: Rng;
  /** Called after each step (awaited when it returns a promise). */
  readonly onStep?: (event: RunStepEvent<S, I>) => void | Promise<void>;
  /** Cancels the run between steps: `run` rejects with an `RtkError` of code `E_ABORTED`. */
  readonly signal?: AbortSignal;
  /**
   * What to do when a step leaves chains with non-finite positions: `'throw'` (default) rejects with an `RtkError`
   * of code `E_NUMERIC` naming the step; `'continue'` carries on and reports the count in the result.
   */
  readonly onDivergence?: 'throw' | 'continue';
}

/** Acceptance over a run of a Metropolis kernel. */
export interface RunAcceptance {
  /** Mean over steps and chains of the acceptance probability. */
  readonly mean: number;
  /** Mean over steps of the acceptance probability, per chain. */
  readonly perChain: Float32Array;
}

/** What {@link run} returns. */
export interface RunResult {
  /** Final positions [n, d], owned by the caller. */
  readonly x: Tensor2D;
  /** All evaluations of the target, `init` included: `countNfe(evaluations)` is the run's NFE. */
  readonly evaluations: Evaluations;
  /** Acceptance statistics, for kernels that report acceptance (undefined otherwise, or when `steps` is 0). */
  readonly acceptance: RunAcceptance | undefined;
  /** Chains whose final position is not finite (0 unless `onDivergence: 'continue'`). */
  readonly divergences: number;
}

/** Longest stretch of synchronous work before the loop yields to the event loop (so an abort can arrive), in ms. */
const YIELD_EVERY_MS = 25;

/**
 * Runs `kernel` for `steps` steps from `x0` (not disposed: it stays the caller's) and returns the final positions and
 * the exact evaluation count.
 *
 * @throws {@link ValidationError} for a bad `steps`; `RtkError` `E_ABORTED` when `signal` aborts; `RtkError`
 * `E_NUMERIC` when chains diverge (unless `onDivergence: 'continue'`).
 */
export async function run<S extends KernelState, I extends KernelInfo>(
  kernel: Kernel<S, I>,
  target: Target,
  x0: Tensor2D,
  options: RunOptions<S, I>,
): Promise<RunResult> {
  const { steps, rng, onStep, signal } = options;
  if (!(Number.isInteger(steps) && steps >= 0)) {
    throw new ValidationError(`run: steps must be an integer ≥ 0, got ${steps}`, { steps });
  }
  if (rng === undefined || typeof rng.fork !== 'function') {
    throw new ValidationError('run: options.rng must be an Rng (createRng(seed) from @rtk-diffusion/tensor)');
  }
  checkAbort(signal, kernel.name, 0, steps);
  const init = kernel.init(x0, target, rng.fork('init'));
  let state = init.state;
  let evaluations = init.evaluations;
  let acceptanceSum: Tensor1D | undefined;
  let meanAcceptanceSum = 0;
  let divergences = 0;
  let lastYield = now();
  try {
    for (let k = 0; k < steps; k++) {
      checkAbort(signal, kernel.name, k, steps);
      const { state: next, info } = kernel.step(state, target, rng.fork(k));
      kernel.disposeState(state);
      state = next;
      evaluations = addEvaluations(evaluations, info.evaluations);
      try {
        divergences = info.divergences;
        if (divergences > 0 && options.onDivergence !== 'continue') {
          throw new RtkError(
            'E_NUMERIC',
            `${kernel.name}: ${divergences} chain(s) reached a non-finite position at step ${k} of ${steps}; ` +
              'lower the step size (or pass onDivergence: "continue")',
            { details: { step: k, divergences } },
          );
        }
        if (info.acceptance !== undefined) {
          const previous = acceptanceSum;
          acceptanceSum =
            previous === undefined ? tf.clone(info.acceptance) : tf.add(previous, info.acceptance);
          previous?.dispose();
          meanAcceptanceSum += info.meanAcceptance ?? 0;
        }
        if (onStep !== undefined) await onStep({ step: k, steps, state, info, evaluations });
      } finally {
        disposeInfo(info);
      }
      if (now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = now();
      }
    }
    const acceptance =
      acceptanceSum === undefined
        ? undefined
        : {
            mean: meanAcceptanceSum / steps,
            perChain: Float32Array.from(acceptanceSum.dataSync(), (sum) => sum / steps),
          };
    return { x: tf.clone(state.x), evaluations, acceptance, divergences };
  } finally {
    kernel.disposeState(state);
    acceptanceSum?.dispose();
  }
}

function checkAbort(signal: AbortSignal | undefined, name: string, step: number, steps: number): void {
  if (signal?.aborted) {
    throw new RtkError('E_ABORTED', `${name}: run aborted before step ${step} of ${steps}`, {
      details: { step },
      cause: signal.reason,
    });
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
