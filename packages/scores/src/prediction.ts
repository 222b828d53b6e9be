/**
 * Prediction-type adapters (ALGORITHMS.md §1): a network that predicts the noise ε, the clean data x0 or the velocity
 * v = sqrt(a) ε − sqrt(1 − a) x0 becomes a score model, and a score model gives any of those predictions.
 *   ε̂ → s = −ε̂ / sqrt(1 − a)
 *   x̂0 → s = (sqrt(a) x̂0 − x) / (1 − a)
 *   v̂ → x̂0 = sqrt(a) x − sqrt(1 − a) v̂, then as above; expanded, s = −x − sqrt(a / (1 − a)) v̂ (the same value,
 *        without the cancellation of sqrt(a) x̂0 − x near a = 1).
 * The inverses: ε̂ = −sqrt(1 − a) s, x̂0 = (x + (1 − a) s) / sqrt(a), v̂ = sqrt(a) ε̂ − sqrt(1 − a) x̂0
 * = −sqrt((1 − a)/a) (x + s). At a = 1 the noise, data and velocity predictions do not determine the score.
 */
import { assertBatch, tf, ValidationError } from '@rtk-diffusion/tensor';
import { checkLevel } from './check.js';
import type { PredictionType, ScoreModel } from './types.js';

/** A network that predicts something at level a (a new tensor [n, dim]; it must not dispose x). */
export interface PredictionNetwork {
  readonly dim: number;
  predict(x: tf.Tensor2D, a: number): tf.Tensor2D;
}

/** The prediction types, in a stable order. */
export const PREDICTION_TYPES: readonly PredictionType[] = Object.freeze(['score', 'epsilon', 'x0', 'v']);

function checkType(type: unknown, where: string): PredictionType {
  if (!(PREDICTION_TYPES as readonly unknown[]).includes(type)) {
    throw new ValidationError(
      `${where}: the prediction type must be one of ${PREDICTION_TYPES.map((t) => `'${t}'`).join(', ')}, got ${JSON.stringify(type)}`,
      { type },
    );
  }
  return type as PredictionType;
}

/**
 * The score s(x, a) from a prediction of the given type at level a. Returns a new tensor; disposes nothing.
 *
 * @throws {@link ValidationError} at a = 1 for `epsilon`, `x0` and `v` (the score is not determined there).
 */
export function predictionToScore(
  prediction: tf.Tensor2D,
  type: PredictionType,
  x: tf.Tensor2D,
  a: number,
): tf.Tensor2D {
  checkType(type, 'predictionToScore');
  checkLevel(a, 'predictionToScore');
  if (type === 'score') return tf.clone(prediction);
  if (a === 1) {
    throw new ValidationError(
      `predictionToScore: a${type === 'epsilon' ? 'n' : ''} ${type} prediction does not determine the score at a = 1 (division by 1 − a = 0); evaluate at a < 1`,
      { type, a },
    );
  }
  return tf.tidy(() => {
    switch (type) {
      case 'epsilon':
        return tf.mul(prediction, -1 / Math.sqrt(1 - a));
      case 'x0':
        return tf.div(tf.sub(tf.mul(prediction, Math.sqrt(a)), x), 1 - a);
      default:
        return tf.sub(tf.neg(x), tf.mul(prediction, Math.sqrt(a / (1 - a))));
    }
  });
}

/** The prediction of the given type from the score s(x, a) at level a (defined at every a ∈ (0, 1]). */
export function scoreToPrediction(
  score: tf.Tensor2D,
  type: PredictionType,
  x: tf.Tensor2D,
  a: number,
): tf.Tensor2D {
  checkType(type, 'scoreToPrediction');
  checkLevel(a, 'scoreToPrediction');
  return tf.tidy(() => {
    switch (type) {
      case 'score':
        return tf.clone(score);
      case 'epsilon':
        return tf.mul(score, -Math.sqrt(1 - a));
      case 'x0':
        return tf.div(tf.add(x, tf.mul(score, 1 - a)), Math.sqrt(a));
      default:
        return tf.mul(tf.add(x, score), -Math.sqrt((1 - a) / a));
    }
  });
}

/**
 * A score model from a network that predicts `type`; its `predictionType` is `type`.
 *
 * @example
 * const model = fromPrediction({ dim: 2, predict: (x, a) => epsilonNet(x, a) }, 'epsilon');
 */
export function fromPrediction(network: PredictionNetwork, type: PredictionType): ScoreModel {
  const predictionType = checkType(type, 'fromPrediction');
  return {
    dim: network.dim,
    predictionType,
    score(x, a) {
      assertBatch(x, network.dim, 'x');
      checkLevel(a, 'score');
      const prediction = network.predict(x, a);
      try {
        return predictionToScore(prediction, predictionType, x, a);
      } finally {
        prediction.dispose();
      }
    },
  };
}

/** The prediction of `type` that the score model implies at (x, a): a new tensor [n, dim]. */
export function toPrediction(
  model: ScoreModel,
  type: PredictionType,
  x: tf.Tensor2D,
  a: number,
): tf.Tensor2D {
  checkType(type, 'toPrediction');
  const score = model.score(x, a);
  try {
    return scoreToPrediction(score, type, x, a);
  } finally {
    score.dispose();
  }
}
