/**
 * Sliced W₂ against closed forms for Gaussians: in 1-D, W₂²(N(μ₁, σ₁²), N(μ₂, σ₂²)) = (μ₁ − μ₂)² + (σ₁ − σ₂)²; for
 * isotropic Gaussians in d dimensions every projection is 1-D Gaussian, so SW₂² = ‖δ‖²/d + (σ₁ − σ₂)².
 *
 * Tolerances (first order): the plug-in W₂² moves with the sample means and scales, as 2Δ·(mean error) + 2(σ₁ − σ₂)·
 * (scale error), with variances v = (σ₁² + σ₂²)/n and w = (σ₁² + σ₂²)/(2n); averaged over directions the mean part
 * becomes (2/d) δ·(mean error). Its bias is below v + w plus the shape term 2 σ² E W₂²(F_n, F) ≈ 2 σ² log log n / n.
 */
import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { slicedWasserstein } from './sliced-wasserstein.js';

describe('sliced Wasserstein-2 of two Gaussians', () => {
  test('1-D: the exact W₂² of N(0, 1) and N(1, 1.5²) is 1.25 (n = m = 20 000)', async () => {
    const n = 20_000;
    const rng = createRng(31);
    const x = { values: rng.normalArray(n, 1), d: 1 };
    const y = { values: rng.normalArray(n, 1).map((v) => 1 + 1.5 * v), d: 1 };
    const result = await slicedWasserstein(x, y, { rng, projections: 1 });
    const v = 3.25 / n;
    const w = 3.25 / (2 * n);
    const standardError = Math.sqrt(4 * 1 * v + 4 * 0.25 * w); // ≈ 0.027
    const bias = v + w + 2 * 2.25 * (Math.log(Math.log(n)) / n); // ≈ 7.5e−4
    const tolerance = 5 * standardError + bias;
    expect(Math.abs(result.squared - 1.25)).toBeLessThan(tolerance);
    // Negative control: the mean term alone (1.0) is rejected.
    expect(Math.abs(result.squared - 1)).toBeGreaterThan(tolerance);
  });

  test('3-D: N(0, I) vs N((1, 1, 0), 1.5² I) gives ‖δ‖²/3 + 0.25 = 11/12 (n = m = 5000, L = 400)', async () => {
    const n = 5000;
    const rng = createRng(32);
    const x = { values: rng.normalArray(n, 3), d: 3 };
    const y = { values: rng.normalArray(n, 3).map((v, k) => 1.5 * v + (k % 3 < 2 ? 1 : 0)), d: 3 };
    const result = await slicedWasserstein(x, y, { rng, projections: 400 });
    const v = 3.25 / n;
    const w = 3.25 / (2 * n);
    const meanPart = (2 / 3) * Math.SQRT2 * Math.sqrt(v); // (2/d) ‖δ‖ sqrt(v)
    const scalePart = 2 * 0.5 * Math.sqrt(w);
    const standardError = Math.hypot(meanPart, scalePart, result.projectionError);
    const bias = v + w + 2 * 2.25 * (Math.log(Math.log(n)) / n);
    expect(Math.abs(result.squared - 11 / 12)).toBeLessThan(5 * standardError + bias);
    // Negative control: forgetting the 1/d of the mean part (2 + 0.25) is far outside.
    expect(Math.abs(result.squared - 2.25)).toBeGreaterThan(5 * standardError + bias);
  });
});
