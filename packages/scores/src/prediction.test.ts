import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect } from 'vitest';
import { mixtureModel } from './mixture.js';
import {
  fromPrediction,
  PREDICTION_TYPES,
  predictionToScore,
  scoreToPrediction,
  toPrediction,
} from './prediction.js';
import type { PredictionType } from './types.js';

const seed = fc.integer({ min: 0, max: 2 ** 31 });
const type = fc.constantFrom(...PREDICTION_TYPES);
/** Levels away from a = 1, where ε, x0 and v determine the score. */
const level = fc.double({ min: 1e-4, max: 1 - 1e-4, noNaN: true });

function maxGap(p: tf.Tensor, q: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]!);
}

describe('prediction adapters', () => {
  test.prop([type, level, seed])(
    'scoreToPrediction then predictionToScore returns the score',
    (kind, a, s) => {
      const rng = createRng(s);
      const [x, score] = [rng.normal([10, 3]), rng.normal([10, 3])];
      const back = tf.tidy(() => predictionToScore(scoreToPrediction(score, kind, x, a), kind, x, a));
      // Each conversion multiplies by factors up to 1/sqrt(1 − a) ≤ 100 and back; float32 relative ≈ 1e−7 × 100².
      expect(maxGap(back, score)).toBeLessThan(1e-2 * (kind === 'score' ? 1e-3 : 1));
      tf.dispose([x, score, back]);
    },
  );

  test.prop([level, seed])(
    'v: the simplified form equals ALGORITHMS.md’s x̂0 = sqrt(a) x − sqrt(1 − a) v̂ route',
    async (a, s) => {
      const rng = createRng(s);
      const [x, v] = [rng.normal([4, 2]), rng.normal([4, 2])];
      const score = (await predictionToScore(v, 'v', x, a).array()) as number[][];
      const [xs, vs] = [(await x.array()) as number[][], (await v.array()) as number[][]];
      xs.forEach((row, i) => {
        row.forEach((xi, j) => {
          const x0 = Math.sqrt(a) * xi - Math.sqrt(1 - a) * vs[i]![j]!;
          const expected = (Math.sqrt(a) * x0 - xi) / (1 - a);
          expect(Math.abs(score[i]![j]! - expected)).toBeLessThan(1e-4 * (1 + Math.abs(expected)));
        });
      });
      tf.dispose([x, v]);
    },
  );

  test('for N(0, I) data (p_a = N(0, I) at every a): ε̂ = sqrt(1 − a) x, x̂0 = sqrt(a) x, v̂ = 0', async () => {
    const model = mixtureModel({ weights: [1], means: [[0, 0]], covariances: [1] });
    const x = createRng(2).normal([5, 2]);
    const a = 0.36;
    const expected: Record<PredictionType, tf.Tensor> = {
      score: tf.neg(x),
      epsilon: tf.mul(x, 0.8),
      x0: tf.mul(x, 0.6),
      v: tf.zerosLike(x),
    };
    for (const kind of PREDICTION_TYPES) {
      const prediction = toPrediction(model, kind, x, a);
      expect(maxGap(prediction, expected[kind])).toBeLessThan(1e-6);
      prediction.dispose();
    }
    tf.dispose([x, ...Object.values(expected)]);
  });

  test.prop([type, level, seed], { numRuns: 30 })(
    'fromPrediction(network predicting toPrediction(model)) has the model’s score',
    (kind, a, s) => {
      const model = mixtureModel({
        weights: [0.4, 0.6],
        means: [
          [-1, 0],
          [2, 1],
        ],
        covariances: [0.3, [0.5, 0.2]],
      });
      const network = {
        dim: 2,
        predict: (y: tf.Tensor2D, level: number) => toPrediction(model, kind, y, level),
      };
      const adapted = fromPrediction(network, kind);
      expect(adapted.predictionType).toBe(kind);
      const x = createRng(s).normal([10, 2]);
      const [p, q] = [adapted.score(x, a), model.score(x, a)];
      const scale = tf.tidy(() => tf.max(tf.abs(q)).dataSync()[0]!);
      expect(maxGap(p, q)).toBeLessThan(1e-3 * (1 + scale) * (kind === 'score' ? 1 : 1 / Math.sqrt(1 - a)));
      tf.dispose([x, p, q]);
    },
  );

  test('at a = 1 only a score prediction gives the score; the adapters dispose the network output; bad type', async () => {
    const x = tf.ones([2, 2]) as tf.Tensor2D;
    for (const kind of ['epsilon', 'x0', 'v'] as const) {
      expect(() => predictionToScore(x, kind, x, 1)).toThrow(/does not determine the score at a = 1/);
    }
    const same = predictionToScore(x, 'score', x, 1);
    expect(same).not.toBe(x);
    const adapted = fromPrediction({ dim: 2, predict: (y) => tf.mul(y, 2) as tf.Tensor2D }, 'epsilon');
    await expectNoTensorLeak(() => adapted.score(x, 0.5).dispose());
    expect(() => fromPrediction({ dim: 2, predict: (y) => y }, 'noise' as PredictionType)).toThrow(
      /prediction type must be one of 'score', 'epsilon', 'x0', 'v'/,
    );
    expect(() => adapted.score(tf.ones([2, 3]) as tf.Tensor2D, 0.5)).toThrow(/x must have 2 columns/);
    tf.dispose([x, same]);
  });
});
