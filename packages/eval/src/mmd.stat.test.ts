/**
 * MMD² against its closed form for two Gaussians, and its standard error against the spread of replicates.
 *
 * For X ~ N(μ₁, σ₁² I_d), Y ~ N(μ₂, σ₂² I_d) and k(x, y) = exp(−‖x − y‖²/(2h²)), with Z ~ N(δ, s² I_d),
 * E exp(−‖Z‖²/(2h²)) = (h²/(h² + s²))^{d/2} exp(−‖δ‖²/(2(h² + s²))), so
 * MMD² = (h²/(h² + 2σ₁²))^{d/2} + (h²/(h² + 2σ₂²))^{d/2} − 2 (h²/(h² + σ₁² + σ₂²))^{d/2} e^{−‖δ‖²/(2(h² + σ₁² + σ₂²))}.
 */
import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { mmd } from './mmd.js';

function closedForm(d: number, h: number, s1: number, s2: number, shiftSquared: number): number {
  const ratio = (v: number) => ((h * h) / (h * h + v)) ** (d / 2);
  const cross = ratio(s1 * s1 + s2 * s2) * Math.exp(-shiftSquared / (2 * (h * h + s1 * s1 + s2 * s2)));
  return ratio(2 * s1 * s1) + ratio(2 * s2 * s2) - 2 * cross;
}

function gaussians(seed: number, n: number, d: number) {
  const rng = createRng(seed);
  const x = { values: rng.normalArray(n, d), d };
  // Y = δ + 1.5 Z with δ = (1, 0, …).
  const y = { values: rng.normalArray(n, d).map((v, k) => 1.5 * v + (k % d === 0 ? 1 : 0)), d };
  return { x, y };
}

describe('MMD² of two Gaussians (d = 2, h = 1.5, σ₁ = 1, σ₂ = 1.5, ‖δ‖ = 1)', () => {
  const expected = closedForm(2, 1.5, 1, 1.5, 1); // ≈ 0.1157

  test('both estimators match the closed form within 5 standard errors (n = m = 2000)', async () => {
    const { x, y } = gaussians(11, 2000, 2);
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = await mmd(x, y, { bandwidth: 1.5, estimator });
      // The V-statistic's bias, (1 − E k(X,X'))/n + (1 − E k(Y,Y'))/m < 2/2000 = 1e−3, is added to its tolerance.
      const bias = estimator === 'biased' ? 1e-3 : 0;
      expect(Math.abs(result.value - expected)).toBeLessThan(5 * result.standardError + bias);
      // Negative control: the closed form without the shift (≈ 0.0446) is rejected at the same tolerance.
      expect(Math.abs(result.value - closedForm(2, 1.5, 1, 1.5, 0))).toBeGreaterThan(
        5 * result.standardError + bias,
      );
    }
  });

  test('the standard error matches the spread of 16 independent replicates (n = m = 500)', async () => {
    const values: number[] = [];
    const errors: number[] = [];
    for (let r = 0; r < 16; r++) {
      const { x, y } = gaussians(100 + r, 500, 2);
      const result = await mmd(x, y, { bandwidth: 1.5 });
      values.push(result.value);
      errors.push(result.standardError);
    }
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const spread = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
    const claimed = errors.reduce((s, v) => s + v, 0) / errors.length;
    // With 15 degrees of freedom, P(spread/σ ∉ [0.5, 1.8]) ≈ 1.6e−3 when the claimed σ is right.
    expect(spread / claimed).toBeGreaterThan(0.5);
    expect(spread / claimed).toBeLessThan(1.8);
    // And the replicates' mean is unbiased: within 5 standard errors of the mean of 16.
    expect(Math.abs(mean - expected)).toBeLessThan((5 * claimed) / 4);
  });
});
