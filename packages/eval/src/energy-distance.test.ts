import { createRng, ShapeError, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { energyDistance } from './energy-distance.js';

describe('energy distance', () => {
  test('hand-computed values', async () => {
    // Point masses at 0 and 1: 2 E|X − Y| − E|X − X'| − E|Y − Y'| = 2.
    expect((await energyDistance([[0], [0]], [[1], [1]])).value).toBeCloseTo(2, 6);
    // x = {0, 2}, y = {1, 1}: E|X − Y| = 1; within x: V-statistic (0 + 2 + 2 + 0)/4 = 1, U-statistic 2; within y: 0.
    expect((await energyDistance([[0], [2]], [[1], [1]], { estimator: 'biased' })).value).toBeCloseTo(1, 6);
    expect((await energyDistance([[0], [2]], [[1], [1]])).value).toBeCloseTo(0, 6);
  });

  test('identical samples: the biased estimator is 0 (never negative), the unbiased one slightly negative', async () => {
    const x = createRng(1).normal([250, 5]);
    const biased = await energyDistance(x, x, { estimator: 'biased', chunkSize: 64 });
    expect(Math.abs(biased.value)).toBeLessThan(1e-6);
    const unbiased = await energyDistance(x, x);
    expect(unbiased.value).toBeLessThan(0);
    x.dispose();
  });

  test('scales like the data and ignores a common translation', async () => {
    const rng = createRng(2);
    const x = { values: rng.normalArray(80, 3), d: 3 };
    const y = { values: rng.normalArray(70, 3).map((v) => v * 1.5), d: 3 };
    const map = (s: typeof x, f: (v: number) => number) => ({ values: s.values.map(f), d: 3 });
    const base = (await energyDistance(x, y)).value;
    expect(
      (
        await energyDistance(
          map(x, (v) => 2 * v),
          map(y, (v) => 2 * v),
        )
      ).value,
    ).toBeCloseTo(2 * base, 5);
    expect(
      (
        await energyDistance(
          map(x, (v) => v + 50),
          map(y, (v) => v + 50),
        )
      ).value,
    ).toBeCloseTo(base, 4);
  });

  test('subsampling and errors', async () => {
    const rng = createRng(3);
    const x = rng.normal([40, 2]);
    await expect(energyDistance(x, x, { maxSamples: 10 })).rejects.toThrow(/pass an rng/);
    const result = await energyDistance(x, x, { maxSamples: 10, rng: createRng(4) });
    expect([result.n, result.m]).toEqual([10, 10]);
    await expect(energyDistance(x, [[0, 1, 2]])).rejects.toThrow(ShapeError);
    await expect(energyDistance([[0]], [[1], [2]])).rejects.toThrow(/at least 2 samples/);
    tf.dispose(x);
  });
});
