import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, it } from 'vitest';
import { gaussianModel } from '../gaussian.js';
import { toPrediction } from '../prediction.js';
import { mlpArchitecture } from './architecture.js';
import { type DataScaling, dataSet, IDENTITY_SCALING } from './data.js';
import type { NetworkPredictionType } from './metadata.js';
import { modelSpaceTeacher } from './teacher.js';
import { trainScoreNetwork } from './train.js';

const LEVELS = [0.02, 0.2, 0.5, 0.8, 0.98];
const MEAN = [1, -0.5];
const COVARIANCE = [
  [1, 0.6],
  [0.6, 0.8],
];
/** A scaling far from the identity (and from the data's own standard scaling). */
const SCALING: DataScaling = { shift: 0.4, scale: 1.7 };

/** The exact model-space law of (x0 − shift) · scale for x0 ~ N(MEAN, COVARIANCE): a Gaussian again. */
function modelSpaceGaussian(scaling: DataScaling) {
  const { shift, scale } = scaling;
  return gaussianModel({
    mean: MEAN.map((m) => (m - shift) * scale),
    covariance: COVARIANCE.map((row) => row.map((c) => c * scale * scale)),
  });
}

function rms(a: tf.Tensor2D, b: tf.Tensor2D): number {
  return tf.tidy(() => Math.sqrt(tf.mean(tf.square(tf.sub(a, b))).dataSync()[0]!));
}

describe('modelSpaceTeacher', () => {
  test.prop(
    [
      fc.double({ min: -2, max: 2, noNaN: true }),
      fc.double({ min: 0.2, max: 5, noNaN: true }),
      fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    ],
    { numRuns: 30 },
  )(
    'is the score of the scaled Gaussian: s_model(y, a) = s_data((y + c)/k, b)/k (closed form)',
    (shift, scale, a) => {
      const scaling = { shift, scale };
      const teacher = modelSpaceTeacher(gaussianModel({ mean: MEAN, covariance: COVARIANCE }), scaling);
      const exact = modelSpaceGaussian(scaling);
      tf.tidy(() => {
        const y: tf.Tensor2D = tf.mul(createRng(3).normal([64, 2]), 2);
        const want = exact.score(y, a);
        const scale2 = tf.sqrt(tf.mean(tf.square(want))).dataSync()[0]!;
        expect(rms(teacher.score(y, a), want) / scale2).toBeLessThan(1e-4);
      });
    },
  );

  it('negative control: the data-space teacher used as is (the old bug) is wrong in model space', () => {
    const data = gaussianModel({ mean: MEAN, covariance: COVARIANCE });
    const exact = modelSpaceGaussian(SCALING);
    tf.tidy(() => {
      const y = createRng(4).normal([64, 2]) as tf.Tensor2D;
      const want = exact.score(y, 0.5);
      expect(rms(data.score(y, 0.5), want)).toBeGreaterThan(0.1);
      expect(modelSpaceTeacher(data, IDENTITY_SCALING)).toBe(data);
    });
  });
});

/**
 * A network regressed on an exact Gaussian teacher, for each head, in data space (identity scaling) and under a
 * non-identity scaling. Errors are root mean squares in the head's own space against the exact model-space
 * prediction of the same head; the untrained network predicts 0, so its error is the RMS of the exact target: the
 * negative control.
 */
describe('a network regressed on an exact Gaussian score', () => {
  const cases: readonly { head: NetworkPredictionType; scaling: DataScaling }[] = [
    { head: 'epsilon', scaling: IDENTITY_SCALING },
    { head: 'epsilon', scaling: SCALING },
    { head: 'x0', scaling: SCALING },
    { head: 'v', scaling: SCALING },
  ];
  for (const { head, scaling } of cases) {
    it(`learns it: ${head} head, scaling shift ${scaling.shift} scale ${scaling.scale}`, async () => {
      const model = gaussianModel({ mean: MEAN, covariance: COVARIANCE });
      const exact = modelSpaceGaussian(scaling);
      const rng = createRng(11);
      const samples = model.sample(2048, rng.fork('data'));
      const data = dataSet(samples.dataSync() as Float32Array, 2048, 2);
      samples.dispose();
      const result = await trainScoreNetwork({
        network: {
          architecture: mlpArchitecture(2, { hidden: 32, depth: 2, embeddingSize: 16 }),
          predictionType: head,
          scaling,
        },
        data,
        teacher: model,
        steps: 400,
        batchSize: 64,
        learningRate: 3e-3,
        // A constant rate (no warm-up or decay): the run the tolerance below was measured for.
        warmupSteps: 0,
        decaySteps: 0,
        emaDecay: 0.99,
        rng: rng.fork('train'),
      });
      const trained: number[] = [];
      const untrained: number[] = [];
      for (const [i, a] of LEVELS.entries()) {
        tf.tidy(() => {
          const y0 = exact.sample(1000, rng.fork(`eval-${i}`));
          const noise = rng.fork(`noise-${i}`).normal([1000, 2]);
          const y: tf.Tensor2D = tf.add(tf.mul(y0, Math.sqrt(a)), tf.mul(noise, Math.sqrt(1 - a)));
          const want = toPrediction(exact, head, y, a);
          trained.push(rms(result.network.predict(y, a), want));
          untrained.push(rms(tf.zerosLike(want), want));
        });
      }
      result.network.dispose();
      // The loss is the head-space MSE with levels uniform in log-SNR, so the error is about level-independent in the
      // head's space. Tolerance 0.075: measured 0.022–0.053 over the heads and levels (the ε head in data space 0.024–
      // 0.035, as before the heads were added); the x0 targets of the scaled data have RMS up to 2.1, so it is ≤ 4 % of
      // them. Negative control: the untrained network's errors (the targets' RMS, 0.12–2.1) average ≥ 3× the tolerance.
      const tolerance = 0.075;
      for (const error of trained) expect(error).toBeLessThan(tolerance);
      expect(untrained.reduce((s, e) => s + e, 0) / untrained.length).toBeGreaterThan(3 * tolerance);
    });
  }
});
