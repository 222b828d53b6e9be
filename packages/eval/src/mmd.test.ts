import { createRng, ShapeError, tf, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { medianHeuristicBandwidth, mmd } from './mmd.js';

describe('MMD with the RBF kernel', () => {
  test('hand-computed value: two point masses at distance 1 with σ = 1', async () => {
    // Within pairs are equal points (k = 1); cross pairs have k = e^{−1/2}: MMD² = 2 − 2 e^{−1/2} for both estimators.
    const x = [[0], [0]];
    const y = [[1], [1]];
    for (const estimator of ['unbiased', 'biased'] as const) {
      const result = await mmd(x, y, { bandwidth: 1, estimator });
      expect(result.value).toBeCloseTo(2 - 2 * Math.exp(-0.5), 6);
      expect(result).toMatchObject({ bandwidth: 1, estimator, n: 2, m: 2 });
    }
  });

  test('identical samples: the biased estimator is 0; the unbiased one is near 0 and can be negative', async () => {
    const x = createRng(1).normal([300, 4]);
    expect((await mmd(x, x, { estimator: 'biased' })).value).toBeCloseTo(0, 6);
    // Unbiased on identical samples: 2 (S − n)/(n(n−1)) − 2 S/n² = −2 (n − S/n)/(n(n−1)) < 0, tiny.
    const unbiased = await mmd(x, x);
    expect(unbiased.value).toBeLessThan(0);
    expect(unbiased.value).toBeGreaterThan(-2 / 299);
    x.dispose();
  });

  test('the median heuristic is the median pairwise distance (odd and even pair counts)', async () => {
    // Points 0, 1, 3 on a line: distances 1, 2, 3 → median 2. Points 0, 1, 3, 7: 1, 2, 3, 4, 6, 7 → (3 + 4)/2.
    expect(await medianHeuristicBandwidth([[0], [1], [3]])).toBe(2);
    expect(await medianHeuristicBandwidth([[0], [1], [3], [7]])).toBe(3.5);
    // mmd's default bandwidth is the median of the pooled sample.
    expect((await mmd([[0], [1]], [[3], [7]])).bandwidth).toBe(3.5);
  });

  test('the median of a large sample uses a subset: evenly spaced rows, or a random one with an rng', async () => {
    const x = { values: createRng(2).normalArray(2000, 2), d: 2 };
    const strided = await medianHeuristicBandwidth(x);
    const random = await medianHeuristicBandwidth(x, { rng: createRng(3) });
    const all = await medianHeuristicBandwidth(x, { bandwidthSamples: 2000 });
    // For N(0, I₂), ‖X − X'‖² / 2 ~ χ²₂ whose median is 2 ln 2, so σ = 2 sqrt(ln 2) ≈ 1.665. The median of the pairs
    // of b rows (a U-quantile) has standard error ≈ sqrt(4 Var G(X) / b) / f(σ) with G(x) = P(‖x − X'‖ ≤ σ),
    // Var G(X) ≤ 0.06 and the density f(σ) ≈ 0.42: ≈ 0.037 for b = 1000. Tolerance: 5 of those.
    for (const value of [strided, random, all])
      expect(Math.abs(value - 2 * Math.sqrt(Math.LN2))).toBeLessThan(0.19);
    expect(random).not.toBe(strided);
  });

  test('a fixed bandwidth scales with the data: MMD of (c x, c y) at c σ equals MMD of (x, y) at σ', async () => {
    const rng = createRng(4);
    const x = { values: rng.normalArray(60, 2), d: 2 };
    const y = { values: rng.normalArray(50, 2).map((v) => v + 0.5), d: 2 };
    const scale = (s: typeof x) => ({ values: s.values.map((v) => v * 3), d: 2 });
    const a = await mmd(x, y, { bandwidth: 1.2 });
    const b = await mmd(scale(x), scale(y), { bandwidth: 3.6 });
    expect(b.value).toBeCloseTo(a.value, 5);
  });

  test('subsampling: large samples need an rng, which then picks maxSamples rows', async () => {
    const rng = createRng(5);
    const x = rng.normal([50, 2]);
    const y = rng.normal([40, 2]);
    await expect(mmd(x, y, { maxSamples: 30 })).rejects.toThrow(/pass an rng to subsample/);
    const result = await mmd(x, y, { maxSamples: 30, rng: createRng(6) });
    expect([result.n, result.m]).toEqual([30, 30]);
    const again = await mmd(x, y, { maxSamples: 30, rng: createRng(6) });
    expect(again.value).toBe(result.value);
    tf.dispose([x, y]);
  });

  test('typed errors', async () => {
    const x = [[0], [1], [2]];
    await expect(mmd(x, x, { bandwidth: 0 })).rejects.toThrow(/bandwidth must be a positive number/);
    await expect(mmd(x, x, { bandwidth: Number.NaN })).rejects.toThrow(ValidationError);
    await expect(mmd(x, [[0, 1]])).rejects.toThrow(ShapeError);
    await expect(mmd(x, [[0]])).rejects.toThrow(/at least 2 samples/);
    await expect(mmd([[0], [0]], [[0], [0]])).rejects.toThrow(/median pairwise distance is 0/);
    await expect(medianHeuristicBandwidth(x, { bandwidthSamples: 1 })).rejects.toThrow(/bandwidthSamples/);
    await expect(medianHeuristicBandwidth([[1]])).rejects.toThrow(/at least 2 rows/);
  });
});
