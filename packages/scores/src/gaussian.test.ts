import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { gaussianTarget, inverseSpd } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { gaussianModel } from './gaussian.js';

const covariance = [
  [2, 0.9, 0],
  [0.9, 1, -0.3],
  [0, -0.3, 0.5],
];
const mean = [1, -1, 0.5];

describe('gaussianModel', () => {
  test('at a = 1 it is N(μ, Σ): agrees with test-utils’ gaussianTarget (an independent implementation)', () => {
    const model = gaussianModel({ mean, covariance });
    const target = gaussianTarget({ mean, covariance });
    const x = createRng(4).normal([32, 3]);
    const gaps = tf.tidy(() => [
      tf.max(tf.abs(tf.sub(model.score(x, 1), target.grad(x)))).dataSync()[0]!,
      tf.max(tf.abs(tf.sub(model.logDensity(x, 1), target.logDensity(x)))).dataSync()[0]!,
    ]);
    // float32: |C⁻¹ (x − m)| ≲ 30 with relative rounding ≈ 1e−6.
    expect(gaps[0]).toBeLessThan(1e-4);
    expect(gaps[1]).toBeLessThan(1e-4);
    expect(model.curvatureBound(1)).toBeCloseTo(target.smoothness!, 6);
    x.dispose();
  });

  test.prop([fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 })])(
    'at every level: s = −C⁻¹(x − sqrt(a) μ) with C = aΣ + (1 − a)I (float64 inverse)',
    async (a, seed) => {
      const model = gaussianModel({ mean, covariance });
      const x = createRng(seed).normal([8, 3]);
      const rows = (await x.array()) as number[][];
      const c = covariance.map((row, i) => row.map((v, j) => a * v + (i === j ? 1 - a : 0)));
      const precision = inverseSpd(c);
      const score = (await model.score(x, a).array()) as number[][];
      rows.forEach((row, n) => {
        const diff = row.map((v, j) => v - Math.sqrt(a) * mean[j]!);
        precision.forEach((p, i) => {
          const expected = -p.reduce((s, v, j) => s + v * diff[j]!, 0);
          expect(Math.abs(score[n]![i]! - expected)).toBeLessThan(1e-4 * (1 + Math.abs(expected)));
        });
      });
      x.dispose();
    },
  );

  test('curvatureBound(a) = 1/(a λ_min(Σ) + 1 − a) for a diagonal Σ; no leaks', async () => {
    const model = gaussianModel({ mean: [0, 0], covariance: [0.5, 2] });
    expect(model.curvatureBound(1)).toBeCloseTo(2, 12);
    expect(model.curvatureBound(0.5)).toBeCloseTo(1 / 0.75, 12);
    expect(gaussianModel({ mean: [0], covariance: 4 }).curvatureBound(1)).toBeCloseTo(0.25, 12);
    const x = createRng(1).normal([5, 2]);
    await expectNoTensorLeak(() => {
      tf.dispose([model.score(x, 0.3), model.logDensity(x, 0.3), model.sample(5, createRng(2))]);
    });
    x.dispose();
  });
});
