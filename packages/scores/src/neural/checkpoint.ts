/**
 * Resumable training checkpoints: everything a training run needs to continue exactly where it stopped (the step,
 * the weights, Adam's moments, the EMA, the loss history) plus the config and settings it must be resumed with. The
 * batches, levels and noise of step k are a pure function of (rng, k) (see `loader.ts`, `train.ts`), so a resumed run
 * gives the same weights as an uninterrupted one.
 *
 * On disk (see `@rtk-diffusion/scores/node`): `checkpoint.json` (this header) and `checkpoint.bin` (float32 arrays in
 * the order weights, Adam m, Adam v, EMA, losses).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { z } from 'zod';
import { parseWith } from '../spec.js';
import type { ScoreNetworkConfig } from './metadata.js';
import { parseScoreNetworkConfig } from './metadata.js';
import type { AdamState } from './optimizer.js';

/** How the per-level losses are weighted (see `train.ts`). */
export type LossWeighting = 'simple' | 'min-snr';

/** The settings a run must be resumed with (a change would make the resumed run a different run). */
export interface TrainingSettings {
  readonly batchSize: number;
  readonly learningRate: number;
  /** Linear learning-rate warm-up steps (0: none; see `optimizer.ts`). */
  readonly warmupSteps: number;
  /** Cosine learning-rate decay steps (0: constant). */
  readonly decaySteps: number;
  readonly emaDecay: number;
  readonly clipNorm: number;
  readonly weighting: LossWeighting;
  /** Whether the targets came from a teacher score model instead of denoising score matching. */
  readonly teacher: boolean;
  /** The seed and fork path of the training rng. */
  readonly seed: number;
  readonly rngPath: readonly string[];
  readonly dataSize: number;
  readonly dataDim: number;
  /** `dataFingerprint` of the training data. */
  readonly dataFingerprint: string;
}

/** A training checkpoint. */
export interface TrainingCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: 1;
  /** Completed steps. */
  readonly step: number;
  readonly config: ScoreNetworkConfig;
  readonly settings: TrainingSettings;
  /** Weights in `model.weights` order. */
  readonly weights: readonly Float32Array[];
  readonly adam: AdamState;
  /** EMA weights (empty when emaDecay = 0). */
  readonly ema: readonly Float32Array[];
  /** The loss of every completed step. */
  readonly losses: Float32Array;
}

/** The `format` string of checkpoints. */
export const CHECKPOINT_FORMAT = 'rtk-diffusion/training-checkpoint';

/**
 * Throws unless `checkpoint` was written by a run with this config and these settings.
 *
 * @throws {@link ValidationError} listing every field that differs.
 */
export function checkResume(
  checkpoint: TrainingCheckpoint,
  config: ScoreNetworkConfig,
  settings: TrainingSettings,
): void {
  const differences: string[] = [];
  const compare = (name: string, saved: unknown, now: unknown) => {
    if (JSON.stringify(saved) !== JSON.stringify(now)) {
      differences.push(`${name}: checkpoint ${JSON.stringify(saved)}, now ${JSON.stringify(now)}`);
    }
  };
  compare('config', checkpoint.config, config);
  for (const key of Object.keys(settings) as (keyof TrainingSettings)[]) {
    compare(`settings.${key}`, checkpoint.settings[key], settings[key]);
  }
  if (differences.length > 0) {
    throw new ValidationError(
      `resume: the checkpoint at step ${checkpoint.step} was written by a different run; start a new run or use its settings:\n  ${differences.join('\n  ')}`,
      { differences },
    );
  }
}

const headerSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(1),
  step: z.number().int().nonnegative(),
  config: z.unknown(),
  settings: z.strictObject({
    batchSize: z.number().int().positive(),
    learningRate: z.number().positive(),
    // Absent in checkpoints written before schedules existed, which trained at a constant rate.
    warmupSteps: z.number().int().nonnegative().default(0),
    decaySteps: z.number().int().nonnegative().default(0),
    emaDecay: z.number().min(0).lt(1),
    clipNorm: z.number().min(0),
    weighting: z.enum(['simple', 'min-snr']),
    teacher: z.boolean(),
    seed: z.number().int().nonnegative(),
    rngPath: z.array(z.string()),
    dataSize: z.number().int().positive(),
    dataDim: z.number().int().positive(),
    dataFingerprint: z.string(),
  }),
  adamStep: z.number().int().nonnegative(),
  sizes: z.array(z.number().int().positive()),
  ema: z.boolean(),
  losses: z.number().int().nonnegative(),
});

/** The JSON header of a checkpoint on disk. */
export type CheckpointHeader = z.infer<typeof headerSchema>;

/** A checkpoint as a JSON header and one float32 buffer (for files, IndexedDB, …). */
export function encodeCheckpoint(checkpoint: TrainingCheckpoint): {
  header: CheckpointHeader;
  data: Float32Array;
} {
  const sizes = checkpoint.weights.map((w) => w.length);
  const arrays = [
    ...checkpoint.weights,
    ...checkpoint.adam.m,
    ...checkpoint.adam.v,
    ...checkpoint.ema,
    checkpoint.losses,
  ];
  const data = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
  let offset = 0;
  for (const array of arrays) {
    data.set(array, offset);
    offset += array.length;
  }
  const header: CheckpointHeader = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    step: checkpoint.step,
    config: checkpoint.config,
    settings: { ...checkpoint.settings, rngPath: [...checkpoint.settings.rngPath] },
    adamStep: checkpoint.adam.step,
    sizes,
    ema: checkpoint.ema.length > 0,
    losses: checkpoint.losses.length,
  };
  return { header, data };
}

/**
 * The checkpoint of a JSON header and its float32 buffer.
 *
 * @throws {@link ValidationError} when the header is malformed or the buffer has the wrong length.
 */
export function decodeCheckpoint(header: unknown, data: Float32Array): TrainingCheckpoint {
  const h = parseWith(headerSchema, header, 'training checkpoint');
  const config = parseScoreNetworkConfig(h.config);
  const total = h.sizes.reduce((s, n) => s + n, 0);
  const expected = total * (h.ema ? 4 : 3) + h.losses;
  if (data.length !== expected) {
    throw new ValidationError(
      `training checkpoint: expected ${expected} float32 numbers in the data file, got ${data.length} (truncated or from another checkpoint)`,
      { expected, got: data.length },
    );
  }
  let offset = 0;
  const take = (n: number) => {
    const out = data.slice(offset, offset + n);
    offset += n;
    return out;
  };
  const group = () => h.sizes.map(take);
  const weights = group();
  const m = group();
  const v = group();
  const ema = h.ema ? group() : [];
  const losses = take(h.losses);
  return {
    format: CHECKPOINT_FORMAT,
    version: 1,
    step: h.step,
    config,
    settings: h.settings,
    weights,
    adam: { step: h.adamStep, m, v },
    ema,
    losses,
  };
}
