import { fc, test } from '@fast-check/vitest';
import { createRng, ShapeError, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect } from 'vitest';
import { marginalAccuracy, marginalAccuracyPaper, marginalTotalVariation } from './marginal-accuracy.js';

/** n rows of d standard normals scaled by `scale`, as a row-major sample. */
function normal(seed: number, n: number, d: number, scale = 1, shift = 0) {
  const values = createRng(seed).normalArray(n, d);
  return { values: values.map((v) => v * scale + shift), d };
}

describe('marginal accuracy (standard)', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 60 })], { numRuns: 30 })(
    'a sample against itself is exactly 1, for any bins',
    async (seed, bins) => {
      const x = normal(seed, 50, 3);
      expect(await marginalAccuracy(x, x, { bins })).toBe(1);
      expect(await marginalAccuracy(x, x, { bins, range: [-1, 1] })).toBe(1);
    },
  );

  test('against a disjoint sample it is exactly 0', async () => {
    const x = normal(1, 200, 4, 0.1);
    const y = normal(2, 300, 4, 0.1, 10);
    expect(await marginalAccuracy(x, y)).toBe(0);
    expect(await marginalAccuracy(y, x, { bins: 3 })).toBe(0);
  });

  test('hand-computed value: TV_j = ½ Σ_b |p_b − q_b| per coordinate, averaged', async () => {
    // Coordinate 0: p = (½, ½), q = (1, 0) on [0, 1] with 2 bins → TV 0.5; coordinate 1 identical → TV 0.
    const x = [
      [0, 5],
      [1, 5],
    ];
    const y = [
      [0, 5],
      [0, 5],
      [0.2, 5],
    ];
    expect(await marginalTotalVariation(x, y, { bins: 2 })).toEqual([0.5, 0]);
    expect(await marginalAccuracy(x, y, { bins: 2 })).toBe(0.75);
  });

  test('with a fixed range, values outside count (in an outside cell) instead of being dropped', async () => {
    const x = [[0.5], [0.5]];
    const y = [[0.5], [7]];
    expect(await marginalTotalVariation(x, y, { bins: 4, range: [0, 1] })).toEqual([0.5]);
    expect(await marginalAccuracy([[8], [9]], x, { bins: 4, range: [0, 1] })).toBe(0);
  });

  test('typed errors for bad options and inputs', async () => {
    const x = [[0], [1]];
    await expect(marginalAccuracy(x, x, { bins: 0 })).rejects.toThrow(ValidationError);
    await expect(marginalAccuracy(x, x, { bins: 2.5 })).rejects.toThrow(/bins must be an integer ≥ 1/);
    await expect(marginalAccuracy(x, x, { range: [1, 0] })).rejects.toThrow(/finite low < high/);
    await expect(marginalAccuracy(x, x, { range: [0, Number.NaN] })).rejects.toThrow(ValidationError);
    await expect(marginalAccuracy(x, [[0, 1]])).rejects.toThrow(ShapeError);
    await expect(marginalAccuracy([], x)).rejects.toThrow(/empty/);
  });
});

describe('marginal accuracy of the RTK paper (ALGORITHMS.md §7)', () => {
  test('1 against itself, 0.5 against a disjoint sample (half the standard scale)', async () => {
    const x = normal(3, 300, 3, 0.2, -2);
    const y = normal(4, 300, 3, 0.2, 2);
    expect(await marginalAccuracyPaper(x, x)).toBe(1);
    expect(await marginalAccuracyPaper(x, y)).toBe(0.5);
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.double({ min: 0, max: 2, noNaN: true })], {
    numRuns: 25,
  })('equals (1 + standard)/2 with 200 bins on [−5, 5] when every value is in range', async (seed, shift) => {
    // Clamped into [−5, 5] so that no value is outside (the relation's condition).
    const clamp = ({ values, d }: { values: Float32Array; d: number }) => ({
      values: values.map((v) => Math.min(5, Math.max(-5, v))),
      d,
    });
    const x = clamp(normal(seed, 400, 5, 2));
    const y = clamp(normal(seed + 1, 300, 5, 2.5, shift));
    const standard = await marginalAccuracy(x, y, { bins: 200, range: [-5, 5] });
    expect(await marginalAccuracyPaper(x, y)).toBeCloseTo((1 + standard) / 2, 12);
  });

  test('drops values outside [−5, 5] and renormalises, as the authors code does (negative control)', async () => {
    // Half of y diverged to 100: the standard metric sees it (accuracy 0.5), the paper's metric does not (1).
    const x = [[0], [0]];
    const y = [[0], [100]];
    expect(await marginalAccuracy(x, y, { bins: 200, range: [-5, 5] })).toBe(0.5);
    expect(await marginalAccuracyPaper(x, y)).toBe(1);
  });

  test('hand-computed value, and the empty-histogram conventions', async () => {
    // 0 and 1 fall in bins 100 and 120: p = (½, ½), q = (1, 0) → TV ½ → 1 − ½/2.
    expect(await marginalAccuracyPaper([[0], [1]], [[0], [0]])).toBe(0.75);
    expect(await marginalAccuracyPaper([[9]], [[9]])).toBe(1);
    expect(await marginalAccuracyPaper([[9]], [[0]])).toBe(0.5);
  });
});
