import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { aToLogSnr } from './conversions.js';
import { logSnrUniform } from './log-snr-uniform.js';

describe('logSnrUniform', () => {
  test('defaults: from 1e−4 to 0.9999, symmetric in λ, so the middle of an even grid is a = ½', () => {
    const grid = logSnrUniform({ steps: 2 });
    expect(grid.levels[0]).toBe(1e-4);
    expect(grid.levels[1]).toBeCloseTo(0.5, 12);
    expect(grid.levels[2]).toBe(0.9999);
  });

  test.prop([
    fc.integer({ min: 1, max: 2000 }),
    fc.double({ min: 1e-12, max: 1e-3, noNaN: true }),
    fc.double({ min: 0.01, max: 1 - 1e-9, noNaN: true }),
  ])('λ is evenly spaced between λ(aMin) and λ(aMax), ends exact', (steps, aMin, aMax) => {
    const grid = logSnrUniform({ steps, aMin, aMax });
    expect(grid.levels[0]).toBe(aMin);
    expect(grid.levels[steps]).toBe(aMax);
    const lambdas = grid.levels.map(aToLogSnr);
    const gap = (lambdas[steps]! - lambdas[0]!) / steps;
    // λ_k = λ_min + k·gap is rounded to ε·max|λ| (ε = 2^−53); the level a_k carries a relative error ε, which moves
    // λ by ε (1 + 1/(1 − a)) (the 1 − a term dominates near a = 1). A gap sees both ends' errors.
    const range = Math.max(Math.abs(lambdas[0]!), Math.abs(lambdas[steps]!));
    const slack = (a: number) => 4 * 2 ** -53 * (2 + 1 / (1 - a) + range);
    for (let k = 0; k < steps; k++) {
      const error = Math.abs(lambdas[k + 1]! - lambdas[k]! - gap);
      expect(error).toBeLessThan(slack(grid.levels[k]!) + slack(grid.levels[k + 1]!));
    }
  });

  test.each([
    [{ steps: 3, aMax: 1 }, /aMax must be a finite number in \(0, 1\)/],
    [{ steps: 3, aMin: 0.5, aMax: 0.4 }, /need aMin < aMax/],
    [{ steps: 3, aMin: 0.01 }, /noisiest level a_K = 0.01/],
  ])('refuses %o', (options, message) => {
    expect(() => logSnrUniform(options)).toThrow(message);
  });
});
