/**
 * Training a score network by denoising score matching (see `objective.ts` for the levels, targets and weighting),
 * with Adam, gradient clipping, an EMA of the weights, progress events, cancellation and resumable checkpoints.
 *
 * Randomness: step k uses only `rng.fork('step-k')` (levels, noise) and the loader's epoch permutations of
 * `rng.fork('data')`, so the run is a pure function of (config, settings, data, rng, steps), and resuming from a
 * checkpoint at step k gives the same weights as never stopping.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { RtkError, tf, ValidationError } from '@rtk-diffusion/tensor';
import type { ScoreModel } from '../types.js';
import type { NetworkArchitecture } from './architecture.js';
import { architectureDim } from './architecture.js';
import type { LossWeighting, TrainingCheckpoint, TrainingSettings } from './checkpoint.js';
import { CHECKPOINT_FORMAT, checkResume } from './checkpoint.js';
import type { DataScaling, DataSet } from './data.js';
import { dataFingerprint, standardScaling } from './data.js';
import { DEFAULT_LEVEL_RANGE, type LevelRange, levelEmbedding } from './embedding.js';
import { setWeightValues } from './init.js';
import { createBatchSampler } from './loader.js';
import { LEVEL_SAMPLING, type NetworkPredictionType, type ScoreNetworkConfig } from './metadata.js';
import type { ScoreNetwork } from './network.js';
import { checkNetworkConfig, createScoreNetwork, withWeights } from './network.js';
import { batchLoss, makeBatch } from './objective.js';
import { createAdam, createWeightAverage } from './optimizer.js';
import { createYielder, integerAtLeast, throwIfAborted } from './run-control.js';
import { modelSpaceTeacher } from './teacher.js';
import { withWasmTrainingKernels } from './wasm-kernels.js';

/** Defaults of {@link trainScoreNetwork}. */
export const TRAIN_DEFAULTS: {
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly emaDecay: number;
  readonly clipNorm: number;
  readonly weighting: LossWeighting;
  readonly predictionType: NetworkPredictionType;
  readonly progressEvery: number;
} = Object.freeze({
  batchSize: 128,
  learningRate: 1e-2,
  warmupSteps: 100,
  emaDecay: 0.999,
  clipNorm: 1,
  weighting: 'simple',
  predictionType: 'epsilon',
  progressEvery: 10,
});

/** A progress event: after `step` completed steps of `steps`. */
export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  /** Mean loss of the steps since the previous event. */
  readonly loss: number;
  /** Training examples per second in this call so far. */
  readonly examplesPerSecond: number;
  readonly elapsedMs: number;
}

/** Options of {@link trainScoreNetwork}. */
export interface TrainScoreNetworkOptions {
  /** The network to train: its architecture, and optionally head (default ε), levels and scaling. */
  readonly network: {
    readonly architecture: NetworkArchitecture;
    readonly predictionType?: NetworkPredictionType;
    /** Default {@link DEFAULT_LEVEL_RANGE}. */
    readonly levels?: LevelRange;
    /** Default: the data set's own scaling, else `standardScaling(data)`. */
    readonly scaling?: DataScaling;
  };
  /** Training rows in data space (dim = the architecture's). */
  readonly data: DataSet;
  /** Total steps to reach (a resumed run continues from the checkpoint's step). */
  readonly steps: number;
  /** All randomness: initial weights (`fork('init')`), batches (`fork('data')`), levels and noise (`fork('step-k')`). */
  readonly rng: Rng;
  readonly batchSize?: number;
  /** Peak Adam learning rate η (after the warm-up, before the decay; see `optimizer.ts`). */
  readonly learningRate?: number;
  /** Steps of the linear learning-rate warm-up (default {@link TRAIN_DEFAULTS}; 0: none). */
  readonly warmupSteps?: number;
  /**
   * Steps of the cosine decay of the learning rate to a tenth (0: constant rate). Default: `steps`, or the
   * checkpoint's when resuming (a run resumed past it goes on at the floor).
   */
  readonly decaySteps?: number;
  /** EMA decay in [0, 1); 0 turns the EMA off. */
  readonly emaDecay?: number;
  /** Global gradient-norm bound; 0 turns clipping off. */
  readonly clipNorm?: number;
  readonly weighting?: LossWeighting;
  /**
   * Regress on this score model's prediction instead of the noise (e.g. an exact score, for tests). It is the score of
   * the data-space diffusion; training maps it into model space under the scaling (see `teacher.ts`).
   */
  readonly teacher?: ScoreModel;
  readonly onProgress?: (progress: TrainProgress) => void;
  /** Steps between progress events (and after the last step). */
  readonly progressEvery?: number;
  readonly signal?: AbortSignal;
  /** Steps between checkpoints handed to `onCheckpoint` (also called once when aborted). */
  readonly checkpointEvery?: number;
  readonly onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
  /** Continue from this checkpoint (same config and settings). */
  readonly resume?: TrainingCheckpoint;
}

