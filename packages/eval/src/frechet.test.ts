import { fc, test } from '@fast-check/vitest';
import { createRng, ShapeError, ValidationError } from '@rtk-diffusion/tensor';
import { sampleMoments } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { frechetDistance, frechetDistanceGaussian, gaussianFit } from './frechet.js';

const diagonal = (values: readonly number[]) => values.map((v, j) => values.map((_, k) => (j === k ? v : 0)));

/** Rotation by angle t applied as R diag(a, b) Rᵀ. */
const rotated = (a: number, b: number, t: number) => {
  const [c, s] = [Math.cos(t), Math.sin(t)];
  return [
    [a * c * c + b * s * s, (a - b) * c * s],
    [(a - b) * c * s, a * s * s + b * c * c],
  ];
};

const positive = fc.double({ min: 0.05, max: 5, noNaN: true });

describe('Fréchet distance between Gaussians', () => {
  test.prop([
    fc.array(fc.tuple(positive, positive, fc.double({ min: -3, max: 3, noNaN: true })), {
      minLength: 1,
      maxLength: 5,
    }),
  ])('commuting (diagonal) covariances: ‖μ₁ − μ₂‖² + Σ_k (sqrt a_k − sqrt b_k)²', (coordinates) => {
    const a = coordinates.map(([v]) => v);
    const b = coordinates.map(([, v]) => v);
    const delta = coordinates.map(([, , v]) => v);
    const expected = coordinates.reduce((s, [u, v, m]) => s + m * m + (Math.sqrt(u) - Math.sqrt(v)) ** 2, 0);
    const got = frechetDistanceGaussian(
      { mean: delta, covariance: diagonal(a) },
      { mean: delta.map(() => 0), covariance: diagonal(b) },
    );
    expect(got).toBeCloseTo(expected, 8);
  });

  test.prop([positive, positive, positive, positive, fc.double({ min: 0, max: Math.PI, noNaN: true })])(
    'non-commuting 2 × 2 covariances: tr (Σ₁^½ Σ₂ Σ₁^½)^½ = sqrt(tr Σ₁Σ₂ + 2 sqrt(det Σ₁ det Σ₂))',
    (a1, b1, a2, b2, angle) => {
      const s1 = diagonal([a1, b1]);
      const s2 = rotated(a2, b2, angle);
      const trace12 = s1[0]![0]! * s2[0]![0]! + s1[1]![1]! * s2[1]![1]!; // s1 is diagonal
      const cross = Math.sqrt(trace12 + 2 * Math.sqrt(a1 * b1 * a2 * b2));
      const expected = Math.max(0, a1 + b1 + a2 + b2 - 2 * cross);
      const got = frechetDistanceGaussian({ mean: [0, 0], covariance: s1 }, { mean: [0, 0], covariance: s2 });
      expect(got).toBeCloseTo(expected, 8);
      // Symmetric in its arguments, and 0 between a Gaussian and itself.
      expect(
        frechetDistanceGaussian({ mean: [0, 0], covariance: s2 }, { mean: [0, 0], covariance: s1 }),
      ).toBeCloseTo(got, 8);
      expect(
        frechetDistanceGaussian({ mean: [1, 2], covariance: s2 }, { mean: [1, 2], covariance: s2 }),
      ).toBeCloseTo(0, 8);
    },
  );

  test('a singular covariance is fine (eigenvalues clamped at 0)', () => {
    const got = frechetDistanceGaussian(
      { mean: [0, 0], covariance: diagonal([1, 0]) },
      { mean: [0, 0], covariance: diagonal([0, 4]) },
    );
    expect(got).toBeCloseTo(1 + 4, 10);
  });

  test('typed errors for inconsistent moments', () => {
    const ok = { mean: [0, 0], covariance: diagonal([1, 1]) };
    expect(() => frechetDistanceGaussian(ok, { mean: [0], covariance: [[1]] })).toThrow(ValidationError);
    expect(() =>
      frechetDistanceGaussian(ok, { mean: [0, Number.NaN], covariance: diagonal([1, 1]) }),
    ).toThrow(/finite/);
    expect(() => frechetDistanceGaussian({ mean: [], covariance: [] }, { mean: [], covariance: [] })).toThrow(
      ValidationError,
    );
  });
});

describe('Gaussian fits and the Fréchet distance of samples', () => {
  test('gaussianFit equals the float64 sample mean and unbiased covariance, on the host or the backend', async () => {
    const rng = createRng(1);
    const values = rng.normalArray(500, 3).map((v, k) => v * (1 + (k % 3)) + (k % 3));
    const { mean, covariance } = sampleMoments(values, 3);
    const options = [
      {},
      { precision: 'float64' },
      { precision: 'float32', chunkSize: 7 },
      { precision: 'float32' },
    ] as const;
    for (const option of options) {
      const fit = await gaussianFit({ values, d: 3 }, option);
      expect(fit.n).toBe(500);
      for (let j = 0; j < 3; j++) {
        expect(fit.mean[j]).toBeCloseTo(mean[j]!, 6);
        for (let k = 0; k < 3; k++) expect(fit.covariance[j]![k]).toBeCloseTo(covariance[j]![k]!, 4);
      }
    }
  });

  test('identical samples give 0', async () => {
    const values = createRng(2).normalArray(200, 4);
    expect(await frechetDistance({ values, d: 4 }, { values, d: 4 })).toBeCloseTo(0, 8);
  });

  test('typed errors', async () => {
    await expect(gaussianFit([[1, 2]])).rejects.toThrow(/at least 2 rows/);
    await expect(gaussianFit([[1], [2]], { chunkSize: 0 })).rejects.toThrow(ValidationError);
    await expect(gaussianFit([[1], [2]], { precision: 'float16' as 'float32' })).rejects.toThrow(/precision/);
    await expect(
      frechetDistance(
        [[1], [2]],
        [
          [1, 2],
          [3, 4],
        ],
      ),
    ).rejects.toThrow(ShapeError);
  });
});
