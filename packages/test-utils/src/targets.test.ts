import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, test } from 'vitest';
import { sampleMoments } from './stats.js';
import {
  cholesky,
  finiteDifferenceGradient,
  gaussianTarget,
  inverseSpd,
  isotropicMixtureTarget,
} from './targets.js';

const covariance = [
  [2, 0.9, 0],
  [0.9, 1, -0.3],
  [0, -0.3, 0.5],
];

describe('linear algebra', () => {
  test('cholesky and inverse reproduce the matrix and the identity', () => {
    const lower = cholesky(covariance);
    const inverse = inverseSpd(covariance);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const llt = lower[i]!.reduce((s, v, k) => s + v * lower[j]![k]!, 0);
        expect(llt).toBeCloseTo(covariance[i]![j]!, 12);
        const product = covariance[i]!.reduce((s, v, k) => s + v * inverse[k]![j]!, 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
    expect(() =>
      cholesky([
        [1, 2],
        [2, 1],
      ]),
    ).toThrow(/not positive definite/);
  });
});

describe('targets', () => {
  const gaussian = gaussianTarget({ mean: [1, -1, 0.5], covariance });
  const mixture = isotropicMixtureTarget({
    weights: [0.2, 0.8],
    means: [
      [-2, 0],
      [2, 1],
    ],
    variance: 0.5,
  });

  test.each([
    ['gaussian', gaussian],
    ['mixture', mixture],
  ] as const)('%s: grad equals the finite-difference gradient of logDensity', async (_name, target) => {
    const x = createRng(5).normal([16, target.dim]);
    const grad = target.grad(x);
    const numeric = finiteDifferenceGradient((y) => target.logDensity(y), x, 1e-2);
    const error = tf.tidy(() => tf.max(tf.abs(tf.sub(grad, numeric))).dataSync()[0]!);
    // float32 rounding of log π (|log π| ≲ 20 here) over 2h = 0.02 is ≈ 20 · 6e−8 / 0.02 ≈ 6e−5, plus O(h²) terms.
    expect(error).toBeLessThan(2e-3);
    tf.dispose([x, grad, numeric]);
  });

  test('finite differences work in one dimension too', async () => {
    const x = tf.tensor2d([[0.5], [-1]]);
    const grad = finiteDifferenceGradient((y) => tf.sum(tf.square(y), 1) as tf.Tensor1D, x, 1e-2);
    expect([...(await grad.data())].map((v) => Number(v.toFixed(3)))).toEqual([1, -2]);
    tf.dispose([x, grad]);
  });

  test('gaussian: log-density at the mean is the normaliser, smoothness is 1/λ_min(Σ)', async () => {
    const x = tf.tensor2d([[1, -1, 0.5]]);
    const value = (await gaussian.logDensity(x).data())[0]!;
    const logDet = 2 * cholesky(covariance).reduce((s, row, i) => s + Math.log(row[i]!), 0);
    expect(value).toBeCloseTo(-0.5 * (3 * Math.log(2 * Math.PI) + logDet), 5);
    const inverse = inverseSpd(covariance);
    // λ_max(Σ⁻¹) ≤ max row sum, ≥ max diagonal entry.
    expect(gaussian.smoothness).toBeGreaterThanOrEqual(Math.max(...inverse.map((r, i) => r[i]!)) - 1e-9);
    x.dispose();
  });

  test.each([
    ['gaussian', gaussian],
    ['mixture', mixture],
  ] as const)(
    '%s: samples have the stated mean and covariance (5 standard errors)',
    async (_name, target) => {
      const n = 40_000;
      const samples = target.sample(n, createRng(6));
      const { mean, covariance: cov } = sampleMoments(await samples.data(), target.dim);
      for (let j = 0; j < target.dim; j++) {
        const sd = Math.sqrt(target.covariance[j]![j]!);
        expect(Math.abs(mean[j]! - target.mean[j]!)).toBeLessThan((5 * sd) / Math.sqrt(n));
        // sd of a sample variance ≈ σ² sqrt(2/n) for Gaussians; mixtures have heavier fourth moments: use 4 σ² / √n.
        expect(Math.abs(cov[j]![j]! - target.covariance[j]![j]!)).toBeLessThan(
          (4 * sd * sd * 5) / Math.sqrt(n),
        );
      }
      samples.dispose();
    },
  );

  test('no tensor leaks', async () => {
    const x = createRng(7).normal([8, 2]);
    await expectNoTensorLeak(() => {
      tf.dispose([mixture.grad(x), mixture.logDensity(x), mixture.sample(4, createRng(1))]);
    });
    x.dispose();
  });
});
