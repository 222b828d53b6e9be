import { fc, test } from '@fast-check/vitest';
import { isRtkError } from '@rtk-diffusion/tensor';
import { describe, expect } from 'vitest';
import { assertGrid, customGrid, MAX_NOISIEST_LEVEL } from './grid.js';

/** Strictly increasing levels in (0, 1] whose first is ≤ 1e−3: distinct doubles, sorted. */
const increasingLevels = fc
  .tuple(
    fc.double({ min: 1e-12, max: MAX_NOISIEST_LEVEL, noNaN: true }),
    fc.uniqueArray(fc.double({ min: 2e-3, max: 1, noNaN: true }), { minLength: 1, maxLength: 60 }),
  )
  .map(([noisiest, rest]) => [noisiest, ...rest.sort((x, y) => x - y)]);

describe('customGrid', () => {
  test('keeps the levels, computes α_k = a_k / a_{k+1}, names the grid custom, freezes it', () => {
    const grid = customGrid([1e-4, 0.01, 0.5, 1]);
    expect(grid.levels).toEqual([1e-4, 0.01, 0.5, 1]);
    expect(grid.alphas).toEqual([1e-4 / 0.01, 0.01 / 0.5, 0.5]);
    expect(grid.name).toBe('custom');
    expect(Object.isFrozen(grid) && Object.isFrozen(grid.levels) && Object.isFrozen(grid.alphas)).toBe(true);
  });

  test.prop([increasingLevels])(
    'any strictly increasing levels in (0, 1]: α ∈ (0, 1), ∏ α = a_K / a_0',
    (levels) => {
      const grid = customGrid(levels);
      expect(grid.alphas).toHaveLength(levels.length - 1);
      let product = grid.levels[levels.length - 1]!;
      for (const alpha of grid.alphas) {
        expect(alpha > 0 && alpha < 1).toBe(true);
        product *= alpha;
      }
      // One rounding per factor: relative error ≤ 2K ulps.
      expect(Math.abs(product - levels[0]!)).toBeLessThanOrEqual(levels[0]! * 4 * levels.length * 2 ** -52);
    },
  );

  test.each([
    [
      'a decreasing grid, with a hint to reverse it',
      [1, 0.5, 1e-4],
      /strictly increasing.*sampling order.*toReversed/,
    ],
    ['a repeated level', [1e-4, 0.5, 0.5, 1], /levels\[1\] = 0.5 ≥ levels\[2\] = 0.5/],
    ['a level above 1', [1e-4, 0.5, 1.5], /levels\[2\] = 1.5/],
    ['a zero level', [0, 0.5, 1], /levels\[0\] = 0/],
    ['NaN', [1e-4, Number.NaN, 1], /levels\[1\] = NaN/],
    ['a single level', [1e-4], /at least two levels/],
    ['a noisiest level above 1e-3', [0.01, 0.5, 1], /noisiest level a_K = 0.01.*allowLargeNoisiest/],
    [
      'a noisiest level below float32 range',
      [1e-40, 0.5, 1],
      /a_K = 1e-40 is below 1.175e-38, the smallest normal float32/,
    ],
  ])('refuses %s with a ValidationError', (_what, levels, message) => {
    expect(() => customGrid(levels)).toThrow(message);
    try {
      customGrid(levels);
    } catch (error) {
      expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
    }
  });

  test('allowLargeNoisiest accepts a large a_K; a_K = 1 − 0.999 counts as 1e−3; unknown options are refused', () => {
    expect(customGrid([0.5, 1], { allowLargeNoisiest: true }).alphas).toEqual([0.5]);
    expect(customGrid([1 - 0.999, 1]).levels[0]).toBeGreaterThan(MAX_NOISIEST_LEVEL); // float64: 1.0000000000000009e-3
    expect(() => customGrid([0.0011, 1])).toThrow(/noisiest/); // negative control for the slack
    expect(() => customGrid([1e-4, 1], { allowLargeNoise: true } as never)).toThrow(
      /unknown option 'allowLargeNoise'/,
    );
  });
});

describe('assertGrid', () => {
  test('accepts a schedule grid or a consistent hand-made object; refuses inconsistent alphas', () => {
    const grid = customGrid([1e-4, 0.5, 1]);
    expect(assertGrid(grid)).toBe(grid);
    expect(assertGrid({ levels: [1e-4, 0.5, 1], alphas: [2e-4, 0.5], name: 'mine' }).name).toBe('mine');
    expect(() => assertGrid({ levels: [1e-4, 0.5, 1], alphas: [2e-4, 0.6], name: 'mine' })).toThrow(
      /alphas\[1\] = 0.6 but levels\[1\] \/ levels\[2\] = 0.5/,
    );
    expect(() => assertGrid({ levels: [1e-4, 0.5, 1], alphas: [2e-4], name: 'mine' })).toThrow(
      /needs 2 alphas/,
    );
    expect(() => assertGrid({ levels: [1, 0.5, 1e-4], alphas: [2, 2e3], name: 'mine' })).toThrow(
      /increasing/,
    );
    expect(() => assertGrid(null as never)).toThrow(/a grid is an object/);
  });
});
