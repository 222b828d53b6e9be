import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { aToLogSnr, aToSigma, aToTime, logSnrToA, sigmaToA, timeToA } from './conversions.js';

/** Signal levels across the whole float64 range that matters, including values next to 0 and to 1. */
const level = fc.oneof(
  fc.double({ min: 1e-300, max: 1, noNaN: true }),
  fc.double({ min: 0.999, max: 1, noNaN: true }),
  fc.constantFrom(1, 1 - 2 ** -53, 2 ** -1000),
);

function relative(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('conversions', () => {
  test('known values', () => {
    expect(aToTime(1)).toBe(-0); // −½ ln 1
    expect(timeToA(0.5 * Math.log(1000))).toBeCloseTo(1e-3, 15);
    expect(aToSigma(0.2)).toBe(2);
    expect(sigmaToA(80)).toBe(1 / 6401);
    expect(aToLogSnr(0.5)).toBe(0);
    expect(aToLogSnr(1)).toBe(Number.POSITIVE_INFINITY);
    expect(logSnrToA(Number.POSITIVE_INFINITY)).toBe(1);
    expect(logSnrToA(0)).toBe(0.5);
  });

  // Error budget: each conversion is a few correctly rounded operations, but exp/log amplify a relative error of
  // ε = 2^−53 by |ln a| ≤ 691 for a ≥ 1e−300, so 1e−12 is ≈ 20 × that worst case.
  test.prop([level])('a → t → a, a → σ → a and a → λ → a round-trip', (a) => {
    expect(relative(timeToA(aToTime(a)), a)).toBeLessThan(1e-12);
    expect(relative(sigmaToA(aToSigma(a)), a)).toBeLessThan(1e-12);
    expect(relative(logSnrToA(aToLogSnr(a)), a)).toBeLessThan(1e-12);
  });

  test.prop([fc.double({ min: 1e-300, max: 1 - 1e-12, noNaN: true })])(
    'λ = −2 ln σ and t = ½ ln(1 + σ²)',
    (a) => {
      const sigma = aToSigma(a);
      expect(Math.abs(aToLogSnr(a) + 2 * Math.log(sigma))).toBeLessThan(1e-9 * (1 + Math.abs(aToLogSnr(a))));
      expect(Math.abs(aToTime(a) - 0.5 * Math.log1p(sigma * sigma))).toBeLessThan(1e-9 * (1 + aToTime(a)));
    },
  );

  test.prop([fc.double({ min: 0, max: 300, noNaN: true })])('t → a → t', (t) => {
    expect(Math.abs(aToTime(timeToA(t)) - t)).toBeLessThanOrEqual(1e-14 * Math.max(1, t));
  });

  test.each([
    ['aToTime', () => aToTime(0)],
    ['aToSigma', () => aToSigma(1.5)],
    ['aToLogSnr', () => aToLogSnr(Number.NaN)],
    ['timeToA', () => timeToA(-1)],
    ['sigmaToA', () => sigmaToA(Number.POSITIVE_INFINITY)],
    ['logSnrToA', () => logSnrToA(Number.NEGATIVE_INFINITY)],
  ])('%s refuses an out-of-range argument', (name, call) => {
    expect(call).toThrow(new RegExp(`^${name}: `));
  });
});
