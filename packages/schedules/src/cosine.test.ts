import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { cosine } from './cosine.js';

/** Nichol & Dhariwal's ā(t) = f(t)/f(0) on an N-step chain, unclipped. */
function cosineLevel(t: number, n: number, s = 0.008): number {
  const f = (u: number) => Math.cos(((u / n + s) / (1 + s)) * (Math.PI / 2)) ** 2;
  return f(t) / f(0);
}

describe('cosine', () => {
  test('K = 1 is the single clipped step: levels [1 − 0.999, 1]', () => {
    expect(cosine({ steps: 1 }).levels).toEqual([1 - 0.999, 1]);
  });

  test.prop([fc.integer({ min: 1, max: 3000 })])(
    'every K: ā(t) = f(t)/f(0) until the last step, whose β is clipped to 0.999',
    (steps) => {
      const grid = cosine({ steps });
      // levels[j] is chain step t = K − j; every step but the last (t = K) is unclipped.
      for (let j = 1; j <= steps; j++) {
        expect(Math.abs(grid.levels[j]! / cosineLevel(steps - j, steps) - 1)).toBeLessThan(1e-9);
      }
      expect(grid.alphas[0]! / (1 - 0.999)).toBeCloseTo(1, 9);
      expect(grid.levels[0]!).toBeLessThanOrEqual(1e-3 * (1 + 1e-9));
    },
  );

  test('sub-sampling a 1000-step cosine chain with trailing spacing keeps its levels', () => {
    const chain = cosine({ steps: 1000 });
    const sub = cosine({ steps: 10, trainSteps: 1000 });
    sub.levels.forEach((a, j) => {
      expect(a).toBe(chain.levels[j * 100]);
    });
  });

  test.each([
    [{ steps: 10, offset: 0 }, /offset must be a finite number in \(0, 1\)/],
    [{ steps: 10, maxBeta: 1 }, /maxBeta must be/],
    [{ steps: 10, trainSteps: 9 }, /steps must be at most 9/],
  ])('refuses %o', (options, message) => {
    expect(() => cosine(options)).toThrow(message);
  });
});
