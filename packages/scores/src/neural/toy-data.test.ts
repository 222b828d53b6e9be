import { test as propTest } from '@fast-check/vitest';
import { createRng, isRtkError } from '@rtk-diffusion/tensor';
import { sampleMoments } from '@rtk-diffusion/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataSet } from './data.js';
import { checkerboard, swissRoll, toyData, twoMoons } from './toy-data.js';

const N = 20_000;

/** Mean and covariance of a data set with the standard errors of each entry (from 4th moments), for 5-s.e. checks. */
function moments(data: DataSet) {
  const { mean, covariance } = sampleMoments(data.values, 2);
  const se = [0, 1].map((j) =>
    [0, 1].map((k) => {
      let s = 0;
      let s2 = 0;
      for (let i = 0; i < data.n; i++) {
        const v = (data.values[2 * i + j]! - mean[j]!) * (data.values[2 * i + k]! - mean[k]!);
        s += v;
        s2 += v * v;
      }
      return Math.sqrt((s2 / data.n - (s / data.n) ** 2) / data.n);
    }),
  );
  const meanSe = [0, 1].map((j) => Math.sqrt(covariance[j]![j]! / data.n));
  return { mean, covariance, se, meanSe };
}

function expectMoments(data: DataSet, mean: number[], covariance: number[][]) {
  const m = moments(data);
  for (let j = 0; j < 2; j++) {
    expect(Math.abs(m.mean[j]! - mean[j]!)).toBeLessThan(5 * m.meanSe[j]!);
    for (let k = 0; k < 2; k++)
      expect(Math.abs(m.covariance[j]![k]! - covariance[j]![k]!)).toBeLessThan(5 * m.se[j]![k]! + 1e-9);
  }
}

/** ∫ f(t) dt / (3π) over t ∈ [3π/2, 9π/2] by Simpson's rule (2 000 intervals: error ≪ 1e−6). */
function rollAverage(f: (t: number) => number): number {
  const [a, b, m] = [1.5 * Math.PI, 4.5 * Math.PI, 2000];
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (s * h) / 3 / (b - a);
}

describe('toy data', () => {
  it('two moons: mean (½, ¼), Var x = ¾ + σ², Var y = ½ − 4/π² + (4/π − ½)²/4 + σ², Cov = −(4/π − ½)/4', () => {
    const sigma = 0.1;
    const data = twoMoons(N, createRng(1), { noise: sigma });
    expect([data.n, data.dim, data.labels?.length]).toEqual([N, 2, N]);
    const gap = 4 / Math.PI - 0.5;
    expectMoments(
      data,
      [0.5, 0.25],
      [
        [0.75 + sigma ** 2, -gap / 4],
        [-gap / 4, 0.5 - 4 / Math.PI ** 2 + gap ** 2 / 4 + sigma ** 2],
      ],
    );
  });

  it('swiss roll: moments of (t cos t, t sin t), t uniform on [3π/2, 9π/2], by quadrature', () => {
    const sigma = 0.25;
    const data = swissRoll(N, createRng(2));
    const mx = rollAverage((t) => t * Math.cos(t));
    const my = rollAverage((t) => t * Math.sin(t));
    const cxx = rollAverage((t) => (t * Math.cos(t)) ** 2) - mx ** 2 + sigma ** 2;
    const cyy = rollAverage((t) => (t * Math.sin(t)) ** 2) - my ** 2 + sigma ** 2;
    const cxy = rollAverage((t) => t * t * Math.cos(t) * Math.sin(t)) - mx * my;
    expectMoments(
      data,
      [mx, my],
      [
        [cxx, cxy],
        [cxy, cyy],
      ],
    );
  });

  it('checkerboard: inside the black squares of [−2, 2]², mean 0, variance 4/3, covariance ¼', () => {
    const data = checkerboard(N, createRng(3));
    for (let i = 0; i < N; i++) {
      const [x, y] = [data.values[2 * i]!, data.values[2 * i + 1]!];
      expect(Math.abs(x) <= 2 && Math.abs(y) <= 2).toBe(true);
      expect((Math.floor(x + 2) + Math.floor(y + 2)) % 2).toBe(0);
    }
    expectMoments(
      data,
      [0, 0],
      [
        [4 / 3, 0.25],
        [0.25, 4 / 3],
      ],
    );
  });

  propTest.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 50 })], { numRuns: 20 })(
    'is row-keyed: the first m rows of a set of n equal a set of m',
    (seed, m) => {
      for (const name of ['two-moons', 'swiss-roll', 'checkerboard'] as const) {
        const big = toyData(name, 60, createRng(seed));
        const small = toyData(name, m, createRng(seed));
        expect([...small.values]).toEqual([...big.values.subarray(0, 2 * m)]);
      }
    },
  );

  it('rejects unknown names and bad sizes', () => {
    expect(() => toyData('spiral' as never, 10, createRng(0))).toThrow(/unknown toy data set 'spiral'/);
    try {
      toyData('spiral' as never, 10, createRng(0));
    } catch (error) {
      expect(isRtkError(error, 'E_UNKNOWN_NAME')).toBe(true);
    }
    expect(() => twoMoons(0, createRng(0))).toThrow(/n must be an integer ≥ 1/);
    expect(() => twoMoons(5, createRng(0), { noise: -1 })).toThrow(/noise must be/);
  });
});
