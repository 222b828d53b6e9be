import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { gaussianModel } from './gaussian.js';
import { mixtureModel } from './mixture.js';

const mixed = mixtureModel({
  weights: [0.2, 0.5, 0.3],
  means: [
    [-3, 0, 1],
    [0, 2, 0],
    [3, -1, 0],
  ],
  covariances: [
    0.3,
    [0.2, 0.5, 0.1],
    [
      [1, 0.4, 0],
      [0.4, 0.5, 0.1],
      [0, 0.1, 0.3],
    ],
  ],
});

describe('sample', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 39 })])(
    'row-keyed: a batch drawn in two parts with atRows equals the batch drawn at once',
    async (seed, split) => {
      const whole = mixed.sample(40, createRng(seed));
      const first = mixed.sample(split, createRng(seed).atRows(0));
      const second = mixed.sample(40 - split, createRng(seed).atRows(split));
      const joined = tf.concat([first, second]);
      expect(await joined.array()).toEqual(await whole.array());
      tf.dispose([whole, first, second, joined]);
    },
  );

  test('same draws as test-utils’ isotropic mixture target (component by inverse CDF of u, then μ + σ z)', async () => {
    const spec = {
      weights: [0.3, 0.7],
      means: [
        [-2, 0],
        [2, 1],
      ],
      variance: 0.25,
    };
    const ours = mixtureModel({ weights: spec.weights, means: spec.means, covariances: [0.25, 0.25] }).sample(
      200,
      createRng(8),
    );
    const theirs = isotropicMixtureTarget(spec).sample(200, createRng(8));
    // Same numbers up to float32 rounding of μ + σ z (computed in float64 there): |x| ≲ 5, so ≲ 1e−6.
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!)).toBeLessThan(1e-5);
    tf.dispose([ours, theirs]);
  });

  test('each draw advances the stream: two calls differ; a Gaussian sample has the requested shape', async () => {
    const rng = createRng(1);
    const [p, q] = [mixed.sample(5, rng), mixed.sample(5, rng)];
    expect(await p.array()).not.toEqual(await q.array());
    const g = gaussianModel({ mean: [1, 2, 3, 4], covariance: 2 }).sample(7, rng);
    expect(g.shape).toEqual([7, 4]);
    tf.dispose([p, q, g]);
  });
});
