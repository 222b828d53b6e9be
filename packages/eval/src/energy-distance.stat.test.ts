/**
 * The energy distance D² = 2 E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖ against closed forms for Gaussians.
 *
 * - 1-D: for Z ~ N(δ, s²), E|Z| = s sqrt(2/π) e^{−δ²/(2s²)} + δ (1 − 2Φ(−δ/s)); E|X − X'| = 2σ/sqrt(π).
 * - d-D, equal means: for Z ~ N(0, s² I_d), E‖Z‖ = s c_d with c_d = sqrt(2) Γ((d+1)/2)/Γ(d/2), so
 *   D² = c_d (2 sqrt(σ₁² + σ₂²) − sqrt(2) σ₁ − sqrt(2) σ₂).
 */
import { createRng } from '@rtk-diffusion/tensor';
import { normalCdf } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { energyDistance } from './energy-distance.js';

function meanAbsolute(delta: number, s: number): number {
  return (
    s * Math.sqrt(2 / Math.PI) * Math.exp(-(delta * delta) / (2 * s * s)) +
    delta * (1 - 2 * normalCdf(-delta / s))
  );
}

function oneDimensional(delta: number, s1: number, s2: number): number {
  return 2 * meanAbsolute(delta, Math.hypot(s1, s2)) - (2 * (s1 + s2)) / Math.sqrt(Math.PI);
}

describe('energy distance of two Gaussians', () => {
  test('1-D, N(0, 1) vs N(1, 1.5²): within 5 standard errors (n = m = 2000), with a negative control', async () => {
    const rng = createRng(21);
    const x = { values: rng.normalArray(2000, 1), d: 1 };
    const y = { values: rng.normalArray(2000, 1).map((v) => 1 + 1.5 * v), d: 1 };
    const expected = oneDimensional(1, 1, 1.5); // ≈ 0.487
    const result = await energyDistance(x, y);
    expect(Math.abs(result.value - expected)).toBeLessThan(5 * result.standardError);
    // Without the shift the closed form is ≈ 0.056: rejected at the same tolerance.
    expect(Math.abs(result.value - oneDimensional(0, 1, 1.5))).toBeGreaterThan(5 * result.standardError);
  });

  test('3-D, N(0, I) vs N(0, 1.5² I): within 5 standard errors (n = m = 2000)', async () => {
    const rng = createRng(22);
    const x = { values: rng.normalArray(2000, 3), d: 3 };
    const y = { values: rng.normalArray(2000, 3).map((v) => 1.5 * v), d: 3 };
    const c3 = Math.SQRT2 / (Math.sqrt(Math.PI) / 2); // sqrt(2) Γ(2) / Γ(3/2)
    const expected = c3 * (2 * Math.hypot(1, 1.5) - Math.SQRT2 * 2.5); // ≈ 0.1117
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = await energyDistance(x, y, { estimator });
      // The V-statistic is biased by E‖X − X'‖/n + E‖Y − Y'‖/m = c₃ sqrt(2) (1 + 1.5)/2000 ≈ 2.8e−3: added.
      const bias = estimator === 'biased' ? (c3 * Math.SQRT2 * 2.5) / 2000 : 0;
      expect(Math.abs(result.value - expected)).toBeLessThan(5 * result.standardError + bias);
    }
  });
});
