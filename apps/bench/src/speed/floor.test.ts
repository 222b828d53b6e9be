/**
 * The floor's counting (flops and bytes of a score evaluation, kernel flops from shapes), the roofline, the timing
 * summaries, size parsing and the moment comparison of the peer check (with a negative control).
 */
import { describe, expect, test } from 'vitest';
import { kernelFlops, roofline, scoreBytes, scoreFlops } from './floor.js';
import { compareMoments, normalUpperQuantile } from './peer.js';
import { parseSizes, SPEED_SIZES, sizeLabel, speedMixture } from './sizes.js';
import { formatNumber, quantileSorted, summarize } from './stats.js';

describe('counting', () => {
  test('score flops n (4dK + 4d + 11K) and compulsory bytes 4 (2nd + dK + 3K)', () => {
    // (10 000, 2, 8): 10 000 · (64 + 8 + 88) = 1.6 MFLOP; bytes 4 · (40 000 + 16 + 24)
    expect(scoreFlops({ n: 10_000, d: 2, k: 8 })).toBe(1_600_000);
    expect(scoreBytes({ n: 10_000, d: 2, k: 8 })).toBe(160_160);
    // the two products alone are 4ndK of the total
    const big = { n: 1000, d: 784, k: 10 };
    expect(scoreFlops(big) / (4 * 1000 * 784 * 10)).toBeGreaterThan(1);
    expect(scoreFlops(big) / (4 * 1000 * 784 * 10)).toBeLessThan(1.12);
  });

  test('kernel flops: 2mkp for a product whatever the transposes, per element otherwise', () => {
    expect(
      kernelFlops(
        'BatchMatMul',
        [
          [1, 100, 10],
          [1, 16, 10],
        ],
        [[1, 100, 16]],
      ),
    ).toBeCloseTo(2 * 100 * 10 * 16, 6);
    expect(
      kernelFlops(
        '_FusedMatMul',
        [
          [100, 10],
          [10, 16],
        ],
        [[100, 16]],
      ),
    ).toBeCloseTo(32_000, 6);
    expect(kernelFlops('Softmax', [[100, 16]], [[100, 16]])).toBe(5 * 1600);
    expect(kernelFlops('Sum', [[100, 16]], [[100, 1]])).toBe(1600);
    expect(
      kernelFlops(
        'Add',
        [
          [100, 16],
          [1, 16],
        ],
        [[100, 16]],
      ),
    ).toBe(1600);
  });

  test('roofline: the bound follows the ridge; fractions are achieved over peak and attainable', () => {
    const size = { n: 10_000, d: 2, k: 8 }; // intensity 1.6e6 / 160 160 ≈ 9.99
    const fast = roofline(size, 1, { gflops: 10, bandwidthGBs: 5 }); // ridge 2: compute-bound
    expect(fast.bound).toBe('compute');
    expect(fast.achievedGflops).toBeCloseTo(1.6, 9);
    expect(fast.fractionOfPeak).toBeCloseTo(0.16, 9);
    expect(fast.floorMs).toBeCloseTo(0.16, 9);
    const starved = roofline(size, 1, { gflops: 100, bandwidthGBs: 1 }); // ridge 100: memory-bound
    expect(starved.bound).toBe('memory');
    expect(starved.attainableGflops).toBeCloseTo(scoreFlops(size) / scoreBytes(size), 9);
  });
});

describe('timings and sizes', () => {
  test('median, quartiles (type 7) and range', () => {
    const s = summarize([5, 1, 3, 2, 4]);
    expect([s.median, s.q1, s.q3, s.min, s.max]).toEqual([3, 2, 4, 1, 5]);
    expect(quantileSorted([1, 2], 0.5)).toBe(1.5);
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(1234.5)).toBe('1235');
  });

  test('sizes parse and label; the mixture is fixed by the size', () => {
    expect(parseSizes('issue')).toEqual(SPEED_SIZES);
    expect(parseSizes('10000x2x8, 5x3x2')).toEqual([
      { n: 10_000, d: 2, k: 8 },
      { n: 5, d: 3, k: 2 },
    ]);
    expect(() => parseSizes('10x2')).toThrow(/NxDxK/);
    expect(() => parseSizes('0x2x3')).toThrow(/positive/);
    expect(sizeLabel({ n: 1, d: 2, k: 3 })).toBe('1x2x3');
    const m = speedMixture({ n: 10, d: 3, k: 4 });
    expect(m).toEqual(speedMixture({ n: 99, d: 3, k: 4 }));
    expect(m.means).toHaveLength(4);
    for (const [i, v] of m.variances.entries()) expect(v).toBeCloseTo(0.05 + 0.01 * i, 12);
  });
});

describe('the moment check', () => {
  test('the Bonferroni threshold: Φ⁻¹(0.975) = 1.96', () => {
    expect(normalUpperQuantile(0.025)).toBeCloseTo(1.96, 2);
    expect(normalUpperQuantile(0.0005 / 784)).toBeGreaterThan(4.5);
  });

  test('equal moments pass; a mean shifted by 10 standard errors or a doubled variance fails', () => {
    const n = 10_000;
    const base = { n, mean: [0, 1], variance: [1, 4], kurtosis: [3, 3] };
    expect(compareMoments(base, base).similar).toBe(true);
    const shifted = { ...base, mean: [10 * Math.sqrt(2 / n), 1] };
    expect(compareMoments(base, shifted).similar).toBe(false);
    const wider = { ...base, variance: [2, 4] };
    expect(compareMoments(base, wider).similar).toBe(false);
  });
});
