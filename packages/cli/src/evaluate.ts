/**
 * The metrics of `rtk eval` and the benchmarks, all from `@rtk-diffusion/eval` (ALGORITHMS.md §6–7), computed against
 * a ground-truth reference sample that is prepared once per target (MMD bandwidth and Gaussian fit of the reference),
 * so every sampler is measured with the same kernel and the same reference.
 */
import {
  energyDistance,
  frechetDistanceGaussian,
  type GaussianFit,
  gaussianFit,
  histogramTotalVariation2d,
  marginalAccuracy,
  marginalAccuracyPaper,
  medianHeuristicBandwidth,
  mmd,
  modeWeightError,
  slicedWasserstein,
} from '@rtk-diffusion/eval';
import type { MixtureSpec } from '@rtk-diffusion/scores';
import { createRng, ShapeError } from '@rtk-diffusion/tensor';
import { unknownNameError } from './errors.js';
import type { SampleMatrix } from './sample-matrix.js';

/** Stable metric keys (results.json, `--metric`). */
export type MetricName =
  | 'marginalAccuracy'
  | 'marginalAccuracyPaper'
  | 'slicedW2'
  | 'mmd'
  | 'energy'
  | 'tv2d'
  | 'modeWeightTv'
  | 'frechet';

/** Every metric, in report order. */
export const METRIC_NAMES: readonly MetricName[] = Object.freeze([
  'marginalAccuracy',
  'marginalAccuracyPaper',
  'slicedW2',
  'mmd',
  'energy',
  'tv2d',
  'modeWeightTv',
  'frechet',
]);

/** How each metric reads: its title, whether higher is better, and what it is. */
export const METRICS: Readonly<
  Record<
    MetricName,
    { readonly title: string; readonly higherIsBetter: boolean; readonly description: string }
  >
> = Object.freeze({
  marginalAccuracy: {
    title: 'marginal accuracy',
    higherIsBetter: true,
    description:
      '1 − mean_j TV_j, 50 bins on each coordinate’s ground-truth range padded by 5 %, values outside count as mismatch (ALGORITHMS.md §6)',
  },
  marginalAccuracyPaper: {
    title: 'marginal accuracy (paper)',
    higherIsBetter: true,
    description: "the RTK paper's variant: 200 bins on [−5, 5], 1 − mean_j TV_j / 2 (ALGORITHMS.md §7)",
  },
  slicedW2: {
    title: 'sliced W2',
    higherIsBetter: false,
    description: 'sliced Wasserstein-2, 128 directions',
  },
  mmd: {
    title: 'MMD²',
    higherIsBetter: false,
    description: 'unbiased MMD², RBF kernel, σ = median of the reference',
  },
  energy: {
    title: 'energy distance',
    higherIsBetter: false,
    description: 'unbiased squared energy distance',
  },
  tv2d: {
    title: '2-D TV',
    higherIsBetter: false,
    description: 'TV of 30 × 30 histograms of the scatter coordinates on the ground-truth ranges',
  },
  modeWeightTv: {
    title: 'mode-weight TV',
    higherIsBetter: false,
    description: '½ Σ_i |ŵ_i − w_i|, samples assigned to the most responsible component (mixtures of ≥ 2)',
  },
  frechet: {
    title: 'Fréchet',
    higherIsBetter: false,
    description: 'squared Fréchet distance of Gaussian fits',
  },
});

/**
 * The metric called `name`.
 *
 * @throws RtkError `E_UNKNOWN_NAME` (exit code 2) suggesting the nearest metric name.
 */
export function metricName(name: string): MetricName {
  if ((METRIC_NAMES as readonly string[]).includes(name)) return name as MetricName;
  throw unknownNameError('metric', name, METRIC_NAMES, { listTitle: 'Metrics:' });
}

/** Metric values; a metric that does not apply (mode weights of a Gaussian) is absent. */
export type MetricValues = Partial<Record<MetricName, number>>;

