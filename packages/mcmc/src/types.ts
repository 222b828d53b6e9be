/**
 * The contract of every kernel (ALGORITHMS.md §4), in the style of BlackJAX: a kernel is a pure pair
 * `init(x, target, rng) → { state, evaluations }` and `step(state, target, rng) → { state, info }` over a batch
 * x of shape [n, d], each row an independent chain. Configuration (step size, friction, …) is captured by the
 * factory that makes the kernel (`mala({ stepSize })`); state carries only what the next step needs.
 *
 * Tensor ownership, once for every kernel:
 * - `init` never disposes `x` and never keeps it: the state holds its own reference (`tf.clone`, which shares the
 *   memory), so the caller may dispose `x` right after `init`.
 * - `step` never disposes its inputs. Every tensor of the returned state is new (never one of the old state's
 *   tensors, even for rejected or frozen rows), so the caller disposes the old state with `disposeState` once
 *   `step` has returned, and the new state with `disposeState` when done.
 * - The tensors of `info` belong to the caller: dispose them with {@link disposeInfo} (the `run` driver does).
 * - `Target.grad` / `Target.logDensity` return new tensors that the kernel owns (never their input or a cached
 *   tensor).
 */
import type { Rng, Tensor1D, Tensor2D } from '@rtk-diffusion/tensor';

/**
 * A distribution π to sample, known through ∇ log π (and optionally log π), row by row over a batch [n, d].
 * It knows nothing of diffusion: a sampler builds one per subproblem.
 */
export interface Target {
  /** Dimension d of a row. When given, kernels check every batch against it. */
  readonly dim?: number;
  /** ∇ log π(x) for every row of x: [n, d] → [n, d] (a new tensor, owned by the caller). */
  grad(x: Tensor2D): Tensor2D;
  /**
   * log π(x) up to an additive constant (the same constant for every row and call): [n, d] → [n]. Needed by the
   * Metropolis kernels that use the exact density (`mala`, `hmc`); `malaScoreOnly` works without it.
   */
  logDensity?(x: Tensor2D): Tensor1D;
}

/**
 * Counts of batch evaluations of the target: one call of `grad` (or `logDensity`) on a batch counts one, whatever
 * the number of rows. A sampler's NFE is `grad + logDensity` (see `countNfe`).
 */
export interface Evaluations {
  /** Calls of `target.grad`. */
  readonly grad: number;
  /** Calls of `target.logDensity`. */
  readonly logDensity: number;
}

/** Step size of a kernel: one number for every chain, or one per chain (length n, the batch's rows). */
export type StepSize = number | ArrayLike<number>;

/** What every kernel state holds: the current positions. Kernels extend it with cached gradients and densities. */
export interface KernelState {
  /** Current positions, [n, d]. Owned by the state. */
  readonly x: Tensor2D;
}

/** Diagnostics of one step. Kernels with an accept/reject step report {@link MetropolisInfo}. */
export interface KernelInfo {
  /** Batch evaluations of the target made by this step (always equal to the kernel's `evaluationsPerStep`). */
  readonly evaluations: Evaluations;
  /**
   * Number of chains whose new position has a non-finite coordinate. Metropolis kernels reject non-finite proposals,
   * so for them this stays 0 unless the chain started non-finite; for unadjusted kernels a divergent chain is lost.
   */
  readonly divergences: number;
  /** Acceptance probability per chain, [n] (Metropolis kernels only). */
  readonly acceptance?: Tensor1D;
  /** Mean of `acceptance` over the chains (Metropolis kernels only). */
  readonly meanAcceptance?: number;
}

/** Diagnostics of a step with a Metropolis–Hastings accept/reject decision. */
export interface MetropolisInfo extends KernelInfo {
  /** α = min(1, exp(log ratio)) per chain, [n]; a NaN ratio counts as rejection (α = 0). */
  readonly acceptance: Tensor1D;
  /** 1 where the proposal was accepted, 0 where it was rejected, [n] float32. */
  readonly accepted: Tensor1D;
  /** Mean of `acceptance` over the chains. */
  readonly meanAcceptance: number;
}

/** What `init` returns: the first state and the evaluations spent building it. */
export interface KernelInit<S extends KernelState> {
  readonly state: S;
  readonly evaluations: Evaluations;
}

/** What `step` returns: the next state and this step's diagnostics. */
export interface KernelStep<S extends KernelState, I extends KernelInfo> {
  readonly state: S;
  readonly info: I;
}

/**
 * An MCMC kernel over a batch of independent chains. Make one with a factory (`ula`, `mala`, `malaScoreOnly`,
 * `uld`, `baoab`, `hmc`) or wrap one (`adaptStepSize`); drive it with `run` or your own loop.
 *
 * Randomness: `init` and `step` take an `rng` and fork it once per independent use, drawing full [n, d] (or [n])
 * arrays, so they never advance the caller's stream and a batch split with `rng.atRows(offset)` gives identical
 * rows. Hand each step its own stream (`run` uses `rng.fork(k)` for step k and `rng.fork('init')` for `init`).
 */
export interface Kernel<S extends KernelState = KernelState, I extends KernelInfo = KernelInfo> {
  /** Stable name of the kernel (`'ula'`, `'mala'`, …). */
  readonly name: string;
  /** Evaluations `init` makes (e.g. the gradient and log-density at the starting point, cached in the state). */
  readonly evaluationsPerInit: Evaluations;
  /** Evaluations every `step` makes. */
  readonly evaluationsPerStep: Evaluations;
  /** True when the kernel needs `target.logDensity` (`init` throws a `ValidationError` without it). */
  readonly needsLogDensity: boolean;
  /**
   * Builds the first state at `x` [n, d], caching what the first step needs (gradient, log-density; `uld` and
   * `baoab` draw v0 ~ N(0, I) from `rng`). Does not dispose `x`; the state holds its own reference.
   */
  init(x: Tensor2D, target: Target, rng: Rng): KernelInit<S>;
  /** One step of every chain. Never disposes `state`; every tensor of the returned state is new. */
  step(state: S, target: Target, rng: Rng): KernelStep<S, I>;
  /** Disposes every tensor the state owns. */
  disposeState(state: S): void;
}
