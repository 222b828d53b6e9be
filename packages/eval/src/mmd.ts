/**
 * Maximum mean discrepancy with a Gaussian (RBF) kernel and the median-heuristic bandwidth (ALGORITHMS.md §6;
 * Gretton, Borgwardt, Rasch, Schölkopf, Smola, JMLR 2012).
 */
import { type Rng, tf, ValidationError } from '@rtk-diffusion/tensor';
import {
  DEFAULT_CHUNK_SIZE,
  type DistanceKernel,
  type KernelEstimator,
  kernelStatistic,
} from './kernel-statistic.js';
import {
  assertInteger,
  type HostSamples,
  readPair,
  readSamples,
  type SampleInput,
  subsample,
} from './samples.js';

/** Options of {@link mmd}. */
export interface MmdOptions {
  /**
   * σ of the kernel k(x, y) = exp(−‖x − y‖² / (2σ²)), or `'median'` (default): the median pairwise distance of the
   * pooled sample ({@link medianHeuristicBandwidth}). To compare several samples with one reference, compute σ once
   * from the reference and pass it, so every comparison uses the same kernel.
   */
  readonly bandwidth?: number | 'median';
  /** `'unbiased'` (default, U-statistic: E = MMD², may be negative) or `'biased'` (V-statistic: ≥ 0, 0 for equal samples). */
  readonly estimator?: KernelEstimator;
  /** Largest number of rows used from each sample, default {@link DEFAULT_MAX_SAMPLES}; larger ones need `rng`. */
  readonly maxSamples?: number;
  /** Draws the random subsets (when a sample exceeds `maxSamples` or the median's `bandwidthSamples`). */
  readonly rng?: Rng;
  /** Rows per tile of the pairwise computation (memory ∝ chunkSize²), default 1024. */
  readonly chunkSize?: number;
  /** Rows of the pooled sample used for the median heuristic, default {@link DEFAULT_BANDWIDTH_SAMPLES}. */
  readonly bandwidthSamples?: number;
}

/** Result of {@link mmd}. */
export interface MmdResult {
  /** The estimate of MMD² (squared, as the estimators are defined). */
  readonly value: number;
  /** First-order standard error of `value` (see the estimator notes; underestimates when the laws are equal). */
  readonly standardError: number;
  /** The σ used. */
  readonly bandwidth: number;
  /** The estimator used. */
  readonly estimator: KernelEstimator;
  /** Rows used from the samples and the reference (after subsampling). */
  readonly n: number;
  readonly m: number;
}

/** Options of {@link medianHeuristicBandwidth}. */
export interface BandwidthOptions {
  /** Rows used (a random subset when more, drawn with `rng`; evenly spaced rows without it), default 1000. */
  readonly bandwidthSamples?: number;
  /** Draws the subset. */
  readonly rng?: Rng;
}

/** Default cap on rows per sample for the O(n²) metrics: 20 000 (≈ 1.2 · 10⁹ kernel terms for n = m). */
export const DEFAULT_MAX_SAMPLES: number = 20_000;
/** Default rows for the median heuristic: 1000 rows give ≈ 5 · 10⁵ pairs, a median accurate to ≈ 0.2 %. */
export const DEFAULT_BANDWIDTH_SAMPLES: number = 1000;

/**
 * MMD² between `samples` and `reference` with the RBF kernel k(x, y) = exp(−‖x − y‖² / (2σ²)):
 * MMD² = E k(X, X') + E k(Y, Y') − 2 E k(X, Y), zero iff the laws are equal (the kernel is characteristic).
 *
 * Estimators: `'unbiased'` (default) is the U-statistic MMD²_u of Gretton et al. (Lemma 6): unbiased, can be slightly
 * negative, and near 0 for equal laws at any n; `'biased'` is the V-statistic MMD²_b: ≥ 0, exactly 0 for identical
 * samples, biased upwards by ≈ (1 − E k(X, X'))/n + (1 − E k(Y, Y'))/m. With the median bandwidth computed from the
 * same data, σ is itself random (a small extra bias, usually ignored).
 *
 * Cost: (n² + m²)/2 + nm kernel terms, each d + O(1) flops on the active TensorFlow.js backend, in tiles of
 * `chunkSize` rows (memory O(chunkSize²)), plus O(b² d) for the median on b = `bandwidthSamples` rows.
 *
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample has fewer than 2 rows, exceeds maxSamples
 *   without an rng, or an option is out of range; NonFiniteSampleError on NaN or infinite values.
 */
