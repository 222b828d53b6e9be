/**
 * The one sampler loop: grid, NFE accounting, initial noise, per-step random streams, callbacks, cancellation,
 * NaN/Inf detection and tensor disposal. A sampler supplies only its update (a `Stepper`).
 */
import type { ScoreModel } from '@rtk-diffusion/scores';
import {
  assertBatch,
  isRtkError,
  type Rng,
  RtkError,
  ShapeError,
  type Tensor1D,
  type Tensor2D,
  tf,
  ValidationError,
} from '@rtk-diffusion/tensor';
import { FiniteCheck } from './finite-check.js';
import { resolveGrid } from './grid.js';
import type {
  CostModel,
  GridChoice,
  SampleOptions,
  SampleResult,
  StepContext,
  StepOutput,
  Stepper,
} from './types.js';

/** What the loop needs to know about a sampler. */
export interface LoopSpec {
  readonly name: string;
  readonly cost: CostModel;
  readonly defaultGrid: GridChoice;
  /** Called once per run with the resolved plan. */
  createStepper(plan: { readonly steps: number; readonly nfe: number | undefined }): Stepper;
}

/** A model wrapper that counts every evaluation and checks shapes once. */
export interface CountedModel {
  score(x: Tensor2D, a: number): Tensor2D;
  logDensity(x: Tensor2D, a: number): Tensor1D;
  count(): number;
}

/** Wraps `model` so that every `score` and `logDensity` call on the batch counts one evaluation. */
export function countEvaluations(model: ScoreModel, sampler: string): CountedModel {
  let count = 0;
  return {
    score(x, a) {
      count++;
      const s = model.score(x, a);
      if (s.rank !== 2 || s.shape[0] !== x.shape[0] || s.shape[1] !== x.shape[1]) {
        const shape = s.shape;
        s.dispose();
        throw new ShapeError(
          `${sampler}: the model's score has shape [${shape}] for x of shape [${x.shape}] (model.dim = ${model.dim})`,
        );
      }
      return s;
    },
    logDensity(x, a) {
      if (model.logDensity === undefined) {
        throw new ValidationError(
          `${sampler}: this sampler needs the model's logDensity, which the model does not provide; use a score-only variant (e.g. rtk-mala-score)`,
        );
      }
      count++;
      const logP = model.logDensity(x, a);
      if (logP.rank !== 1 || logP.shape[0] !== x.shape[0]) {
        const shape = logP.shape;
        logP.dispose();
        throw new ShapeError(
          `${sampler}: the model's logDensity has shape [${shape}] for x of shape [${x.shape}]; expected [${x.shape[0]}]`,
        );
      }
      return logP;
    },
    count: () => count,
  };
}

