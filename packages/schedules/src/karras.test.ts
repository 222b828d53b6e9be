import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { aToSigma } from './conversions.js';
import { karras } from './karras.js';

describe('karras', () => {
  test('EDM defaults: σ from 80 to 0.002, then σ = 0 (a = 1)', () => {
    const grid = karras({ steps: 18 });
    expect(grid.levels[0]).toBe(1 / 6401);
    expect(grid.levels[17]).toBe(1 / (1 + 0.002 ** 2));
    expect(grid.levels[18]).toBe(1);
    expect(karras({ steps: 1 }).levels).toEqual([1 / 6401, 1]);
  });

  test.prop([
    fc.integer({ min: 2, max: 1000 }),
    fc.double({ min: 1e-4, max: 1, noNaN: true }),
    fc.double({ min: 32, max: 500, noNaN: true }),
    fc.double({ min: 1, max: 10, noNaN: true }),
  ])('σ^{1/ρ} is evenly spaced from σ_max to σ_min over K levels', (steps, sigmaMin, sigmaMax, rho) => {
    const grid = karras({ steps, sigmaMin, sigmaMax, rho });
    const roots = grid.levels.slice(0, steps).map((a) => aToSigma(a) ** (1 / rho));
    const gap = (sigmaMin ** (1 / rho) - sigmaMax ** (1 / rho)) / (steps - 1);
    // σ goes through a = 1/(1 + σ²) and back: relative error ≈ 1e−15 · σ², then a 1/ρ power.
    for (let i = 0; i + 1 < steps; i++) {
      expect(Math.abs(roots[i + 1]! - roots[i]! - gap)).toBeLessThan(1e-9 * roots[0]!);
    }
  });

  test.each([
    [{ steps: 5, sigmaMax: 20 }, /noisiest level/],
    [{ steps: 5, sigmaMin: 100 }, /sigmaMax must be a finite number in \(100/],
    [{ steps: 5, sigmaMin: 1e-9 }, /rounds to a = 1/],
    [{ steps: 5, rho: 0 }, /rho must be/],
  ])('refuses %o', (options, message) => {
    expect(() => karras(options)).toThrow(message);
  });
});
