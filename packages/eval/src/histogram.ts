/**
 * Histograms on a fixed range, shared by the marginal and 2-D total-variation metrics.
 *
 * B equal bins cover [low, high]; bin b holds low + b·w ≤ x < low + (b+1)·w with w = (high − low)/B, the last bin also
 * holds x = high (as `numpy.histogram` and `torch.histc` do). Values outside [low, high] fall in no bin; the counts keep
 * them in an underflow and an overflow cell, so a total variation over all cells never drops them.
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import type { HostSamples } from './samples.js';

/** A closed interval [low, high] of one coordinate. */
export type HistogramRange = readonly [low: number, high: number];

/**
 * The bin of `value` among `bins` equal bins on [low, high], or −1 when it lies outside. A degenerate range
 * (low = high, a constant coordinate) has every in-range value in bin 0.
 */
export function binIndex(value: number, low: number, high: number, bins: number): number {
  if (!(value >= low && value <= high)) return -1;
  if (high === low) return 0;
  return Math.min(bins - 1, Math.floor(((value - low) / (high - low)) * bins));
}

/** Validates a user-given range: finite numbers with low < high. */
export function assertRange(range: HistogramRange, option: string): void {
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !Number.isFinite(range[0]) ||
    !Number.isFinite(range[1]) ||
    !(range[0] < range[1])
  ) {
    throw new ValidationError(
      `${option} must be [low, high] with finite low < high, got ${JSON.stringify(range)}`,
      { [option]: range },
    );
  }
}

/**
 * Where a histogram's range comes from: `'reference'` (each coordinate's {@link referenceRange}), `'pooled'` (each
 * coordinate's `pooledRange`: the pooled minimum and maximum of both samples) or a fixed [low, high].
 */
export type RangeChoice = 'reference' | 'pooled' | HistogramRange;

/**
 * Validates a {@link RangeChoice} given as an option.
 *
 * @throws ValidationError for anything else.
 */
export function assertRangeChoice(range: RangeChoice, option: string): void {
  if (range === 'reference' || range === 'pooled') return;
  if (typeof range === 'string') {
    throw new ValidationError(`${option} must be 'reference', 'pooled' or [low, high], got '${range}'`, {
      [option]: range,
    });
  }
  assertRange(range, option);
}

/** The range of column j of `x` against `reference` for a validated {@link RangeChoice}. */
export function columnRange(
  choice: RangeChoice,
  x: HostSamples,
  reference: HostSamples,
  j: number,
  padding: number,
): HistogramRange {
  if (choice === 'reference') return referenceRange(reference, j, padding);
  if (choice === 'pooled') return pooledRange(x, reference, j);
  return choice;
}

/** Default padding of {@link referenceRange}: 5 % of the reference's width on each side. */
export const DEFAULT_RANGE_PADDING: number = 0.05;

/**
 * The histogram range of column j taken from the reference alone: [min, max] of the reference, widened by
 * `padding` × (max − min) on each side (by `padding` for a constant column). A sample cannot move this range, so one
 * outlier cannot widen every bin; sample values outside it land in the underflow or overflow cell and count as
 * mismatch in full. The padding keeps most of the mass of a second sample of the same law inside (its extremes pass
 * the reference's own by little).
 *
 * @throws ValidationError when padding is negative or not finite.
 */
export function referenceRange(
  reference: Pick<HostSamples, 'values' | 'n' | 'd'>,
  j: number,
  padding: number = DEFAULT_RANGE_PADDING,
): HistogramRange {
  if (!(Number.isFinite(padding) && padding >= 0)) {
    throw new ValidationError(`padding must be a finite number ≥ 0, got ${padding}`, { padding });
  }
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reference.n; i++) {
    const v = reference.values[i * reference.d + j]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const pad = padding * (high - low || 1);
  return [low - pad, high + pad];
}

/**
 * [min, max] of column j over both samples: the pooled range, which every value of both samples lies in. One far
 * value of either sample widens every bin; prefer {@link referenceRange}.
 */
export function pooledRange(x: HostSamples, y: HostSamples, j: number): HistogramRange {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const s of [x, y]) {
    for (let i = 0; i < s.n; i++) {
      const v = s.values[i * s.d + j]!;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  return [low, high];
}

/**
 * The cell of `value` among `bins` bins on `range` plus two outside cells: the bin index 0 … bins − 1 when inside,
 * `bins` (underflow) below low, `bins + 1` (overflow) above high.
 */
export function cellIndex(value: number, range: HistogramRange, bins: number): number {
  const [low, high] = range;
  const b = binIndex(value, low, high, bins);
  if (b >= 0) return b;
  return value < low ? bins : bins + 1;
}

/**
 * Counts of column j of `x` in `bins` bins on `range`, then the underflow (index `bins`) and overflow (index
 * `bins + 1`) cells, so the array always sums to n.
 */
export function columnCounts(x: HostSamples, j: number, range: HistogramRange, bins: number): Float64Array {
  const counts = new Float64Array(bins + 2);
  for (let i = 0; i < x.n; i++) counts[cellIndex(x.values[i * x.d + j]!, range, bins)]! += 1;
  return counts;
}

/**
 * Total variation ½ Σ_c |p_c − q_c| between two count vectors normalised by their totals `nP` and `nQ`, over the
 * first `cells` entries (pass the full length to include an outside cell).
 */
export function countsTotalVariation(
  p: Float64Array,
  q: Float64Array,
  nP: number,
  nQ: number,
  cells: number,
): number {
  // Integer arithmetic (exact below 2^53) and one division: identical histograms give exactly 0, disjoint exactly 1.
  let sum = 0;
  for (let c = 0; c < cells; c++) sum += Math.abs(p[c]! * nQ - q[c]! * nP);
  return sum / (2 * nP * nQ);
}
