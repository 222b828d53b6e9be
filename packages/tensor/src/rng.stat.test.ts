/**
 * Distribution tests of the generator, with fixed seeds.
 *
 * Kolmogorov–Smirnov: under the null hypothesis (the numbers are i.i.d. from the stated law), √n·D_n converges to
 * the Kolmogorov distribution, whose upper 0.1 % quantile is 1.9495 (P(K > x) = 2 Σ (−1)^{k−1} e^{−2k²x²}).
 * We compute that quantile from the series rather than typing it, and reject at level 1e−3. With fixed seeds each
 * test is deterministic; the negative controls show that the same test rejects a small, real deviation. The
 * statistics helpers are the shared ones of packages/test-utils.
 */
import { describe, expect, test } from 'vitest';
// Relative import: test-utils depends on this package, so it cannot be a (dev)dependency here; stats.ts imports nothing.
import { kolmogorovQuantile, ksOneSample, normalCdf } from '../../test-utils/src/stats.js';
import { createRng } from './rng.js';

const N = 200_000;
const LEVEL = 1e-3;
const critical = kolmogorovQuantile(LEVEL) / Math.sqrt(N);

describe('normal draws', () => {
  test('the Kolmogorov quantile is the textbook 1.9495', () => {
    expect(kolmogorovQuantile(LEVEL)).toBeCloseTo(1.9495, 3);
  });

  test('pass a KS test against N(0, 1) (every column of a [n, 5] draw)', () => {
    const d = 5;
    const values = createRng(2024).normalArray(N / d, d);
    // All columns pooled, and each column on its own (Box–Muller uses cos and sin slots differently).
    expect(ksOneSample(values, normalCdf)).toBeLessThan(critical);
    for (let j = 0; j < d; j++) {
      const column = new Float32Array(N / d);
      for (let i = 0; i < N / d; i++) column[i] = values[i * d + j]!;
      expect(ksOneSample(column, normalCdf)).toBeLessThan(kolmogorovQuantile(LEVEL / d) / Math.sqrt(N / d));
    }
  });

  test('the same KS test rejects draws shifted by 0.02 standard deviations (negative control)', () => {
    const values = createRng(2024)
      .normalArray(N, 1)
      .map((v) => v + 0.02);
    expect(ksOneSample(values, normalCdf)).toBeGreaterThan(critical);
  });

  test('rows and forked streams are uncorrelated', () => {
    // Sample correlation of independent N(0,1) pairs has sd 1/√n; 5 sd is a 6e−7 two-sided level.
    const n = 50_000;
    const a = createRng(8).normalArray(n, 2);
    const b = createRng(8).fork('child').normalArray(n, 1);
    let within = 0;
    let across = 0;
    let successive = 0;
    for (let i = 0; i < n; i++) {
      within += a[2 * i]! * a[2 * i + 1]!;
      across += a[2 * i]! * b[i]!;
      if (i > 0) successive += a[2 * i]! * a[2 * (i - 1)]!;
    }
    const bound = 5 / Math.sqrt(n);
    expect(Math.abs(within / n)).toBeLessThan(bound);
    expect(Math.abs(across / n)).toBeLessThan(bound);
    expect(Math.abs(successive / (n - 1))).toBeLessThan(bound);
  });
});

describe('uniform draws', () => {
  test('pass a KS test against U(0, 1)', () => {
    const values = createRng(99).uniformArray(N, 1);
    expect(ksOneSample(values, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(critical);
  });

  test('the same KS test rejects U(0, 1)^1.01 (negative control)', () => {
    const values = createRng(99)
      .uniformArray(N, 1)
      .map((v) => v ** 1.01);
    expect(ksOneSample(values, (x) => Math.min(1, Math.max(0, x)))).toBeGreaterThan(critical);
  });
});
