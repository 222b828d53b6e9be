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

  test('one outlier row cannot make a poor sample look good (the audit case; the pooled range fails it)', async () => {
    // A sample shifted by 2 standard deviations scores about 0.32. One row moved to 1e4 changes each TV_j by at most
    // 1/n (one row changes cell), so the accuracy may move by 1/n at most; on the pooled range it jumped to 0.9995.
    const rng = createRng(0);
    const truth = { values: rng.normalArray(2000, 2), d: 2 };
    const shifted = Float64Array.from(rng.normalArray(2000, 2), (v) => v + 2);
    const clean = await marginalAccuracy({ values: shifted, d: 2 }, truth);
    shifted[0] = 1e4;
    shifted[1] = 1e4;
    const withOutlier = await marginalAccuracy({ values: shifted, d: 2 }, truth);
    expect(clean).toBeLessThan(0.5);
    expect(Math.abs(withOutlier - clean)).toBeLessThanOrEqual(1 / 2000 + 1e-12);
    // Negative control: the pooled range lets the outlier widen every bin.
    expect(await marginalAccuracy({ values: shifted, d: 2 }, truth, { range: 'pooled' })).toBeGreaterThan(
      0.99,
    );
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 20, max: 300 }),
      fc.double({ min: -1e12, max: 1e12, noNaN: true }),
    ],
    { numRuns: 30 },
  )('replacing one row by any value moves the accuracy by at most 1/n', async (seed, n, outlier) => {
    const truth = normal(seed, 400, 3);
    const x = normal(seed + 1, n, 3, 1.5, 0.5);
    const before = await marginalAccuracy(x, truth);
    const values = Float64Array.from(x.values);
    values.fill(outlier, 0, 3);
    const after = await marginalAccuracy({ values, d: 3 }, truth);
    expect(Math.abs(after - before)).toBeLessThanOrEqual(1 / n + 1e-12);
  });

  test('the range is the reference range, padded by 5 %: values beyond it count as mismatch', async () => {
    // Reference on [0, 1] → range [−0.05, 1.05] with 2 bins of 0.55: 0 and 1 fall in bins 0 and 1.
    const reference = [[0], [1]];
    expect(await marginalTotalVariation([[0], [1]], reference, { bins: 2 })).toEqual([0]);
    expect(await marginalTotalVariation([[1.04], [-0.04]], reference, { bins: 2 })).toEqual([0]);
    // 1.1 is beyond the padding (overflow), −3 below it (underflow): half and all of the mass mismatches.
    expect(await marginalTotalVariation([[0], [1.1]], reference, { bins: 2 })).toEqual([0.5]);
    expect(await marginalTotalVariation([[-3], [1.1]], reference, { bins: 2 })).toEqual([1]);
    // With no padding, 1.04 is outside too.
    expect(await marginalTotalVariation([[0], [1.04]], reference, { bins: 2, padding: 0 })).toEqual([0.5]);
  });

  test('underflow and overflow are separate cells: values below and above a fixed range do not match', async () => {
    expect(await marginalAccuracy([[-7]], [[7]], { bins: 4, range: [0, 1] })).toBe(0);
    expect(await marginalAccuracy([[-7]], [[-8]], { bins: 4, range: [0, 1] })).toBe(1);
  });

  test('typed errors for bad options and inputs', async () => {
    const x = [[0], [1]];
    await expect(marginalAccuracy(x, x, { bins: 0 })).rejects.toThrow(ValidationError);
    await expect(marginalAccuracy(x, x, { bins: 2.5 })).rejects.toThrow(/bins must be an integer ≥ 1/);
    await expect(marginalAccuracy(x, x, { range: [1, 0] })).rejects.toThrow(/finite low < high/);
    await expect(marginalAccuracy(x, x, { range: [0, Number.NaN] })).rejects.toThrow(ValidationError);
    await expect(marginalAccuracy(x, x, { range: 'wide' as 'pooled' })).rejects.toThrow(
      /'reference', 'pooled'/,
    );
    await expect(marginalAccuracy(x, x, { padding: -0.1 })).rejects.toThrow(/padding must be/);
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
