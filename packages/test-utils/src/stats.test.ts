import { createRng } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import {
  energyTest,
  kolmogorovQuantile,
  ksCritical,
  ksOneSample,
  ksTwoSample,
  normalCdf,
  sampleMoments,
} from './stats.js';

describe('distribution functions', () => {
  test('Φ at textbook points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });

  test('Kolmogorov quantiles match published tables', () => {
    expect(kolmogorovQuantile(0.05)).toBeCloseTo(1.3581, 3);
    expect(kolmogorovQuantile(0.01)).toBeCloseTo(1.6276, 3);
    expect(kolmogorovQuantile(1e-3)).toBeCloseTo(1.9495, 3);
  });
});

describe('KS statistics', () => {
  test('two-sample: identical samples give 0, disjoint give 1', () => {
    expect(ksTwoSample([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksTwoSample([1, 2, 3], [4, 5])).toBe(1);
    expect(ksTwoSample([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 12);
  });

  test('one-sample: a regular grid of quantiles is within 1/n of the law', () => {
    const n = 1000;
    const grid = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    expect(ksOneSample(grid, (x) => x)).toBeCloseTo(0.5 / n, 12);
  });

  test('two-sample KS accepts equal laws and rejects a 0.1 σ shift at level 1e−3', () => {
    const n = 20_000;
    const a = createRng(1).normalArray(n, 1);
    const b = createRng(2).normalArray(n, 1);
    const critical = ksCritical(1e-3, n, n);
    expect(ksTwoSample(a, b)).toBeLessThan(critical);
    expect(
      ksTwoSample(
        a,
        b.map((v) => v + 0.1),
      ),
    ).toBeGreaterThan(critical);
  });
});

describe('energy test', () => {
  test('has a non-small p-value for equal laws and the smallest possible one for a shift', () => {
    const n = 150;
    const rng = createRng(3);
    const a = rng.normalArray(n, 2);
    const b = rng.normalArray(n, 2);
    const same = energyTest(a, b, 2, { rng: createRng(4), permutations: 199 });
    // Under the null the permutation p-value is uniform on {1/200, …, 1}; 0.01 is a 1 % event for this fixed seed.
    expect(same.pValue).toBeGreaterThan(0.01);
    const shifted = energyTest(
      a,
      b.map((v, i) => (i % 2 === 0 ? v + 1 : v)),
      2,
      { rng: createRng(4), permutations: 199 },
    );
    expect(shifted.pValue).toBe(1 / 200);
    expect(shifted.statistic).toBeGreaterThan(same.statistic);
  });
});

describe('sampleMoments', () => {
  test('exact on a small sample', () => {
    const { mean, covariance } = sampleMoments([1, 2, 3, 6], 2);
    expect(mean).toEqual([2, 4]);
    expect(covariance).toEqual([
      [2, 4],
      [4, 8],
    ]);
  });
});
