/**
 * A trained (or untrained) score network: a layers model plus its config, seen both as a `PredictionNetwork` and,
 * through `fromPrediction` (ALGORITHMS.md §1), as a `ScoreModel` in model space.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { assertBatch, tf, ValidationError } from '@rtk-diffusion/tensor';
import { checkLevel } from '../check.js';
import type { PredictionNetwork } from '../prediction.js';
import { fromPrediction } from '../prediction.js';
import type { ScoreModel } from '../types.js';
import { architectureDim, buildNetworkModel, checkArchitecture } from './architecture.js';
import { checkScaling } from './data.js';
import { checkLevelRange, levelEmbedding } from './embedding.js';
import { initialWeightValues, setWeightValues, weightValues } from './init.js';
import type { tfl } from './layers.js';
import type { NetworkPredictionType, ScoreNetworkConfig, TrainingObjective } from './metadata.js';
import { NETWORK_PREDICTION_TYPES } from './metadata.js';

/** A score network: a `ScoreModel` (in model space) that also exposes its raw prediction. */
export interface ScoreNetwork extends ScoreModel, PredictionNetwork {
  readonly config: ScoreNetworkConfig;
  readonly predictionType: NetworkPredictionType;
  /** How it was trained (set by `trainScoreNetwork` and kept through save and load; absent if unknown). */
  readonly objective?: TrainingObjective;
  /** The TensorFlow.js layers model (inputs `x` [dim] and `level` [embeddingSize]). */
  readonly model: tfl.LayersModel;
  /** The raw prediction at one level a for every row of x [n, dim]. A new tensor; x is not disposed. */
  predict(x: tf.Tensor2D, a: number): tf.Tensor2D;
  /** The raw prediction with one level per row (`levels.length` = n). */
  predictAt(x: tf.Tensor2D, levels: ArrayLike<number>): tf.Tensor2D;
  /** Model space → data space: x / scale + shift. */
  toData(x: tf.Tensor2D): tf.Tensor2D;
  /** Data space → model space: (x − shift) · scale. */
  fromData(x: tf.Tensor2D): tf.Tensor2D;
  /** The weights as host arrays, in `model.weights` order. */
  weights(): Float32Array[];
  /** Frees the weights. */
  dispose(): void;
}

/** Checks a network config and returns it. */
export function checkNetworkConfig(config: ScoreNetworkConfig, where: string): ScoreNetworkConfig {
  checkArchitecture(config.architecture);
  if (!NETWORK_PREDICTION_TYPES.includes(config.predictionType)) {
    throw new ValidationError(
      `${where}: predictionType must be one of ${NETWORK_PREDICTION_TYPES.join(', ')}, got ${JSON.stringify(config.predictionType)}`,
      { predictionType: config.predictionType },
    );
  }
  checkLevelRange(config.levels, where);
  checkScaling(config.scaling, where);
  return config;
}

/** A new network with seeded initial weights (see `init.ts`): same config and rng ⇒ same weights. */
export function createScoreNetwork(config: ScoreNetworkConfig, rng: Rng): ScoreNetwork {
  checkNetworkConfig(config, 'createScoreNetwork');
  const model = buildNetworkModel(config.architecture);
  setWeightValues(model, initialWeightValues(model, rng));
  return wrapScoreNetwork(model, config);
}

/**
 * Wraps a layers model of the config's architecture (e.g. one just loaded) as a {@link ScoreNetwork}.
 *
 * @throws {@link ValidationError} when the model's inputs or output do not fit the config.
 */
export function wrapScoreNetwork(
  model: tfl.LayersModel,
  config: ScoreNetworkConfig,
  objective?: TrainingObjective,
): ScoreNetwork {
  checkNetworkConfig(config, 'wrapScoreNetwork');
  const dim = architectureDim(config.architecture);
  const { embeddingSize } = config.architecture;
  const inputs = model.inputs.map((input) => input.shape[1]);
  const output = (model.outputs[0]?.shape ?? [])[1];
  if (inputs.length !== 2 || inputs[0] !== dim || inputs[1] !== embeddingSize || output !== dim) {
    throw new ValidationError(
      `wrapScoreNetwork: the model takes [${inputs.join(', ')}] → ${output}, but the config needs [${dim}, ${embeddingSize}] → ${dim}`,
      { inputs, output, dim, embeddingSize },
    );
  }
  const { shift, scale } = config.scaling;
  const predictAt = (x: tf.Tensor2D, levels: ArrayLike<number>): tf.Tensor2D => {
    assertBatch(x, dim, 'x');
    if (levels.length !== x.shape[0]) {
      throw new ValidationError(`predictAt: ${levels.length} levels for ${x.shape[0]} rows`, {
        levels: levels.length,
        rows: x.shape[0],
      });
    }
    const embedding = levelEmbedding(levels, embeddingSize, config.levels);
    try {
      return tf.tidy(() => model.apply([x, embedding], { training: false }) as tf.Tensor2D);
    } finally {
      embedding.dispose();
    }
  };
  const predict = (x: tf.Tensor2D, a: number): tf.Tensor2D => {
    checkLevel(a, 'predict');
    return predictAt(x, new Float64Array(x.shape[0]).fill(a));
  };
  const score = fromPrediction({ dim, predict }, config.predictionType);
  return {
    dim,
    config,
    predictionType: config.predictionType,
    ...(objective === undefined ? {} : { objective }),
    model,
    score: score.score,
    predict,
    predictAt,
    toData: (x) => tf.tidy(() => tf.add(tf.div(x, scale), shift)),
    fromData: (x) => tf.tidy(() => tf.mul(tf.sub(x, shift), scale)),
    weights: () => weightValues(model),
    dispose: () => model.dispose(),
  };
}

/**
 * A copy of `network` with other weights (host arrays in `model.weights` order), e.g. its EMA weights, and the
 * objective given (default: the network's).
 */
export function withWeights(
  network: ScoreNetwork,
  values: readonly Float32Array[],
  objective: TrainingObjective | undefined = network.objective,
): ScoreNetwork {
  const model = buildNetworkModel(network.config.architecture);
  setWeightValues(model, values);
  return wrapScoreNetwork(model, network.config, objective);
}
