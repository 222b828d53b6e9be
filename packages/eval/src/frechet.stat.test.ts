/**
 * The Fréchet distance of Gaussian fits against the closed form for the underlying Gaussians.
 *
 * For N(μ₁, σ₁² I_d) and N(μ₂, σ₂² I_d): d² = ‖δ‖² + d (σ₁ − σ₂)². The fits move it, to first order, by
 * 2 δ·(mean error), variance 4 δᵀ(Σ₁ + Σ₂)δ / n, and by 2 (σ₁ − σ₂)·(scale error) per coordinate, variance
 * d · 4 (σ₁ − σ₂)² (σ₁² + σ₂²)/(2n); the plug-in bias is ≈ (d + d(d+1)/4) (σ₁² + σ₂²)/n (see frechetDistance).
 */
import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { frechetDistance } from './frechet.js';

describe('Fréchet distance of large Gaussian samples', () => {
  test('N(0, I₃) vs N((1, 0, 0), 1.5² I₃): 1 + 3 · 0.25 = 1.75 (n = m = 20 000)', async () => {
    const n = 20_000;
    const d = 3;
    const rng = createRng(41);
    const x = { values: rng.normalArray(n, d), d };
    const y = { values: rng.normalArray(n, d).map((v, k) => 1.5 * v + (k % d === 0 ? 1 : 0)), d };
    const variances = 1 + 2.25;
    const standardError = Math.sqrt((4 * variances) / n + (d * 4 * 0.25 * variances) / (2 * n)); // ≈ 0.030
    const bias = ((d + (d * (d + 1)) / 4) * variances) / n; // ≈ 1e−3
    const tolerance = 5 * standardError + bias;
    for (const precision of ['float64', 'float32'] as const) {
      const value = await frechetDistance(x, y, { precision });
      expect(Math.abs(value - 1.75)).toBeLessThan(tolerance);
      // Negative control: the mean term alone (1.0) is rejected.
      expect(Math.abs(value - 1)).toBeGreaterThan(tolerance);
    }
  });

  test('two samples of one law: the bias is the stated (d + d(d+1)/4)(1/n + 1/m) for N(0, I)', async () => {
    // d = 4, n = m = 4000: expected ≈ (4 + 5) · 2/4000 = 4.5e−3; its spread is of the same order (a sum of ≈ d + d²/2
    // squared normal terms), so the check is loose: within a factor 3 either way (a χ²-like variable with ≥ 10
    // degrees of freedom stays within [1/3, 3] of its mean with probability > 0.999).
    const rng = createRng(42);
    const x = { values: rng.normalArray(4000, 4), d: 4 };
    const y = { values: rng.normalArray(4000, 4), d: 4 };
    const value = await frechetDistance(x, y);
    expect(value).toBeGreaterThan(4.5e-3 / 3);
    expect(value).toBeLessThan(4.5e-3 * 3);
  });
});