/** Runs a sampler: the shared loop behind every `sample` call. */
export async function runSampler(spec: LoopSpec, options: SampleOptions): Promise<SampleResult> {
  const { model, n, signal } = options;
  validate(spec.name, options);
  const { grid, steps } = resolveGrid(
    options.grid ?? spec.defaultGrid,
    options.nfe,
    spec.cost,
    spec.name,
    options.initial !== undefined,
  );
  const rng: Rng = options.rng.atRows(options.rowOffset ?? options.rng.rowOffset);
  const counted = countEvaluations(model, spec.name);
  const stepper = spec.createStepper({ steps, nfe: options.nfe });
  const nfeAfterStep: number[] = [];
  const stepInfo: Record<string, number>[] = [];
  const check = new FiniteCheck(spec.name);
  let x: Tensor2D =
    options.initial === undefined ? rng.fork('init').normal([n, model.dim]) : tf.clone(options.initial);
  try {
    for (let step = 0; step < steps; step++) {
      throwIfAborted(signal, spec.name, step);
      const a = grid.levels[step]!;
      const aNext = grid.levels[step + 1]!;
      const stepRng = rng.fork(`step-${step}`);
      const context: StepContext = {
        step,
        steps,
        grid,
        a,
        aNext,
        alpha: grid.alphas[step]!,
        dim: model.dim,
        score: counted.score,
        logDensity: counted.logDensity,
        rng: stepRng,
        normal: () => stepRng.normal([n, model.dim]),
        nfe: counted.count,
        signal,
      };
      let result: StepOutput;
      try {
        result = await stepper.step(x, context);
      } catch (error) {
        throw atStep(error, spec.name, step, a, aNext);
      }
      const next = result instanceof tf.Tensor ? result : result.x;
      const info = result instanceof tf.Tensor ? undefined : result.info;
      x.dispose();
      x = next as Tensor2D;
      check.afterStep(x, { step, a, aNext });
      nfeAfterStep.push(counted.count());
      if (info !== undefined) stepInfo.push(info);
      if (options.onStep !== undefined) check.flush();
      options.onStep?.({
        step,
        steps,
        a,
        aNext,
        x,
        nfe: counted.count(),
        ...(info === undefined ? {} : { info }),
      });
      // Let timers, progress bars and abort signals run between steps.
      if (signal !== undefined || options.onStep !== undefined) await yieldToEventLoop();
    }
    check.flush();
    throwIfAborted(signal, spec.name, steps);
  } catch (error) {
    x.dispose();
    stepper.dispose?.();
    // A deferred check may hold an earlier non-finite step: that is the failure to report.
    const first = check.firstFailure(error);
    check.dispose();
    throw first;
  }
  stepper.dispose?.();
  if (options.nfe !== undefined && counted.count() > options.nfe) {
    x.dispose();
    throw new RtkError(
      'E_BUDGET',
      `${spec.name} used ${counted.count()} evaluations, over its budget of ${options.nfe} (a bug in its cost model)`,
    );
  }
  return {
    x,
    nfe: counted.count(),
    trace: {
      sampler: spec.name,
      levels: grid.levels,
      nfeAfterStep,
      stepInfo,
      summary: stepper.summary?.() ?? {},
    },
  };
}

/** Resolves on the next turn of the event loop (setImmediate in Node, a zero timeout elsewhere). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

function validate(sampler: string, options: SampleOptions): void {
  const { model, n } = options;
  if (model === null || typeof model !== 'object' || typeof model.score !== 'function') {
    throw new ValidationError(`${sampler}: model must be a ScoreModel with a score(x, a) method`);
  }
  if (!(Number.isInteger(model.dim) && model.dim > 0)) {
    throw new ValidationError(`${sampler}: model.dim must be a positive integer, got ${model.dim}`);
  }
  if (!(Number.isInteger(n) && n > 0)) {
    throw new ValidationError(`${sampler}: n must be a positive integer, got ${n}`, { n });
  }
  if (options.initial !== undefined) {
    assertBatch(options.initial, model.dim, 'initial');
    if (options.initial.shape[0] !== n) {
      throw new ShapeError(`${sampler}: initial has ${options.initial.shape[0]} rows but n = ${n}`);
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined, sampler: string, step: number): void {
  if (signal?.aborted) {
    throw new RtkError('E_ABORTED', `${sampler}: cancelled before step ${step}`, { cause: signal.reason });
  }
}

/**
 * A numeric error raised inside a step (e.g. an inner MCMC chain that diverged) with the outer step and levels added,
 * so every `E_NUMERIC` of a run names where it happened; other errors pass through unchanged.
 */
function atStep(error: unknown, sampler: string, step: number, a: number, aNext: number): unknown {
  if (!isRtkError(error, 'E_NUMERIC') || error.details?.a !== undefined) return error;
  return new RtkError(
    'E_NUMERIC',
    `${sampler}: NaN or Inf at step ${step} (level a = ${a} → ${aNext}): ${error.message}`,
    { details: { ...error.details, step, a, aNext }, cause: error },
  );
}
