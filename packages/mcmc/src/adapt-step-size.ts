/**
 * Step-size adaptation as a kernel wrapper (ALGORITHMS.md §4, "optional step-size adaptation toward a target
 * acceptance by dual averaging during a warm-up that is counted in NFE"). The wrapped kernel never sees the tuning:
 * each step rebuilds it from `makeKernel(stepSize)` with the current step size, and the tuning state lives in the
 * wrapper's own state. During the first `warmupSteps` steps the step size follows dual averaging
 * (see dual-averaging.ts) toward `targetAcceptance`; afterwards it is frozen at the averaged value ε̄. Every step,
 * warm-up included, reports and counts its evaluations like the inner kernel.
 *
 * Shared (default): one step size for all chains, driven by the mean acceptance over the batch (so it depends on how
 * the batch is split). Per chain (`perChain: true`): one step size per row, driven by that chain's acceptance (row
 * results do not depend on batch splits).
 */
import { type Rng, type Tensor2D, ValidationError } from '@rtk-diffusion/tensor';
import {
  checkDualAveragingSettings,
  DUAL_AVERAGING_DEFAULTS,
  type DualAveragingSettings,
  type DualAveragingState,
  dualAveragingInit,
  dualAveragingUpdate,
} from './dual-averaging.js';
import { run } from './run.js';
import { disposeInfo } from './tensors.js';
import type { Evaluations, Kernel, KernelInfo, KernelState, StepSize, Target } from './types.js';

/** Options of {@link adaptStepSize}. */
export interface AdaptStepSizeOptions {
  /** ε_0 > 0, the first step size. */
  readonly initialStepSize: number;
  /** Steps of warm-up during which the step size adapts (an integer ≥ 0). */
  readonly warmupSteps: number;
  /** Acceptance to reach; default 0.574 (optimal for MALA; about 0.65–0.8 suits HMC). */
  readonly targetAcceptance?: number;
  /** One step size per chain instead of one shared step size; default false. */
  readonly perChain?: boolean;
  /** Dual-averaging constants γ (`shrinkage`), t0 (`offset`), κ (`decay`); defaults from Hoffman & Gelman 2014. */
  readonly settings?: Partial<Omit<DualAveragingSettings, 'targetAcceptance'>>;
}

/** State of an adapted kernel: the inner kernel's state and the tuning state (plain numbers). */
export interface AdaptedState<S extends KernelState = KernelState> extends KernelState {
  /** The inner state's positions (the same tensor as `inner.x`). */
  readonly x: Tensor2D;
  /** State of the wrapped kernel. */
  readonly inner: S;
  /** Dual-averaging state: one lane, or one per chain. */
  readonly adaptation: DualAveragingState;
  /** Length of the warm-up. */
  readonly warmupSteps: number;
  /** One step size per chain (else one shared). */
  readonly perChain: boolean;
}

/** Diagnostics of an adapted step: the inner kernel's, plus the step size used and whether it was a warm-up step. */
export type AdaptedInfo<I extends KernelInfo = KernelInfo> = I & {
  /** Step size used by this step (a number, or one per chain). */
  readonly stepSize: StepSize;
  /** True during the warm-up. */
  readonly warmup: boolean;
};

/**
 * Wraps a kernel family (`(stepSize) => kernel`, e.g. `(stepSize) => mala({ stepSize })`) into one kernel whose step
 * size adapts by dual averaging during a warm-up and is then frozen. The inner kernel must report acceptance
 * (mala, malaScoreOnly, hmc).
 */
