/**
 * Marginal accuracy (ALGORITHMS.md §6): for each coordinate j, histogram the samples and the reference on a common range
 * with B bins; TV_j = ½ Σ_b |p_b − q_b|; marginal accuracy = 1 − mean_j TV_j. And the RTK paper's variant (§7), which
 * uses 200 bins on [−5, 5] and divides TV_j by 2 once more.
 *
 * The common range of coordinate j is, by default, the reference's range of that coordinate, padded by 5 % of its width
 * on each side; sample values outside it count in an underflow and an overflow cell (see
 * {@link marginalTotalVariation}).
 */
import {
  assertRangeChoice,
  columnCounts,
  columnRange,
  countsTotalVariation,
  DEFAULT_RANGE_PADDING,
  type HistogramRange,
  type RangeChoice,
} from './histogram.js';
import { assertInteger, readPair, type SampleInput } from './samples.js';

/** Options of {@link marginalTotalVariation} and {@link marginalAccuracy}. */
export interface MarginalAccuracyOptions {
  /** Number of equal bins B per coordinate; default {@link DEFAULT_MARGINAL_BINS}. */
  readonly bins?: number;
  /**
   * The common range of each coordinate's histogram: `'reference'` (default) takes [min, max] of the reference's
   * coordinate j, padded by `padding` × its width on each side; `'pooled'` takes [min, max] over both samples (one far
   * value of either sample then widens every bin: avoid it for samplers' output); `[low, high]` fixes one range for
   * all coordinates.
   */
  readonly range?: RangeChoice;
  /** Padding of the `'reference'` range, as a fraction of its width per side; default 0.05. */
  readonly padding?: number;
}

/** Default B of the standard marginal accuracy: 50 bins on the padded reference range of each coordinate. */
export const DEFAULT_MARGINAL_BINS: number = 50;
/** Bins of the RTK paper's metric (the authors' code, ALGORITHMS.md §7). */
export const PAPER_BINS: number = 200;
/** Range of the RTK paper's metric (the authors' code, ALGORITHMS.md §7). */
export const PAPER_RANGE: HistogramRange = [-5, 5];

/**
 * Per-coordinate total variation TV_j = ½ Σ_c |p_c − q_c| between the histograms of column j of `samples` and of
 * `reference`, each normalised by its own sample size n (so the two histograms are the empirical laws, binned).
 *
 * The cells c are the B bins of the range plus an underflow and an overflow cell, so nothing is dropped and TV_j is the
 * exact total variation of the two binned empirical laws. With the default `'reference'` range the reference lies
 * inside, so every sample value outside counts fully as mismatch: a sample far off the reference scores TV_j = 1, and
 * one outlier row changes TV_j by at most 1/n (with the `'pooled'` range it widens every bin instead, and a poor
 * sample can score near 1 − TV = 1).
 *
 * Estimator: plug-in, biased upwards: two samples of one law have E[TV_j] ≈ ½ Σ_c sqrt(2 p_c (1/n + 1/m) / π) > 0,
 * which grows with B and shrinks like 1/sqrt(n). The reference range adds at most 2/(m + 1) to E[TV_j]: a sample of
 * the reference's law has in expectation 2/(m + 1) of its mass beyond the reference's extremes (less beyond the padded
 * range), and moving mass r into the outside cells changes TV_j by at most r. The range depends on the reference only,
 * so samplers scored against one reference share their bins. Cost: O((n + m) d) time, O(B) memory per coordinate; no
 * tensors.
 *
 * @returns an array of d numbers in [0, 1].
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample is empty, bins < 1, range or padding is
 *   invalid; NonFiniteSampleError on NaN or infinite values.
 */
export async function marginalTotalVariation(
  samples: SampleInput,
  reference: SampleInput,
  options: MarginalAccuracyOptions = {},
): Promise<number[]> {
  const bins = options.bins ?? DEFAULT_MARGINAL_BINS;
  assertInteger(bins, 1, 'bins');
  const range = options.range ?? 'reference';
  assertRangeChoice(range, 'range');
  const padding = options.padding ?? DEFAULT_RANGE_PADDING;
  const [x, y] = await readPair(samples, reference);
  const tv: number[] = [];
  for (let j = 0; j < x.d; j++) {
    const common = columnRange(range, x, y, j, padding);
    const p = columnCounts(x, j, common, bins);
    const q = columnCounts(y, j, common, bins);
    tv.push(countsTotalVariation(p, q, x.n, y.n, bins + 2));
  }
  return tv;
}

/**
 * Marginal accuracy 1 − mean_j TV_j (ALGORITHMS.md §6), with TV_j from {@link marginalTotalVariation}: 1 when every
 * coordinate's histograms agree, 0 when they are disjoint. Same estimator, bias and cost as that function; the finite
 * sample floor (the value of two independent samples of one law) is below 1, so compare against a reference-vs-reference
 * run at the same n and B.
 *
 * @example
 * const accuracy = await marginalAccuracy(x, groundTruth); // 50 bins on each coordinate's padded reference range
 */
export async function marginalAccuracy(
  samples: SampleInput,
  reference: SampleInput,
  options: MarginalAccuracyOptions = {},
): Promise<number> {
  const tv = await marginalTotalVariation(samples, reference, options);
  return 1 - mean(tv);
}

/**
 * The RTK paper's marginal accuracy, as the authors' code computes it (ALGORITHMS.md §7): per coordinate, 200 bins on
 * [−5, 5]; values outside the range are dropped and each histogram is normalised by its in-range count; then
 * 1 − mean_j TV_j / 2. Report it beside {@link marginalAccuracy}, never in place of it: it maps the standard value s
 * (with the same bins and range, and no value outside) to (1 + s)/2, so 0.5 means disjoint marginals, and dropping
 * out-of-range values hides divergence. A coordinate where one sample has no in-range value gets TV_j = 1 (the
 * authors' code gives NaN there); where both have none, TV_j = 0.
 *
 * Estimator: plug-in, biased upwards by half the bias of the standard one. Cost: O((n + m) d).
 */
export async function marginalAccuracyPaper(samples: SampleInput, reference: SampleInput): Promise<number> {
  const [x, y] = await readPair(samples, reference);
  const tv: number[] = [];
  for (let j = 0; j < x.d; j++) {
    const p = columnCounts(x, j, PAPER_RANGE, PAPER_BINS);
    const q = columnCounts(y, j, PAPER_RANGE, PAPER_BINS);
    // Cells PAPER_BINS and PAPER_BINS + 1 hold the values below and above the range: dropped, as the authors do.
    const inP = x.n - p[PAPER_BINS]! - p[PAPER_BINS + 1]!;
    const inQ = y.n - q[PAPER_BINS]! - q[PAPER_BINS + 1]!;
    if (inP === 0 || inQ === 0) tv.push(inP === inQ ? 0 : 1);
    else tv.push(countsTotalVariation(p, q, inP, inQ, PAPER_BINS));
  }
  return 1 - mean(tv) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
