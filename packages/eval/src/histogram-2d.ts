/**
 * Total variation between 2-D histograms of two coordinates (ALGORITHMS.md §6): the joint structure that marginal
 * accuracy cannot see (e.g. a ring of modes in coordinates 1–2 has the same marginals as a square of them).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import {
  assertRange,
  binIndex,
  countsTotalVariation,
  type HistogramRange,
  pooledRange,
} from './histogram.js';
import { assertInteger, type HostSamples, readPair, type SampleInput } from './samples.js';

/** Options of {@link histogramTotalVariation2d}. */
export interface Histogram2dOptions {
  /** The two coordinates (0-based column indices), default [0, 1]. */
  readonly dimensions?: readonly [number, number];
  /** Number of equal bins per axis, default {@link DEFAULT_2D_BINS} (so B² cells). */
  readonly bins?: number;
  /** `'pooled'` (default: each axis on [min, max] of both samples) or one [low, high] per axis. */
  readonly range?: readonly [HistogramRange, HistogramRange] | 'pooled';
}

/** Default bins per axis of the 2-D histogram: 30 × 30 = 900 cells. */
export const DEFAULT_2D_BINS: number = 30;

/**
 * TV = ½ Σ_c |p_c − q_c| over the B × B cells of the joint histogram of two coordinates, each histogram normalised by
 * its sample size. With a fixed range, a point outside it (on either axis) counts in one extra "outside" cell, so
 * nothing is dropped; with the pooled range that cell is empty.
 *
 * Estimator: plug-in, biased upwards like the marginal TV but more so, since B² cells hold fewer points each
 * (E[TV] ≈ ½ Σ_c sqrt(2 p_c (1/n + 1/m) / π) for two samples of one law); keep n ≫ B². Cost: O(n + m + B²).
 *
 * @returns a number in [0, 1].
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample is empty, bins < 1, the dimensions are not
 *   two distinct columns, or a range is invalid; NonFiniteSampleError on NaN or infinite values.
 */
export async function histogramTotalVariation2d(
  samples: SampleInput,
  reference: SampleInput,
  options: Histogram2dOptions = {},
): Promise<number> {
  const bins = options.bins ?? DEFAULT_2D_BINS;
  assertInteger(bins, 1, 'bins');
  const range = options.range ?? 'pooled';
  if (range !== 'pooled') {
    if (!Array.isArray(range) || range.length !== 2) {
      throw new ValidationError(
        `range must be 'pooled' or [[low, high], [low, high]], got ${JSON.stringify(range)}`,
      );
    }
    assertRange(range[0], 'range[0]');
    assertRange(range[1], 'range[1]');
  }
  const [x, y] = await readPair(samples, reference);
  const [first, second] = options.dimensions ?? [0, 1];
  for (const j of [first, second]) {
    if (!Number.isInteger(j) || j < 0 || j >= x.d) {
      throw new ValidationError(`dimensions must be column indices in [0, ${x.d - 1}], got ${j}`, {
        dimensions: [first, second],
      });
    }
  }
  if (first === second) {
    throw new ValidationError(`dimensions must be two different columns, got [${first}, ${second}]`);
  }
  const ranges: [HistogramRange, HistogramRange] =
    range === 'pooled' ? [pooledRange(x, y, first), pooledRange(x, y, second)] : [range[0], range[1]];
  const p = jointCounts(x, first, second, ranges, bins);
  const q = jointCounts(y, first, second, ranges, bins);
  return countsTotalVariation(p, q, x.n, y.n, bins * bins + 1);
}

function jointCounts(
  x: HostSamples,
  first: number,
  second: number,
  ranges: readonly [HistogramRange, HistogramRange],
  bins: number,
): Float64Array {
  const outside = bins * bins;
  const counts = new Float64Array(outside + 1);
  const [[low0, high0], [low1, high1]] = ranges;
  for (let i = 0; i < x.n; i++) {
    const b0 = binIndex(x.values[i * x.d + first]!, low0, high0, bins);
    const b1 = binIndex(x.values[i * x.d + second]!, low1, high1, bins);
    counts[b0 < 0 || b1 < 0 ? outside : b0 * bins + b1]! += 1;
  }
  return counts;
}