/** What {@link trainScoreNetwork} returns. */
export interface TrainResult {
  /** The trained network with the EMA weights (the raw weights when emaDecay = 0). Dispose it when done. */
  readonly network: ScoreNetwork;
  /** The final state, to save or to continue from. */
  readonly checkpoint: TrainingCheckpoint;
  /** The loss of every step from step 0 (including resumed history). */
  readonly losses: Float32Array;
  readonly examplesPerSecond: number;
  readonly elapsedMs: number;
}

function resolve(options: TrainScoreNetworkOptions): {
  config: ScoreNetworkConfig;
  settings: TrainingSettings;
} {
  const { data, network } = options;
  const config = checkNetworkConfig(
    {
      architecture: network.architecture,
      predictionType: network.predictionType ?? TRAIN_DEFAULTS.predictionType,
      levels: network.levels ?? DEFAULT_LEVEL_RANGE,
      scaling: network.scaling ?? data.scaling ?? standardScaling(data),
    },
    'trainScoreNetwork',
  );
  const dim = architectureDim(config.architecture);
  if (data.dim !== dim) {
    throw new ValidationError(`trainScoreNetwork: the data has dim ${data.dim}, the architecture ${dim}`, {
      data: data.dim,
      architecture: dim,
    });
  }
  const settings: TrainingSettings = {
    batchSize: options.batchSize ?? Math.min(TRAIN_DEFAULTS.batchSize, data.n),
    learningRate: options.learningRate ?? TRAIN_DEFAULTS.learningRate,
    warmupSteps: options.warmupSteps ?? TRAIN_DEFAULTS.warmupSteps,
    decaySteps: options.decaySteps ?? options.resume?.settings.decaySteps ?? options.steps,
    emaDecay: options.emaDecay ?? TRAIN_DEFAULTS.emaDecay,
    clipNorm: options.clipNorm ?? TRAIN_DEFAULTS.clipNorm,
    weighting: options.weighting ?? TRAIN_DEFAULTS.weighting,
    teacher: options.teacher !== undefined,
    seed: options.rng.seed,
    rngPath: [...options.rng.path],
    dataSize: data.n,
    dataDim: data.dim,
    dataFingerprint: dataFingerprint(data),
  };
  if (
    !(settings.learningRate > 0) ||
    !(Number.isInteger(settings.warmupSteps) && settings.warmupSteps >= 0) ||
    !(Number.isInteger(settings.decaySteps) && settings.decaySteps >= 0) ||
    !(settings.emaDecay >= 0 && settings.emaDecay < 1) ||
    !(settings.clipNorm >= 0)
  ) {
    throw new ValidationError(
      `trainScoreNetwork: need learningRate > 0, integer warmupSteps, decaySteps ≥ 0, 0 ≤ emaDecay < 1, clipNorm ≥ 0; got ${settings.learningRate}, ${settings.warmupSteps}, ${settings.decaySteps}, ${settings.emaDecay}, ${settings.clipNorm}`,
      { ...settings },
    );
  }
  if (!['simple', 'min-snr'].includes(settings.weighting)) {
    throw new ValidationError(
      `trainScoreNetwork: weighting must be 'simple' or 'min-snr', got ${settings.weighting}`,
    );
  }
  return { config, settings };
}

/**
 * Trains a score network. Asynchronous only to let the event loop turn (abort signals, progress output, awaited
 * checkpoint writes); the computation itself is the backend's.
 *
 * @throws {@link ValidationError} for bad options or a checkpoint of another run; `RtkError` `E_ABORTED` when
 *   `signal` aborts (after handing the state of the completed steps to `onCheckpoint`); `E_NUMERIC` when the loss is
 *   not finite (with the step).
 */
