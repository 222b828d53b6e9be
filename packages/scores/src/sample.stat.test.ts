/**
 * Statistical checks of the exact samplers at fixed seeds: KS tests of marginals and projections against exact CDFs
 * at level 1e−3 (with shifted negative controls), moments within 5 standard errors, point frequencies of the
 * empirical model within 5 binomial standard errors.
 */
import { createRng } from '@rtk-diffusion/tensor';
import { column, ksCritical, ksOneSample, normalCdf, sampleMoments } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { empiricalModel } from './empirical.js';
import { gaussianModel } from './gaussian.js';
import { mixtureModel } from './mixture.js';

const spec = {
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
  ] as const,
};
const full = (i: number) => {
  const c = spec.covariances[i]!;
  if (typeof c === 'number') return [0, 1, 2].map((r) => [0, 1, 2].map((s) => (r === s ? c : 0)));
  if (!Array.isArray(c[0]))
    return [0, 1, 2].map((r) => [0, 1, 2].map((s) => (r === s ? (c as readonly number[])[r]! : 0)));
  return c as readonly (readonly number[])[];
};

/** CDF of uᵀx for x from the mixture: Σ_i w_i Φ((t − uᵀμ_i) / sqrt(uᵀ Σ_i u)). */
function projectionCdf(u: readonly number[], shift = 0) {
  const parts = spec.weights.map((w, i) => {
    const mean = u.reduce((s, v, j) => s + v * spec.means[i]![j]!, 0) + shift;
    const sigma = full(i);
    const variance = u.reduce((s, v, r) => s + v * u.reduce((t, q, c) => t + sigma[r]![c]! * q, 0), 0);
    return { w, mean, sd: Math.sqrt(variance) };
  });
  return (t: number) => parts.reduce((s, p) => s + p.w * normalCdf((t - p.mean) / p.sd), 0);
}

describe('exact samples', () => {
  test('mixture marginals and a correlated projection pass KS at 1e−3; shifted CDFs are rejected', async () => {
    const n = 20_000;
    const x = mixtureModel(spec).sample(n, createRng(77));
    const values = await x.data();
    x.dispose();
    const critical = ksCritical(1e-3, n);
    const directions = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [Math.SQRT1_2, Math.SQRT1_2, 0],
    ];
    for (const u of directions) {
      const projected = new Float64Array(n);
      for (let i = 0; i < n; i++) projected[i] = u.reduce((s, v, j) => s + v * values[i * 3 + j]!, 0);
      expect(ksOneSample(projected, projectionCdf(u))).toBeLessThan(critical);
      // Negative control: a shift of 0.1 (≈ 0.1–0.2 standard deviations of a component) is detected.
      expect(ksOneSample(projected, projectionCdf(u, 0.1))).toBeGreaterThan(critical);
    }
  });

  test('gaussian with full covariance: sample mean and covariance within 5 standard errors', async () => {
    const covariance = [
      [2, 0.9, 0],
      [0.9, 1, -0.3],
      [0, -0.3, 0.5],
    ];
    const mean = [1, -1, 0.5];
    const n = 20_000;
    const x = gaussianModel({ mean, covariance }).sample(n, createRng(5));
    const moments = sampleMoments(await x.data(), 3);
    x.dispose();
    for (let i = 0; i < 3; i++) {
      // SE of a mean: sqrt(Σ_ii / n); of a covariance entry: sqrt((Σ_ii Σ_jj + Σ_ij²) / n).
      expect(Math.abs(moments.mean[i]! - mean[i]!)).toBeLessThan(5 * Math.sqrt(covariance[i]![i]! / n));
      for (let j = 0; j < 3; j++) {
        const se = Math.sqrt((covariance[i]![i]! * covariance[j]![j]! + covariance[i]![j]! ** 2) / n);
        expect(
          Math.abs(moments.covariance[Math.max(i, j)]![Math.min(i, j)]! - covariance[i]![j]!),
        ).toBeLessThan(5 * se);
      }
    }
  });

  test('empirical model: each data point drawn with frequency 1/N within 5 binomial standard errors', async () => {
    const data = [[0], [1], [2], [3], [4]];
    const n = 10_000;
    const x = empiricalModel(data).sample(n, createRng(6));
    const values = column(await x.data(), 1, 0);
    x.dispose();
    for (const [point] of data) {
      const count = values.filter((v) => v === point).length;
      expect(Math.abs(count / n - 0.2)).toBeLessThan(5 * Math.sqrt((0.2 * 0.8) / n));
    }
  });
});
