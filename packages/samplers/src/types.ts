/**
 * The sampler contract: one options object, one result, one step event, for every sampler.
 */
import type { Grid, ScheduleName } from '@rtk-diffusion/schedules';
import type { ScoreModel } from '@rtk-diffusion/scores';
import type { Rng, Tensor1D, Tensor2D } from '@rtk-diffusion/tensor';

/** A grid given by schedule name (steps from the NFE budget), by explicit levels, or as a built `Grid`. */
export type GridChoice =
  | ScheduleName
  | { readonly schedule: ScheduleName; readonly options?: Readonly<Record<string, unknown>> }
  | readonly number[]
  | Grid;

/** Options every sampler accepts. */
export interface SampleOptions {
  /** The score model (any prediction type, adapted by `@rtk-diffusion/scores`). */
  readonly model: ScoreModel;
  /** Number of samples (rows). */
  readonly n: number;
  /**
   * Budget of score-model evaluations on the batch. The sampler takes as many steps as fit (its cost model) and
   * reports the exact count it used in `result.nfe`. Either `nfe` or an explicit grid must be given.
   */
  readonly nfe?: number;
  /** The grid of signal levels: a schedule name, explicit levels (increasing), or a `Grid`. Default: the sampler's. */
  readonly grid?: GridChoice;
  /** Randomness: the initial noise and every step's noise come from forks of this stream. */
  readonly rng: Rng;
  /**
   * Index of the first row of this batch within a larger seeded run (default 0): rows [rowOffset, rowOffset + n)
   * of a run are identical whether drawn alone or as part of the whole batch.
   */
  readonly rowOffset?: number;
  /** Start from this x at the noisiest level instead of N(0, I) noise (not disposed; must be [n, dim]). */
  readonly initial?: Tensor2D;
  /** Called after every outer step. `x` is valid only during the call. */
  readonly onStep?: (event: StepEvent) => void;
  /** Cancels the run between steps (throws an `RtkError` with code `E_ABORTED`). */
  readonly signal?: AbortSignal;
}

/** What `onStep` receives: the same for every sampler. */
export interface StepEvent {
  /** Index of the step just taken, 0-based. */
  readonly step: number;
  /** Total number of outer steps. */
  readonly steps: number;
  /** Level the step started from (noisier). */
  readonly a: number;
  /** Level the step arrived at (cleaner). */
  readonly aNext: number;
  /** The batch after the step. */
  readonly x: Tensor2D;
  /** Score-model evaluations so far. */
  readonly nfe: number;
  /** Sampler-specific diagnostics of this step (RTK: inner steps and acceptance). */
  readonly info?: Readonly<Record<string, number>>;
}

/** What a sampler returns. The caller owns `x`. */
export interface SampleResult {
  /** Samples at the cleanest level of the grid, [n, dim]. */
  readonly x: Tensor2D;
  /** Score-model evaluations used (a log-density evaluation counts as one). */
  readonly nfe: number;
  readonly trace: SampleTrace;
}

/** A record of the run. */
export interface SampleTrace {
  readonly sampler: string;
  /** The levels walked, noisiest first. */
  readonly levels: readonly number[];
  /** Evaluations after each step. */
  readonly nfeAfterStep: readonly number[];
  /** Per-step diagnostics, when the sampler has any. */
  readonly stepInfo: readonly Readonly<Record<string, number>>[];
  /** Sampler-specific summary (RTK: segments, inner steps, mean acceptance). */
  readonly summary: Readonly<Record<string, number | string>>;
}

/** What a sampler's update sees at step k (going from `a` to `aNext`). */
export interface StepContext {
  readonly step: number;
  readonly steps: number;
  readonly grid: Grid;
  /** levels[step]: the current, noisier level. */
  readonly a: number;
  /** levels[step + 1]: the next, cleaner level. */
  readonly aNext: number;
  /** α = a / aNext ∈ (0, 1). */
  readonly alpha: number;
  /** The model's dimension. */
  readonly dim: number;
  /** The model, with every evaluation counted. */
  score(x: Tensor2D, a: number): Tensor2D;
  /** The model's log-density, counted; throws a clear error if the model has none. */
  logDensity(x: Tensor2D, a: number): Tensor1D;
  /** This step's random stream (row-aligned with the full run). */
  readonly rng: Rng;
  /** A fresh standard normal [n, dim] draw from this step's stream. */
  normal(): Tensor2D;
  /** Evaluations so far. */
  nfe(): number;
  /** The run's AbortSignal, for updates with inner loops (RTK checks it between inner steps). */
  readonly signal: AbortSignal | undefined;
}

/** What a step returns: the next x alone, or with diagnostics. */
export type StepOutput = Tensor2D | { readonly x: Tensor2D; readonly info?: Record<string, number> };

/** The update of one sampler, created once per run (it may keep state across steps, e.g. a multistep history). */
export interface Stepper {
  /** Returns the next x (a new tensor; the loop disposes the old one) and optional diagnostics. */
  step(x: Tensor2D, context: StepContext): StepOutput | Promise<StepOutput>;
  /** Extra summary for the trace. */
  summary?(): Record<string, number | string>;
  /** Disposes any tensors the stepper kept. */
  dispose?(): void;
}

/** How a sampler turns an NFE budget into steps, and what it costs. */
export interface CostModel {
  /** Model evaluations per outer step (a fixed number, or a description for RTK). */
  readonly evalsPerStep: number | string;
  /** The smallest budget that gives one step. */
  readonly minNfe: number;
  /**
   * Exact evaluations used by K outer steps, for the options the cost model was made with (RTK's inner steps follow
   * from the options' `nfe`).
   */
  nfeForSteps(steps: number): number;
  /** The most outer steps that fit in the budget (≥ 1), or throws `E_BUDGET`. */
  stepsForBudget(nfe: number): number;
}
