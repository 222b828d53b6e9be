/**
 * Drawing samples with a registered sampler, in batches of rows that reproduce the single run exactly (the samplers'
 * `rowOffset` contract), with progress and cancellation. Shared by `rtk sample`, `rtk bench` and apps/bench.
 */
import { type GridChoice, getSampler, type SampleTrace, sampleRows } from '@rtk-diffusion/samplers';
import type { ExactScoreModel, ScoreModel } from '@rtk-diffusion/scores';
import { createRng, tf, ValidationError } from '@rtk-diffusion/tensor';
import { NO_PROGRESS, type Progress } from './progress.js';
import { concatMatrices, matrixFromTensor, type SampleMatrix } from './sample-matrix.js';
import { assertSamplerOptions } from './sampler-options.js';

/** Options of {@link drawSamples}. */
export interface DrawOptions {
  /** The score model. */
  readonly model: ScoreModel;
  /** Registered sampler name (`rtk list`). */
  readonly sampler: string;
  /** NFE budget (or give `grid`). */
  readonly nfe?: number;
  /** Grid of levels: schedule name, `{ schedule, options }` or explicit levels; default the sampler's. */
  readonly grid?: GridChoice;
  /** Number of rows to draw. */
  readonly n: number;
  /** Seed of the run. */
  readonly seed: number;
  /** First row of the run to draw (default 0): rows [rowOffset, rowOffset + n) of the seeded run. */
  readonly rowOffset?: number;
  /** The sampler's own options (RTK: segments, innerSteps, stepSize, stepSizeFactor, start, …). */
  readonly samplerOptions?: Readonly<Record<string, unknown>>;
  /** Rows per batch (memory bound), default {@link DEFAULT_BATCH_SIZE}; the result does not depend on it. */
  readonly batchSize?: number;
  /** Receives step progress. */
  readonly progress?: Progress;
  /** Label shown beside the bar. */
  readonly label?: string;
  /** Cancels between steps (`E_ABORTED`). */
  readonly signal?: AbortSignal;
}

/** What {@link drawSamples} returns. */
export interface DrawResult {
  /** The samples, n × d, float32. */
  readonly samples: SampleMatrix;
  /** Score-model evaluations per batch (the run's NFE). */
  readonly nfe: number;
  /** The trace of the first batch (levels, NFE per step, summary). */
  readonly trace: SampleTrace;
  /** Wall time of the sampling, in seconds. */
  readonly seconds: number;
}

/** Default rows per batch: 16 384. */
export const DEFAULT_BATCH_SIZE = 16_384;

/**
 * Draws `n` samples with the sampler `sampler` on `model`, seeded by `seed`: same seed, same rows, whatever the batch
 * size. Every tensor is disposed.
 *
 * @throws RtkError `E_UNKNOWN_NAME` (unknown sampler or sampler option, with a suggestion), `E_BUDGET` (NFE too small),
 *   `E_VALIDATION`, `E_NUMERIC` (divergence, with the step), `E_ABORTED`.
 */
export async function drawSamples(options: DrawOptions): Promise<DrawResult> {
  const sampler = getSampler(options.sampler);
  assertSamplerOptions(options.sampler, options.samplerOptions ?? {});
  const { n } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(n) && n >= 1)) throw new ValidationError(`n must be an integer ≥ 1, got ${n}`);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new ValidationError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  }
  const progress = options.progress ?? NO_PROGRESS;
  const rowOffset = options.rowOffset ?? 0;
  const parts: SampleMatrix[] = [];
  let nfe = 0;
  let trace: SampleTrace | undefined;
  const batches = Math.ceil(n / batchSize);
  const started = performance.now();
  for await (const { result } of sampleRows(sampler, {
    ...(options.samplerOptions ?? {}),
    model: options.model,
    rng: createRng(options.seed),
    rows: { start: rowOffset, end: rowOffset + n },
    batchSize,
    ...(options.nfe === undefined ? {} : { nfe: options.nfe }),
    ...(options.grid === undefined ? {} : { grid: options.grid }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    onStep: (event, rows) => {
      // Progress in steps: batch b of B, step k of K is done = b·K + k + 1 of B·K.
      const batch = (rows.start - rowOffset) / batchSize;
      progress.setTotal(event.steps * batches);
      progress.update(batch * event.steps + event.step + 1, options.label);
    },
  })) {
    try {
      parts.push(await matrixFromTensor(result.x));
    } finally {
      tf.dispose(result.x);
    }
    nfe = result.nfe;
    trace ??= result.trace;
  }
  return {
    samples: parts.length === 1 ? parts[0]! : concatMatrices(parts),
    nfe,
    trace: trace!,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * `n` exact samples of a target model's p₀ (ground truth), from `createRng(seed).fork('ground-truth')` so they never
 * share draws with a sampler run of the same seed.
 */
export async function groundTruth(
  model: Pick<ExactScoreModel, 'sample'>,
  n: number,
  seed: number,
): Promise<SampleMatrix> {
  const x = model.sample(n, createRng(seed).fork('ground-truth'));
  try {
    return await matrixFromTensor(x);
  } finally {
    x.dispose();
  }
}
