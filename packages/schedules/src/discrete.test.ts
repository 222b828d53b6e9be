import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { cumulativeLevels, SPACINGS, spacedTimesteps } from './discrete.js';

describe('sub-sampling a training chain', () => {
  test('known timesteps for N = 1000 (the diffusers conventions, 1-based)', () => {
    expect(spacedTimesteps(1000, 10, 'leading')).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901]);
    expect(spacedTimesteps(1000, 10, 'trailing')).toEqual([
      100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ]);
    expect(spacedTimesteps(1000, 4, 'linspace')).toEqual([1, 334, 667, 1000]);
    expect(spacedTimesteps(1000, 1, 'linspace')).toEqual([1000]);
  });

  test.prop([
    fc.integer({ min: 1, max: 2000 }),
    fc.integer({ min: 1, max: 2000 }),
    fc.constantFrom(...SPACINGS),
  ])('K ≤ N distinct timesteps in 1…N, increasing; trailing and linspace end at N', (n, k, spacing) => {
    fc.pre(k <= n);
    const t = spacedTimesteps(n, k, spacing);
    expect(t).toHaveLength(k);
    t.forEach((value, i) => {
      expect(Number.isInteger(value) && value >= 1 && value <= n).toBe(true);
      if (i > 0) expect(value).toBeGreaterThan(t[i - 1]!);
    });
    if (spacing !== 'leading') expect(t[k - 1]).toBe(n);
  });

  test('cumulativeLevels is [1, (1 − β_1), (1 − β_1)(1 − β_2), …]', () => {
    expect(cumulativeLevels([0.5, 0.5, 0.2])).toEqual([1, 0.5, 0.25, 0.2]);
  });
});
