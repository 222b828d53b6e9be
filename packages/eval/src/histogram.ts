/**
 * Histograms on a fixed range, shared by the marginal and 2-D total-variation metrics.
 *
 * B equal bins cover [low, high]; bin b holds low + b·w ≤ x < low + (b+1)·w with w = (high − low)/B, the last bin also
 * holds x = high (as `numpy.histogram` and `torch.histc` do). Values outside [low, high] fall in no bin.
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

/** [min, max] of column j over both samples: the pooled range, which every value of both samples lies in. */
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
 * Counts of column j of `x` in `bins` bins on `range`; index `bins` (one past the last bin) counts values outside the
 * range, so the array always sums to n.
 */
export function columnCounts(x: HostSamples, j: number, range: HistogramRange, bins: number): Float64Array {
  const counts = new Float64Array(bins + 1);
  const [low, high] = range;
  for (let i = 0; i < x.n; i++) {
    const b = binIndex(x.values[i * x.d + j]!, low, high, bins);
    counts[b < 0 ? bins : b]! += 1;
  }
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