export function adaptStepSize<S extends KernelState, I extends KernelInfo>(
  makeKernel: (stepSize: StepSize) => Kernel<S, I>,
  options: AdaptStepSizeOptions,
): Kernel<AdaptedState<S>, AdaptedInfo<I>> {
  const { initialStepSize, warmupSteps, perChain = false } = options;
  if (!(Number.isInteger(warmupSteps) && warmupSteps >= 0)) {
    throw new ValidationError(`adaptStepSize: warmupSteps must be an integer ≥ 0, got ${warmupSteps}`);
  }
  dualAveragingInit(initialStepSize, 1); // validates ε_0
  const settings = checkDualAveragingSettings({
    ...DUAL_AVERAGING_DEFAULTS,
    ...options.settings,
    targetAcceptance: options.targetAcceptance ?? DUAL_AVERAGING_DEFAULTS.targetAcceptance,
  });
  const first = makeKernel(initialStepSize);
  return {
    name: `adapted-${first.name}`,
    evaluationsPerInit: first.evaluationsPerInit,
    evaluationsPerStep: first.evaluationsPerStep,
    needsLogDensity: first.needsLogDensity,
    init(x: Tensor2D, target: Target, rng: Rng): { state: AdaptedState<S>; evaluations: Evaluations } {
      const { state, evaluations } = first.init(x, target, rng);
      const adaptation = dualAveragingInit(initialStepSize, perChain ? x.shape[0] : 1);
      return { state: { x: state.x, inner: state, adaptation, warmupSteps, perChain }, evaluations };
    },
    step(state: AdaptedState<S>, target: Target, rng: Rng): { state: AdaptedState<S>; info: AdaptedInfo<I> } {
      const warmup = state.adaptation.iteration < warmupSteps;
      const stepSize = adaptedStepSize(state);
      const kernel = makeKernel(stepSize);
      const { state: inner, info } = kernel.step(state.inner, target, rng);
      let adaptation = state.adaptation;
      if (warmup) {
        if (info.acceptance === undefined || info.meanAcceptance === undefined) {
          kernel.disposeState(inner);
          disposeInfo(info);
          throw new ValidationError(
            `adaptStepSize: kernel '${kernel.name}' reports no acceptance; adapt a Metropolis kernel (mala, malaScoreOnly, hmc)`,
          );
        }
        adaptation = dualAveragingUpdate(
          adaptation,
          perChain ? info.acceptance.dataSync() : [info.meanAcceptance],
          settings,
        );
      } else {
        adaptation = { ...adaptation, iteration: adaptation.iteration + 1 };
      }
      return {
        state: { x: inner.x, inner, adaptation, warmupSteps, perChain },
        info: { ...info, stepSize, warmup },
      };
    },
    disposeState(state: AdaptedState<S>): void {
      first.disposeState(state.inner);
    },
  };
}

/**
 * The step size the next step of an adapted kernel uses: ε_m during the warm-up, the averaged ε̄ after it (a number
 * when shared, one per chain otherwise).
 */
export function adaptedStepSize(state: AdaptedState): StepSize {
  const { adaptation } = state;
  const logs =
    adaptation.iteration < state.warmupSteps ? adaptation.logStepSize : adaptation.averageLogStepSize;
  const values = Array.from(logs, Math.exp);
  return state.perChain ? values : values[0]!;
}

/** Result of {@link tuneStepSize}. */
export interface TunedStepSize {
  /** The tuned step size ε̄ (a number, or one per chain). */
  readonly stepSize: StepSize;
  /** Positions after the warm-up, [n, d], owned by the caller: start the sampling run from them. */
  readonly x: Tensor2D;
  /** Evaluations of the warm-up, `init` included. */
  readonly evaluations: Evaluations;
  /** Mean acceptance over the warm-up. */
  readonly meanAcceptance: number;
}

/**
 * Runs a warm-up of `options.warmupSteps` steps from `x0` and returns the tuned step size and the positions reached
 * (then sample with `makeKernel(stepSize)`). `x0` stays the caller's.
 */
export async function tuneStepSize<S extends KernelState, I extends KernelInfo>(
  makeKernel: (stepSize: StepSize) => Kernel<S, I>,
  target: Target,
  x0: Tensor2D,
  options: AdaptStepSizeOptions & { readonly rng: Rng; readonly signal?: AbortSignal },
): Promise<TunedStepSize> {
  const kernel = adaptStepSize(makeKernel, options);
  let stepSize: StepSize = options.initialStepSize;
  const result = await run(kernel, target, x0, {
    steps: options.warmupSteps,
    rng: options.rng,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onStep: ({ state }) => {
      stepSize = adaptedStepSize(state);
    },
  });
  return {
    stepSize,
    x: result.x,
    evaluations: result.evaluations,
    meanAcceptance: result.acceptance?.mean ?? Number.NaN,
  };
}