export async function trainScoreNetwork(options: TrainScoreNetworkOptions): Promise<TrainResult> {
  const { config, settings } = resolve(options);
  const { data, rng, signal, resume, onCheckpoint } = options;
  const teacher = options.teacher && modelSpaceTeacher(options.teacher, config.scaling);
  const steps = integerAtLeast(options.steps, resume?.step ?? 0, 'steps', 'trainScoreNetwork');
  integerAtLeast(settings.batchSize, 1, 'batchSize', 'trainScoreNetwork');
  const progressEvery = integerAtLeast(
    options.progressEvery ?? TRAIN_DEFAULTS.progressEvery,
    1,
    'progressEvery',
    'trainScoreNetwork',
  );
  const checkpointEvery = integerAtLeast(
    options.checkpointEvery ?? steps + 1,
    1,
    'checkpointEvery',
    'trainScoreNetwork',
  );
  if (resume !== undefined) checkResume(resume, config, settings);

  const sampler = createBatchSampler(data.n, settings.batchSize, rng.fork('data'));
  const network = createScoreNetwork(config, rng.fork('init'));
  if (resume !== undefined) setWeightValues(network.model, resume.weights);
  const variables = network.model.weights.map((w) => w.read() as tf.Variable);
  const adam = createAdam(variables, settings, resume?.adam);
  const average =
    settings.emaDecay > 0 ? createWeightAverage(variables, settings.emaDecay, resume?.ema) : undefined;
  const { shift, scale } = config.scaling;
  const rows = tf.tidy(() => tf.mul(tf.sub(tf.tensor2d(data.values, [data.n, data.dim]), shift), scale));
  const losses = new Float32Array(steps);
  if (resume !== undefined) losses.set(resume.losses.subarray(0, resume.step));
  const pause = createYielder();
  const start = Date.now();
  const first = resume?.step ?? 0;
  let step = first;
  const snapshot = (): TrainingCheckpoint => ({
    format: CHECKPOINT_FORMAT,
    version: 1,
    step,
    config,
    settings,
    weights: network.weights(),
    adam: adam.state(),
    ema: average?.values() ?? [],
    losses: losses.slice(0, step),
  });
  const rate = () => ((step - first) * settings.batchSize * 1000) / Math.max(1, Date.now() - start);
  try {
    let intervalSum = 0;
    let intervalCount = 0;
    while (step < steps) {
      await pause();
      if (signal?.aborted && onCheckpoint !== undefined) await onCheckpoint(snapshot());
      throwIfAborted(signal, 'trainScoreNetwork', step);
      const stepRng = rng.fork(`step-${step}`);
      const indices = sampler.indices(step);
      const loss = withWasmTrainingKernels(() =>
        tf.tidy(() => {
          const x0 = tf.gather(rows, tf.tensor1d(indices, 'int32')) as tf.Tensor2D;
          const batch = makeBatch(
            x0,
            config.predictionType,
            config.levels,
            settings.weighting,
            stepRng,
            teacher,
          );
          const embedding = levelEmbedding(batch.levels, config.architecture.embeddingSize, config.levels);
          const { value, grads } = tf.variableGrads(
            () =>
              batchLoss(
                network.model.apply([batch.noised, embedding], { training: true }) as tf.Tensor2D,
                batch,
              ),
            variables,
          );
          adam.apply(variables.map((v) => grads[v.name]!));
          return value.dataSync()[0]!;
        }),
      );
      if (!Number.isFinite(loss)) {
        throw new RtkError(
          'E_NUMERIC',
          `trainScoreNetwork: the loss is ${loss} at step ${step}; lower the learning rate or check the data scaling`,
          { details: { step, loss } },
        );
      }
      step += 1;
      average?.update(step);
      losses[step - 1] = loss;
      intervalSum += loss;
      intervalCount += 1;
      if (step % progressEvery === 0 || step === steps) {
        options.onProgress?.({
          step,
          steps,
          loss: intervalSum / intervalCount,
          examplesPerSecond: rate(),
          elapsedMs: Date.now() - start,
        });
        intervalSum = 0;
        intervalCount = 0;
      }
      if (onCheckpoint !== undefined && step % checkpointEvery === 0 && step < steps)
        await onCheckpoint(snapshot());
    }
    const checkpoint = snapshot();
    const trained = withWeights(network, average === undefined ? checkpoint.weights : checkpoint.ema, {
      weighting: settings.weighting,
      levelSampling: LEVEL_SAMPLING,
    });
    return { network: trained, checkpoint, losses, examplesPerSecond: rate(), elapsedMs: Date.now() - start };
  } finally {
    rows.dispose();
    adam.dispose();
    average?.dispose();
    network.dispose();
  }
}
