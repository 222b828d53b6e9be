/**
 * `@rtk-diffusion/eval`: sample-quality metrics. Every metric compares samples (a batch `Tensor2D` [n, d], rows, or
 * a row-major array) with a reference sample or a known law, documents its estimator, bias and cost, disposes every
 * tensor it makes, and throws typed errors on bad input. It knows nothing of samplers or diffusion.
 *
 * @packageDocumentation
 */

export type { EnergyDistanceOptions, EnergyDistanceResult } from './energy-distance.js';
export { energyDistance } from './energy-distance.js';
export type { GaussianFit, GaussianFitOptions, GaussianMoments } from './frechet.js';
export { frechetDistance, frechetDistanceGaussian, gaussianFit } from './frechet.js';
export type { HistogramRange, RangeChoice } from './histogram.js';
export { DEFAULT_RANGE_PADDING, referenceRange } from './histogram.js';
export type { Histogram2dOptions } from './histogram-2d.js';
export { DEFAULT_2D_BINS, histogramTotalVariation2d } from './histogram-2d.js';
export type { KernelEstimator } from './kernel-statistic.js';
export type { MarginalAccuracyOptions } from './marginal-accuracy.js';
export {
  DEFAULT_MARGINAL_BINS,
  marginalAccuracy,
  marginalAccuracyPaper,
  marginalTotalVariation,
  PAPER_BINS,
  PAPER_RANGE,
} from './marginal-accuracy.js';
export type { BandwidthOptions, MmdOptions, MmdResult } from './mmd.js';
export {
  DEFAULT_BANDWIDTH_SAMPLES,
  DEFAULT_MAX_SAMPLES,
  medianHeuristicBandwidth,
  mmd,
} from './mmd.js';
export type { ComponentCovariance, MixtureComponents, ModeWeightResult } from './mode-weights.js';
export { modeWeightError } from './mode-weights.js';
export type { HostSamples, RowMajorSamples, SampleInput } from './samples.js';
export { NonFiniteSampleError, readSamples } from './samples.js';
export type { SlicedWassersteinOptions, SlicedWassersteinResult } from './sliced-wasserstein.js';
export { DEFAULT_PROJECTIONS, slicedWasserstein, wasserstein2Squared } from './sliced-wasserstein.js';
