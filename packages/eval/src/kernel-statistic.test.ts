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

type Pair = (a: HostSamples, i: number, b: HostSamples, j: number) => number;

const squaredDistance: Pair = (a, i, b, j) => {
  let s = 0;
  for (let c = 0; c < a.d; c++) s += (a.values[i * a.d + c]! - b.values[j * b.d + c]!) ** 2;
  return s;
};

const total = (v: number[]) => v.reduce((s, u) => s + u, 0);

/** Sums of f over the pairs: each x_i with the other x's and with every y, each y_j with the other y's and every x. */
function pairSums(x: HostSamples, y: HostSamples, f: Pair) {
  const within = (a: HostSamples) =>
    Array.from({ length: a.n }, (_, i) => {
      let s = 0;
      for (let j = 0; j < a.n; j++) if (j !== i) s += f(a, i, a, j);
      return s;
    });
  const rows = Array.from({ length: x.n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < y.n; j++) s += f(x, i, y, j);
    return s;
  });
  const columns = Array.from({ length: y.n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < x.n; i++) s += f(x, i, y, j);
    return s;
  });
  return { wx: within(x), wy: within(y), rows, columns };
}

/** The same statistic and standard error by the definition, pair by pair in float64. */
function reference(
  x: HostSamples,
  y: HostSamples,
  k: (squared: number) => number,
  estimator: KernelEstimator,
): { value: number; standardError: number } {
  const { wx, wy, rows, columns } = pairSums(x, y, (a, i, b, j) => k(squaredDistance(a, i, b, j)));
  const { n } = x;
  const m = y.n;
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

const U = 2 ** -24;

/**
 * A rounding-error bound for `kernelStatistic` against `reference`, from the numerics that kernel-statistic.ts states:
 * every squared distance s = ‖a − b‖² is ‖a‖² + ‖b‖² − 2 a·b in float32 on rows centred at the pooled mean, with the
 * norms shrunk by ε_d = 2 (d + 4) u, so it is off by at most δ = (4d + 16) u (‖a‖² + ‖b‖²) (two d-term dot products,
 * the shrink, two additions, the float32 centring; u = 2⁻²⁴). `kernelError(s, δ)` turns that into the error of one
 * kernel value; each value also carries (n + m + 4) u |k| for its own rounding and its share of the float32 sums.
 * The statistic is a weighted sum of kernel values with weights 1/(n(n−1)), 1/(m(m−1)) and 2/(nm) (or n², m² when
 * biased), so its error is at most the same weighted sum of the values' errors. The standard error is the Euclidean
 * norm of the centred projections scaled by sqrt(4/(n(n−1))) and sqrt(4/(m(m−1))), so (triangle inequality) it moves
 * by at most that norm of twice the largest error of a projection.
 */
function roundingBound(
  x: HostSamples,
  y: HostSamples,
  k: (squared: number) => number,
  kernelError: (squared: number, delta: number) => number,
  estimator: KernelEstimator,
): { value: number; standardError: number } {
  const { n, d } = x;
  const m = y.n;
  const mean = new Float64Array(d);
  for (const s of [x, y]) for (let i = 0; i < s.n * d; i++) mean[i % d]! += s.values[i]! / (n + m);
  const norm = (a: HostSamples, i: number) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += (a.values[i * d + c]! - mean[c]!) ** 2;
    return s;
  };
  const pairError: Pair = (a, i, b, j) => {
    const squared = squaredDistance(a, i, b, j);
    const delta = (4 * d + 16) * U * (norm(a, i) + norm(b, j));
    return kernelError(squared, delta) + (n + m + 4) * U * Math.abs(k(squared));
  };
  const { wx: ex, wy: ey, rows, columns } = pairSums(x, y, pairError);
  const [nx, ny] = estimator === 'unbiased' ? [n * (n - 1), m * (m - 1)] : [n * n, m * m];
  const value = total(ex) / nx + total(ey) / ny + (2 * total(rows)) / (n * m);
  const hx = Math.max(...ex.map((e, i) => e / (n - 1) + rows[i]! / m));
  const hy = Math.max(...ey.map((e, j) => e / (m - 1) + columns[j]! / n));
  const standardError = Math.sqrt((4 * (2 * hx) ** 2) / (n - 1) + (4 * (2 * hy) ** 2) / (m - 1));
  return { value, standardError };
}

/** |√s̃ − √s| for |s̃ − s| ≤ δ (s̃ ≥ 0 after the ReLU), plus the rounding of the square root. */
const sqrtError = (s: number, delta: number) =>
  (s > delta ? delta / (Math.sqrt(s) + Math.sqrt(s - delta)) : Math.sqrt(delta)) + U * Math.sqrt(s + delta);

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
    // RBF: |k'(s)| ≤ 1/(2σ²), and exp is accurate to a few units in the last place.
    const cases: [DistanceKernel, (s: number) => number, (s: number, delta: number) => number][] = [
      [rbf(1.3), (s) => Math.exp(-s / (2 * 1.3 ** 2)), (_s, delta) => delta / (2 * 1.3 ** 2) + 4 * U],
      [distance, (s) => Math.sqrt(s), sqrtError],
    ];
    for (const [kernel, k, kernelError] of cases) {
      const got = await kernelStatistic(x, y, kernel, estimator, chunkSize);
      const want = reference(x, y, k, estimator);
      const bound = roundingBound(x, y, k, kernelError, estimator);
      expect(Math.abs(got.value - want.value)).toBeLessThanOrEqual(bound.value);
      expect(Math.abs(got.standardError - want.standardError)).toBeLessThanOrEqual(bound.standardError);
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
