/**
 * Energy distance (ALGORITHMS.md §6; Székely & Rizzo, J. Stat. Plan. Inference 2013):
 * D² = 2 E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, zero iff the laws are equal (both with finite first moments).
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { tf } from '@rtk-diffusion/tensor';
import {
  DEFAULT_CHUNK_SIZE,
  type DistanceKernel,
  type KernelEstimator,
  kernelStatistic,
} from './kernel-statistic.js';
import { DEFAULT_MAX_SAMPLES } from './mmd.js';
import { readPair, type SampleInput, subsample } from './samples.js';

/** Options of {@link energyDistance}. */
export interface EnergyDistanceOptions {
  /** `'unbiased'` (default, U-statistic: may be negative) or `'biased'` (V-statistic: ≥ 0, 0 for equal samples). */
  readonly estimator?: KernelEstimator;
  /** Largest number of rows used from each sample, default 20 000; larger ones need `rng`. */
  readonly maxSamples?: number;
  /** Draws the random subsets when a sample exceeds `maxSamples`. */
  readonly rng?: Rng;
  /** Rows per tile of the pairwise computation (memory ∝ chunkSize²), default 1024. */
  readonly chunkSize?: number;
}

/** Result of {@link energyDistance}. */
export interface EnergyDistanceResult {
  /** The estimate of D² = 2 E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖ (the squared energy distance). */
  readonly value: number;
  /** First-order standard error of `value` (underestimates when the laws are equal). */
  readonly standardError: number;
  /** The estimator used. */
  readonly estimator: KernelEstimator;
  /** Rows used from the samples and the reference (after subsampling). */
  readonly n: number;
  readonly m: number;
}

/**
 * The energy distance D² between `samples` and `reference`.
 *
 * Estimators: `'unbiased'` (default) averages the within-sample distances over the n(n−1) pairs i ≠ j: unbiased,
 * slightly negative at times when the laws are equal; `'biased'` (the V-statistic of Székely & Rizzo, whose n·m/(n+m)
 * multiple is the energy test statistic) divides by n² instead: ≥ 0, exactly 0 for identical samples, biased upwards
 * by E‖X − X'‖/n + E‖Y − Y'‖/m. No tuning parameter, scale-equivariant (D² scales like the data), rotation invariant.
 *
 * Cost: (n² + m²)/2 + nm distances, each d + O(1) flops on the active TensorFlow.js backend, in tiles of `chunkSize`
 * rows (memory O(chunkSize²)). Distances come from ‖a‖² + ‖b‖² − 2 a·b in float32 on pooled-mean-centred data: pairs
 * closer than ≈ sqrt(d · 2⁻²³) times their norm count as distance 0.
 *
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample has fewer than 2 rows, exceeds maxSamples
 *   without an rng, or an option is out of range; NonFiniteSampleError on NaN or infinite values.
 */
export async function energyDistance(
  samples: SampleInput,
  reference: SampleInput,
  options: EnergyDistanceOptions = {},
): Promise<EnergyDistanceResult> {
  const estimator = options.estimator ?? 'unbiased';
  const maxSamples = options.maxSamples ?? DEFAULT_MAX_SAMPLES;
  const [fullX, fullY] = await readPair(samples, reference);
  const x = subsample(fullX, maxSamples, options.rng, 'samples');
  const y = subsample(fullY, maxSamples, options.rng, 'reference');
  // G = E k(X,X') + E k(Y,Y') − 2 E k(X,Y) with k = ‖x − y‖ is −D², so D² = −G (same standard error).
  const kernel: DistanceKernel = { fromSquaredDistance: (squared) => tf.sqrt(squared), selfValue: 0 };
  const statistic = await kernelStatistic(x, y, kernel, estimator, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  return { value: 0 - statistic.value, standardError: statistic.standardError, estimator, n: x.n, m: y.n };
}
