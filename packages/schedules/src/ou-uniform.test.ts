import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { aToTime } from './conversions.js';
import { ouUniform } from './ou-uniform.js';

/** ½ ln 1000: the shortest horizon with a_K = e^{−2T} ≤ 1e−3. */
const MIN_HORIZON = 0.5 * Math.log(1000);

describe('ouUniform', () => {
  test('defaults: T = 5, δ = 0, so a_K = e^{−10} and a_0 = 1; five RTK segments of η = 1', () => {
    const grid = ouUniform({ steps: 5 });
    expect(grid.levels[0]).toBe(Math.exp(-10));
    expect(grid.levels[5]).toBe(1);
    for (const alpha of grid.alphas) expect(alpha).toBeCloseTo(Math.exp(-2), 14);
  });

  test.prop([
    fc.integer({ min: 1, max: 2000 }),
    fc.double({ min: MIN_HORIZON, max: 40, noNaN: true }),
    fc.double({ min: 0, max: 0.9, noNaN: true }),
  ])(
    'uniform in OU time on [δ, T]: equal α = e^{−2(T−δ)/K}, ends e^{−2T} and e^{−2δ}',
    (steps, horizon, fraction) => {
      const delta = fraction * horizon;
      const grid = ouUniform({ steps, horizon, delta });
      expect(grid.levels[0]).toBe(Math.exp(-2 * horizon));
      expect(grid.levels[steps]).toBe(Math.exp(-2 * delta));
      const alpha = Math.exp((-2 * (horizon - delta)) / steps);
      // Each level carries a relative error of ≈ 2T·ε from exp, so α does too (T ≤ 40: ≤ 1e−13).
      for (const value of grid.alphas) expect(Math.abs(value - alpha)).toBeLessThan(1e-12);
      // The OU times are evenly spaced.
      const times = grid.levels.map(aToTime);
      times.forEach((t, j) => {
        expect(Math.abs(t - (horizon - (j * (horizon - delta)) / steps))).toBeLessThan(1e-12 * horizon);
      });
    },
  );

  test.prop([
    fc.integer({ min: 1, max: 100 }),
    fc.double({ min: 0.01, max: MIN_HORIZON * 0.999, noNaN: true }),
  ])('a horizon shorter than ½ ln 1000 is refused unless allowLargeNoisiest', (steps, horizon) => {
    expect(() => ouUniform({ steps, horizon })).toThrow(/noisiest level.*allowLargeNoisiest/);
    expect(ouUniform({ steps, horizon, allowLargeNoisiest: true }).levels[0]).toBe(Math.exp(-2 * horizon));
  });

  test.each([
    [{ steps: 5, delta: -0.1 }, /delta must be a finite number in \[0/],
    [{ steps: 5, horizon: 0 }, /horizon must be a finite number in \(0/],
    [{ steps: 5, horizon: Number.POSITIVE_INFINITY }, /horizon must be a finite number/],
    [{ steps: 5, horizon: 4, delta: 4 }, /horizon T must be larger than the early-stopping time δ/],
    [{ steps: 0 }, /steps must be an integer K ≥ 1/],
    [{ steps: 5, horizn: 4 }, /unknown option 'horizn'/],
  ])('refuses %o', (options, message) => {
    expect(() => ouUniform(options as never)).toThrow(message);
  });
});