/** A ground-truth sample prepared for repeated comparisons. */
export interface PreparedReference {
  readonly samples: SampleMatrix;
  /** MMD kernel width σ: the median heuristic on the reference. */
  readonly bandwidth: number;
  /** Gaussian fit of the reference (Fréchet distance). */
  readonly fit: GaussianFit;
  /** The mixture (mode weights), when known. */
  readonly spec: MixtureSpec | undefined;
  /** Coordinates of the 2-D histogram. */
  readonly dimensions: readonly [number, number];
  /** Largest number of rows used by the O(n²) metrics (MMD, energy). */
  readonly maxPairwise: number;
  /** Seed of the random subsets and projections. */
  readonly seed: number;
}

/** Default cap of rows for MMD and energy distance: 2 000 (≈ 8 · 10⁶ pairs, a fraction of a second). */
export const DEFAULT_MAX_PAIRWISE = 2000;

/** Prepares a reference sample: computes the MMD bandwidth and the Gaussian fit once. */
export async function prepareReference(
  samples: SampleMatrix,
  options: {
    readonly spec?: MixtureSpec;
    readonly dimensions?: readonly [number, number];
    readonly maxPairwise?: number;
    readonly seed?: number;
  } = {},
): Promise<PreparedReference> {
  const seed = options.seed ?? 0;
  const bandwidth = await medianHeuristicBandwidth(samples, { rng: createRng(seed).fork('bandwidth') });
  return {
    samples,
    bandwidth,
    fit: await gaussianFit(samples),
    spec: options.spec,
    dimensions: options.dimensions ?? [0, Math.min(1, samples.d - 1)],
    maxPairwise: options.maxPairwise ?? DEFAULT_MAX_PAIRWISE,
    seed,
  };
}

/**
 * Every applicable metric of `samples` against the prepared reference (or only `metrics`). `onMetric` is called after
 * each metric (also one that does not apply), for progress.
 *
 * @throws ShapeError when the dimensions differ; NonFiniteSampleError (`E_NUMERIC`) when a sample is NaN or infinite.
 */
export async function evaluateSamples(
  samples: SampleMatrix,
  reference: PreparedReference,
  metrics: readonly MetricName[] = METRIC_NAMES,
  onMetric?: (metric: MetricName) => void,
): Promise<MetricValues> {
  if (samples.d !== reference.samples.d) {
    throw new ShapeError(
      `the samples have dimension ${samples.d} but the target has dimension ${reference.samples.d}`,
      { samples: samples.d, target: reference.samples.d },
    );
  }
  const rng = createRng(reference.seed);
  const truth = reference.samples;
  const pairwise = { maxSamples: reference.maxPairwise, rng: rng.fork('pairwise') };
  const spec = reference.spec;
  // Each metric, or undefined where it does not apply; in METRIC_NAMES order (the forks do not depend on the order).
  const compute: Record<MetricName, () => Promise<number | undefined>> = {
    marginalAccuracy: () => marginalAccuracy(samples, truth),
    marginalAccuracyPaper: () => marginalAccuracyPaper(samples, truth),
    slicedW2: async () => (await slicedWasserstein(samples, truth, { rng: rng.fork('sliced') })).value,
    mmd: async () =>
      samples.n < 2
        ? undefined
        : (await mmd(samples, truth, { ...pairwise, bandwidth: reference.bandwidth })).value,
    energy: async () => (samples.n < 2 ? undefined : (await energyDistance(samples, truth, pairwise)).value),
    tv2d: async () =>
      samples.d < 2
        ? undefined
        : histogramTotalVariation2d(samples, truth, { dimensions: reference.dimensions }),
    modeWeightTv: async () =>
      spec === undefined || spec.weights.length < 2
        ? undefined
        : (await modeWeightError(samples, spec)).totalVariation,
    frechet: async () =>
      samples.n < 2 ? undefined : frechetDistanceGaussian(await gaussianFit(samples), reference.fit),
  };
  const wanted = new Set(metrics);
  const values: MetricValues = {};
  for (const name of METRIC_NAMES) {
    if (!wanted.has(name)) continue;
    const value = await compute[name]();
    if (value !== undefined) values[name] = value;
    onMetric?.(name);
  }
  return values;
}
