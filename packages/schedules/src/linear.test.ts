import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { SPACINGS } from './discrete.js';
import { MAX_NOISIEST_LEVEL } from './grid.js';
import { linear } from './linear.js';

/** a_t of DDPM's chain, computed independently in log space: exp(Σ_{i≤t} log1p(−β_i)), t = 0 … 1000. */
const reference = (() => {
  const out = [1];
  let log = 0;
  for (let i = 1; i <= 1000; i++) {
    log += Math.log1p(-(1e-4 + ((0.02 - 1e-4) * (i - 1)) / 999));
    out.push(Math.exp(log));
  }
  return out;
})();

describe('linear', () => {
  test('DDPM: 1000 steps walk the whole chain, a_1000 ≈ 4.036e−5, last step α = 1 − β_1', () => {
    const grid = linear({ steps: 1000 });
    expect(grid.levels[0]! / 4.0358e-5).toBeCloseTo(1, 4);
    grid.levels.forEach((a, j) => {
      expect(Math.abs(a / reference[1000 - j]! - 1)).toBeLessThan(1e-12);
    });
    expect(grid.alphas[999]).toBeCloseTo(1 - 1e-4, 15);
    expect(grid.alphas[0]).toBeCloseTo(1 - 0.02, 15);
  });

  test('spacings pick the diffusers timesteps; leading never reaches t = 1000', () => {
    const t = (spacing: 'leading' | 'trailing' | 'linspace') =>
      linear({ steps: 10, spacing }).levels.map((a) =>
        reference.findIndex((r) => Math.abs(r / a - 1) < 1e-12),
      );
    expect(t('trailing')).toEqual([1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    expect(t('leading')).toEqual([901, 801, 701, 601, 501, 401, 301, 201, 101, 1, 0]);
    expect(t('linspace')).toEqual([1000, 889, 778, 667, 556, 445, 334, 223, 112, 1, 0]);
  });

  test.prop([fc.integer({ min: 1, max: 1000 }), fc.constantFrom(...SPACINGS)])(
    'every K: levels from the chain, ending at a = 1; refused exactly when a_K > 1e−3',
    (steps, spacing) => {
      const grid = linear({ steps, spacing, allowLargeNoisiest: true });
      expect(grid.levels[steps]).toBe(1);
      for (const a of grid.levels) {
        expect(reference.some((r) => Math.abs(r / a - 1) < 1e-12)).toBe(true);
      }
      if (grid.levels[0]! > MAX_NOISIEST_LEVEL) {
        expect(spacing).not.toBe('trailing'); // trailing always ends at a_1000
        expect(() => linear({ steps, spacing })).toThrow(/noisiest level/);
      } else {
        expect(linear({ steps, spacing })).toEqual(grid);
      }
    },
  );

  test('leading spacing with K = 5 stops at t = 801 (a ≈ 1.5e−3) and is refused without the override', () => {
    expect(() => linear({ steps: 5, spacing: 'leading' })).toThrow(/noisiest level a_K = 0.0015/);
  });

  test.each([
    [{ steps: 1001 }, /steps must be at most 1000/],
    [{ steps: 10, trainSteps: 5 }, /steps must be at most 5/],
    [{ steps: 10, betaStart: 0.03 }, /betaEnd must be a finite number in \[0.03, 1\)/],
    [{ steps: 10, betaEnd: 1 }, /betaEnd must be/],
    [{ steps: 10, betaStart: 0 }, /betaStart must be a finite number in \(0, 1\)/],
    [{ steps: 10, spacing: 'uniform' }, /spacing must be one of 'leading', 'trailing', 'linspace'/],
    [{ steps: 10, trainSteps: 100_000 }, /underflows .*betaStart = 1.00e-6, betaEnd = 2.00e-4/],
  ])('refuses %o', (options, message) => {
    expect(() => linear(options as never)).toThrow(message);
  });
});

describe('linear with many train steps', () => {
  test('scaled betas give a valid grid close to the 1000-step one at 100 000 steps', () => {
    // Both chains have Σβ = 10.05, so log a_N differs only by the discretisation terms Σ(−log(1 − β) − β) of the
    // coarse chain (≈ Σβ²/2 ≈ 0.067; the fine chain's are 100× smaller), plus 1e−3 for the Riemann sums.
    const fine = linear({ steps: 10, trainSteps: 100_000, betaStart: 1e-6, betaEnd: 2e-4 });
    const coarse = linear({ steps: 10 });
    let bound = 1e-3;
    for (let i = 0; i < 1000; i++) {
      const beta = 1e-4 + ((0.02 - 1e-4) * i) / 999;
      bound += -Math.log1p(-beta) - beta;
    }
    for (const [k, a] of fine.levels.entries()) {
      expect(Math.abs(Math.log(a / coarse.levels[k]!))).toBeLessThan(bound);
    }
  });
});
