import { fc, test } from '@fast-check/vitest';
import { isRtkError } from '@rtk-diffusion/tensor';
import { describe, expect } from 'vitest';
import { liTheory } from './li-theory.js';

describe('liTheory', () => {
  test('ALGORITHMS.md §2: c1 = 2, T = 10 never leaves its growth phase and ends at a_K ≈ 0.51', () => {
    expect(() => liTheory({ steps: 10, c1: 2 })).toThrow(/noisiest level a_K = 0.5/);
    expect(liTheory({ steps: 10, c1: 2, allowLargeNoisiest: true }).levels[0]).toBeCloseTo(0.508, 3);
  });

  test('ALGORITHMS.md §2: with c1 = 4, a_K ≤ 2e−4 for every T from 10 to 1000', () => {
    for (let steps = 10; steps <= 1000; steps++) {
      expect(liTheory({ steps, c1: 4 }).levels[0]).toBeLessThanOrEqual(2e-4);
    }
  });

  test.prop([
    fc.integer({ min: 2, max: 1000 }),
    fc.double({ min: 0.5, max: 4, noNaN: true }),
    fc.double({ min: 0.5, max: 8, noNaN: true }),
  ])(
    'β_1 = T^{−c0}; from t = 2, β grows, then stays flat at c1 log T / T; or a ValidationError',
    (steps, c0, c1) => {
      let grid: ReturnType<typeof liTheory>;
      try {
        grid = liTheory({ steps, c0, c1, allowLargeNoisiest: true });
      } catch (error) {
        // Only a β_t ≥ 1 (or a level equal to the next in float64) may be refused when a_K is allowed to be large.
        expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
        expect((error as Error).message).toMatch(/β_\d+ = .* is not in \(0, 1\)|strictly increasing/);
        expect((c1 * Math.log(steps)) / steps >= 1 || steps ** -c0 < 1e-15).toBe(true);
        return;
      }
      // In sampling order the last step is t = 1; β_t = 1 − α of the step into level t − 1.
      const betas = grid.alphas.map((alpha) => 1 - alpha).reverse();
      const rate = (c1 * Math.log(steps)) / steps;
      expect(Math.abs(betas[0]! - steps ** -c0)).toBeLessThan(1e-12);
      for (let t = 2; t <= steps; t++) {
        const beta = betas[t - 1]!;
        expect(beta).toBeLessThanOrEqual(rate * (1 + 1e-9));
        if (t > 2) expect(beta).toBeGreaterThanOrEqual(betas[t - 2]! * (1 - 1e-9) - 1e-15);
        const expected = rate * Math.min(steps ** -c0 * (1 + rate) ** t, 1);
        expect(Math.abs(beta - expected)).toBeLessThan(1e-9 * expected + 1e-15);
      }
    },
  );

  test.each([
    [{ steps: 1 }, /at least 2/],
    [{ steps: 5 }, /β_\d+ = .* not in \(0, 1\).*take more steps or a smaller c1/],
    [{ steps: 20, c0: -1 }, /c0 must be/],
    [{ steps: 20, c1: Number.NaN }, /c1 must be/],
  ])('refuses %o', (options, message) => {
    expect(() => liTheory(options)).toThrow(message);
  });
});
