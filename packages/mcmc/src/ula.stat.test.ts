/**
 * ULA's bias on a Gaussian matches its closed form. For π = N(μ, Σ) with precision P = Σ⁻¹, the chain
 * x' = x + τ P (μ − x) + sqrt(2τ) ξ is linear: x' − μ = (I − τP)(x − μ) + sqrt(2τ) ξ, so its stationary covariance
 * S solves S = (I − τP) S (I − τP) + 2τ I, i.e. S = (P (I − τP/2))⁻¹ (τ < 2/λ_max(P)); the mean stays μ.
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget, inverseSpd, sampleMoments } from '@rtk-diffusion/test-utils';
import { expect, test } from 'vitest';
import { run } from './run.js';
import { ula } from './ula.js';

test('ULA on a correlated Gaussian reaches the closed-form stationary covariance (P (I − τP/2))⁻¹', async () => {
  const sigma = [
    [1, 0.8],
    [0.8, 1],
  ];
  const target = gaussianTarget({ mean: [1, -1], covariance: sigma });
  // Precision eigenvalues 5 and 0.556; τ = 0.2 doubles the variance along the stiff direction (τλ = 1).
  const tau = 0.2;
  const p = inverseSpd(sigma);
  const pSquared = p.map((row) => row.map((_, j) => row.reduce((s, v, k) => s + v * p[k]![j]!, 0)));
  const expected = inverseSpd(p.map((row, i) => row.map((v, j) => v - (tau / 2) * pSquared[i]![j]!)));
  // Started at exact samples of π, the covariance error decays like (1 − τλ_min)^{2k} = 0.889^{2k} < 1e−10 at
  // k = 100 steps.
  const n = 4000;
  const x0 = target.sample(n, createRng(1));
  const { x, evaluations } = await run(ula({ stepSize: tau }), target, x0, { steps: 100, rng: createRng(2) });
  expect(evaluations).toEqual({ grad: 101, logDensity: 0 });
  const { mean, covariance } = sampleMoments(await x.data(), 2);
  // Standard errors of the sample moments of N(μ, S): mean_j sqrt(S_jj/n); covariance (j,k) sqrt((S_jk² + S_jj S_kk)/n).
  // Tolerance: 5 standard errors.
  const se = (j: number, k: number) =>
    Math.sqrt((expected[j]![k]! ** 2 + expected[j]![j]! * expected[k]![k]!) / n);
  for (let j = 0; j < 2; j++) {
    expect(Math.abs(mean[j]! - target.mean[j]!)).toBeLessThan(5 * Math.sqrt(expected[j]![j]! / n));
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(covariance[j]![k]! - expected[j]![k]!)).toBeLessThan(5 * se(j, k));
    }
  }
  // Negative control: the bias is resolved, i.e. the target's own covariance is outside the same tolerance.
  const outside = [0, 1].some((j) =>
    [0, 1].some((k) => Math.abs(covariance[j]![k]! - sigma[j]![k]!) > 5 * se(j, k)),
  );
  expect(outside).toBe(true);
  tf.dispose([x0, x]);
});
