import { fc, test } from '@fast-check/vitest';
import { createRng, tf, ValidationError } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect } from 'vitest';
import { type DistanceKernel, type KernelEstimator, kernelStatistic } from './kernel-statistic.js';
import type { HostSamples } from './samples.js';

const rbf = (bandwidth: number): DistanceKernel => ({
  fromSquaredDistance: (squared) => tf.exp(tf.mul(squared, -1 / (2 * bandwidth * bandwidth))),
  selfValue: 1,
});
const distance: DistanceKernel = { fromSquaredDistance: (squared) => tf.sqrt(squared), selfValue: 0 };

/** The same statistic and standard error by the definition, pair by pair in float64. */
function reference(
  x: HostSamples,
  y: HostSamples,
  k: (squared: number) => number,
  estimator: KernelEstimator,
): { value: number; standardError: number } {
  const squared = (a: HostSamples, i: number, b: HostSamples, j: number) => {
    let s = 0;
    for (let c = 0; c < a.d; c++) s += (a.values[i * a.d + c]! - b.values[j * b.d + c]!) ** 2;
    return s;
  };
  const within = (a: HostSamples) =>
    Array.from({ length: a.n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < a.n; j++) if (j !== i) s += k(squared(a, i, a, j));
      return s;
    });
  const wx = within(x);
  const wy = within(y);
  const rows = Array.from({ length: x.n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < y.n; j++) s += k(squared(x, i, y, j));
    return s;
  });
  const columns = Array.from({ length: y.n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < x.n; i++) s += k(squared(x, i, y, j));
    return s;
  });
  const { n } = x;
  const m = y.n;
  const total = (v: number[]) => v.reduce((s, u) => s + u, 0);
  const self = k(0);
  const value =
    estimator === 'unbiased'
      ? total(wx) / (n * (n - 1)) + total(wy) / (m * (m - 1)) - (2 * total(rows)) / (n * m)
      : (total(wx) + n * self) / n ** 2 + (total(wy) + m * self) / m ** 2 - (2 * total(rows)) / (n * m);
  const variance = (v: number[]) => {
    const mean = total(v) / v.length;
    return v.reduce((s, u) => s + (u - mean) ** 2, 0) / (v.length - 1);
  };
  const hx = wx.map((s, i) => s / (n - 1) - rows[i]! / m);
  const hy = wy.map((s, j) => s / (m - 1) - columns[j]! / n);
  return { value, standardError: Math.sqrt((4 * variance(hx)) / n + (4 * variance(hy)) / m) };
}

function sample(seed: number, n: number, d: number, shift: number): HostSamples {
  return {
    values: createRng(seed)
      .normalArray(n, d)
      .map((v) => v + shift),
    n,
    d,
  };
}

describe('kernel two-sample statistic (tiled, float32) against the float64 definition', () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 2, max: 14 }),
      fc.integer({ min: 2, max: 14 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom<KernelEstimator>('unbiased', 'biased'),
      fc.double({ min: -3, max: 3, noNaN: true }),
    ],
    { numRuns: 25 },
  )('any tiling, both kernels, both estimators', async (seed, n, m, d, chunkSize, estimator, shift) => {
    const x = sample(seed, n, d, 0);
    const y = sample(seed + 1, m, d, shift);
    const cases: [DistanceKernel, (s: number) => number][] = [
      [rbf(1.3), (s) => Math.exp(-s / (2 * 1.3 ** 2))],
      [distance, (s) => Math.sqrt(s)],
    ];
    for (const [kernel, k] of cases) {
      const got = await kernelStatistic(x, y, kernel, estimator, chunkSize);
      const want = reference(x, y, k, estimator);
      // float32 inputs and sums: relative error a few 1e−6 of the terms (kernel values ≤ 1, distances ≤ ~10).
      expect(Math.abs(got.value - want.value)).toBeLessThan(2e-5 * (1 + Math.abs(shift)));
      expect(Math.abs(got.standardError - want.standardError)).toBeLessThan(2e-4 * (1 + Math.abs(shift)));
    }
  });

  test('identical samples: the V-statistic is 0 for both kernels (equal points at distance exactly 0)', async () => {
    const x = sample(5, 37, 3, 100);
    for (const kernel of [rbf(0.7), distance]) {
      const { value } = await kernelStatistic(x, x, kernel, 'biased', 8);
      expect(Math.abs(value)).toBeLessThan(1e-6);
    }
  });

  test('validates its options and disposes every tile', async () => {
    const x = sample(1, 5, 2, 0);
    await expect(kernelStatistic(x, sample(2, 1, 2, 0), distance, 'biased', 4)).rejects.toThrow(
      /at least 2 samples/,
    );
    await expect(kernelStatistic(x, x, distance, 'other' as KernelEstimator, 4)).rejects.toThrow(
      ValidationError,
    );
    await expect(kernelStatistic(x, x, distance, 'biased', 0)).rejects.toThrow(/chunkSize/);
    await expectNoTensorLeak(() => kernelStatistic(x, sample(3, 9, 2, 1), rbf(1), 'unbiased', 2));
  });
});