export async function mmd(
  samples: SampleInput,
  reference: SampleInput,
  options: MmdOptions = {},
): Promise<MmdResult> {
  const estimator = options.estimator ?? 'unbiased';
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const [fullX, fullY] = await readPair(samples, reference);
  const x = subsample(fullX, maxSamples, options.rng, 'samples');
  const y = subsample(fullY, maxSamples, options.rng, 'reference');
  const requested = options.bandwidth ?? 'median';
  let bandwidth: number;
  if (requested === 'median') {
    bandwidth = medianBandwidth(
      pool(x, y),
      options.bandwidthSamples ?? DEFAULT_BANDWIDTH_SAMPLES,
      options.rng,
    );
  } else {
    if (!(Number.isFinite(requested) && requested > 0)) {
      throw new ValidationError(`bandwidth must be a positive number or 'median', got ${requested}`);
    }
    bandwidth = requested;
  }
  const scale = -1 / (2 * bandwidth * bandwidth);
  const kernel: DistanceKernel = {
    fromSquaredDistance: (squared) => tf.exp(tf.mul(squared, scale)),
    selfValue: 1,
  };
  const { value, standardError } = await kernelStatistic(
    x,
    y,
    kernel,
    estimator,
    options.chunkSize ?? DEFAULT_CHUNK_SIZE,
  );
  return { value, standardError, bandwidth, estimator, n: x.n, m: y.n };
}

/**
 * The median heuristic σ = median_{i<j} ‖x_i − x_j‖ over the rows of `samples` (or over `bandwidthSamples` of them),
 * computed in float64 on the host. Pass the result as `bandwidth` to {@link mmd} to fix the kernel across comparisons.
 *
 * Cost: O(b² d) time and O(b²) memory for b = min(n, bandwidthSamples).
 *
 * @throws ValidationError when fewer than 2 rows are given or the median distance is 0 (more than half the pairs are
 *   equal points: pass a bandwidth instead).
 */
export async function medianHeuristicBandwidth(
  samples: SampleInput,
  options: BandwidthOptions = {},
): Promise<number> {
  const x = await readSamples(samples, 'samples');
  return medianBandwidth(x, options.bandwidthSamples ?? DEFAULT_BANDWIDTH_SAMPLES, options.rng);
}

function medianBandwidth(all: HostSamples, bandwidthSamples: number, rng: Rng | undefined): number {
  assertInteger(bandwidthSamples, 2, 'bandwidthSamples');
  const x =
    rng === undefined ? evenlySpaced(all, bandwidthSamples) : subsample(all, bandwidthSamples, rng, 'median');
  if (x.n < 2) {
    throw new ValidationError(`the median heuristic needs at least 2 rows, got ${x.n}`, { n: x.n });
  }
  const distances = new Float64Array((x.n * (x.n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < x.n; i++) {
    for (let j = i + 1; j < x.n; j++) {
      let squared = 0;
      for (let c = 0; c < x.d; c++) squared += (x.values[i * x.d + c]! - x.values[j * x.d + c]!) ** 2;
      distances[k++] = squared;
    }
  }
  distances.sort();
  const half = distances.length >> 1;
  const median =
    distances.length % 2 === 1
      ? Math.sqrt(distances[half]!)
      : (Math.sqrt(distances[half - 1]!) + Math.sqrt(distances[half]!)) / 2;
  if (!(median > 0)) {
    throw new ValidationError(
      'the median pairwise distance is 0 (more than half the pairs are equal points); pass an explicit bandwidth',
    );
  }
  return median;
}

/** The rows ⌊i · n / b⌋, i < b, when n > b (deterministic; fine for exchangeable samples). */
function evenlySpaced(x: HostSamples, b: number): HostSamples {
  if (x.n <= b) return x;
  const values = new Float64Array(b * x.d);
  for (let i = 0; i < b; i++) {
    const row = Math.floor((i * x.n) / b);
    values.set(x.values.subarray(row * x.d, (row + 1) * x.d), i * x.d);
  }
  return { values, n: b, d: x.d };
}

function pool(x: HostSamples, y: HostSamples): HostSamples {
  const values = new Float64Array((x.n + y.n) * x.d);
  values.set(x.values.subarray(0, x.n * x.d), 0);
  values.set(y.values.subarray(0, y.n * y.d), x.n * x.d);
  return { values, n: x.n + y.n, d: x.d };
}
