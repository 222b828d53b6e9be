import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { float32Above, float32Below } from './float32.js';

/** Largest finite float32: (2 − 2^−23) 2^127. */
const FLOAT32_MAX = (2 - 2 ** -23) * 2 ** 127;

describe('float32Below and float32Above', () => {
  test('known neighbours', () => {
    expect(float32Below(1)).toBe(1 - 2 ** -24);
    expect(float32Above(1)).toBe(1 + 2 ** -23);
    expect(float32Below(0)).toBe(-(2 ** -149));
    expect(float32Above(0)).toBe(2 ** -149);
    expect(float32Above(-1)).toBe(-1 + 2 ** -24);
    expect(float32Below(Number.POSITIVE_INFINITY)).toBe(FLOAT32_MAX);
    expect(float32Below(1e300)).toBe(FLOAT32_MAX);
    // Math.fround(0.1) = 13421773 · 2^−27 > 0.1, so the answer is one float32 step (2^−27) below it.
    expect(Math.fround(0.1)).toBe(13_421_773 * 2 ** -27);
    expect(float32Below(0.1)).toBe(13_421_772 * 2 ** -27);
    expect(float32Above(0.1)).toBe(13_421_773 * 2 ** -27);
  });

  test.prop([fc.double({ noNaN: true, min: -1e38, max: 1e38 })])(
    'the result is a float32 strictly beyond x with no float32 in between',
    (x) => {
      const below = float32Below(x);
      const above = float32Above(x);
      expect(Math.fround(below)).toBe(below);
      expect(Math.fround(above)).toBe(above);
      expect(below).toBeLessThan(x);
      expect(above).toBeGreaterThan(x);
      // The float32 midpoints next to them round to them or beyond x: nothing float32 lies in (below, x) or (x, above).
      expect(float32Above(below)).toBeGreaterThanOrEqual(x);
      expect(float32Below(above)).toBeLessThanOrEqual(x);
    },
  );
});
