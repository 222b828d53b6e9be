import { fc, test } from '@fast-check/vitest';
import { isRtkError, RtkError } from '@rtk-diffusion/tensor';
import { describe, expect } from 'vitest';
import { cosine } from './cosine.js';
import { MAX_NOISIEST_LEVEL } from './grid.js';
import { karras } from './karras.js';
import { liTheory } from './li-theory.js';
import { linear } from './linear.js';
import { logSnrUniform } from './log-snr-uniform.js';
import { ouUniform } from './ou-uniform.js';
import { isScheduleName, makeGrid, SCHEDULE_NAMES, type ScheduleName } from './registry.js';

/** Smallest K each schedule accepts with its default options (liTheory: c1 log K / K < 1 needs K ≥ 9). */
const MIN_STEPS: Record<ScheduleName, number> = {
  linear: 1,
  cosine: 1,
  ouUniform: 1,
  logSnrUniform: 1,
  karras: 1,
  liTheory: 9,
};

describe('makeGrid', () => {
  test('dispatches to the schedule functions', () => {
    expect(makeGrid('linear', 10, { spacing: 'leading' })).toEqual(linear({ steps: 10, spacing: 'leading' }));
    expect(makeGrid('cosine', 7)).toEqual(cosine({ steps: 7 }));
    expect(makeGrid('ouUniform', 5, { horizon: 4, delta: 1e-3 })).toEqual(
      ouUniform({ steps: 5, horizon: 4, delta: 1e-3 }),
    );
    expect(makeGrid('logSnrUniform', 3)).toEqual(logSnrUniform({ steps: 3 }));
    expect(makeGrid('karras', 18, { rho: 5 })).toEqual(karras({ steps: 18, rho: 5 }));
    expect(makeGrid('liTheory', 50, { c1: 5 })).toEqual(liTheory({ steps: 50, c1: 5 }));
  });

  test('an unknown name is an RtkError E_UNKNOWN_NAME that lists the names', () => {
    const call = () => makeGrid('quadratic' as ScheduleName, 10);
    expect(call).toThrow(RtkError);
    expect(call).toThrow(/unknown schedule "quadratic".*linear, cosine, ouUniform/);
    try {
      call();
    } catch (error) {
      expect(isRtkError(error, 'E_UNKNOWN_NAME')).toBe(true);
    }
    expect(isScheduleName('karras')).toBe(true);
    expect(isScheduleName('Karras')).toBe(false);
  });

  test('a step count below the minimum is refused by every schedule', () => {
    for (const name of SCHEDULE_NAMES) {
      for (const steps of [0, -1, 2.5, Number.NaN]) {
        expect(() => makeGrid(name, steps), `${name} with ${steps} steps`).toThrow(/steps must be/);
      }
    }
  });

  // The invariants of ALGORITHMS.md §2 for every schedule with its defaults, over K.
  test.prop([fc.constantFrom(...SCHEDULE_NAMES), fc.integer({ min: 1, max: 400 })])(
    'every default grid: K + 1 levels strictly increasing in (0, 1], a_K ≤ 1e−3, α ∈ (0, 1), ∏ α = a_K / a_0',
    (name, steps) => {
      fc.pre(steps >= MIN_STEPS[name]);
      const grid = makeGrid(name, steps);
      expect(grid.name).toBe(name);
      expect(grid.levels).toHaveLength(steps + 1);
      expect(grid.alphas).toHaveLength(steps);
      expect(grid.levels[0]!).toBeLessThanOrEqual(MAX_NOISIEST_LEVEL * (1 + 1e-9));
      grid.levels.forEach((a, k) => {
        expect(a > 0 && a <= 1).toBe(true);
        if (k > 0) expect(a).toBeGreaterThan(grid.levels[k - 1]!);
      });
      let product = grid.levels[steps]!;
      for (const alpha of grid.alphas) {
        expect(alpha > 0 && alpha < 1).toBe(true);
        product *= alpha;
      }
      // One rounding per factor and per level: relative error ≤ 4K ulps.
      expect(Math.abs(product - grid.levels[0]!)).toBeLessThanOrEqual(
        grid.levels[0]! * 8 * (steps + 1) * 2 ** -52,
      );
    },
  );

  test('below the minimum K, liTheory refuses its defaults', () => {
    expect(() => makeGrid('liTheory', MIN_STEPS.liTheory - 1)).toThrow(/β_\d+ = .* is not in \(0, 1\)/);
  });
});
