/**
 * `@rtk-diffusion/scores`: the `ScoreModel` interface, exact Gaussian, mixture and empirical scores at every signal
 * level (ALGORITHMS.md §3), and adapters between scores and noise, data and velocity predictions (§1).
 *
 * @packageDocumentation
 */

export type { CacheOptions } from './components.js';
export type { EmpiricalModel } from './empirical.js';
export { empiricalModel } from './empirical.js';
export type { GaussianModel } from './gaussian.js';
export { gaussianModel } from './gaussian.js';
export { DEFAULT_CACHE_BYTES, DEFAULT_CACHE_LEVELS } from './level-cache.js';
export type { MixtureModel } from './mixture.js';
export { mixtureModel } from './mixture.js';
export type { PredictionNetwork } from './prediction.js';
export {
  fromPrediction,
  PREDICTION_TYPES,
  predictionToScore,
  scoreToPrediction,
  toPrediction,
} from './prediction.js';
export type { Covariance, GaussianSpec, MixtureSpec } from './spec.js';
export {
  gaussianSpecSchema,
  mixtureSpecSchema,
  parseGaussianSpec,
  parseMixtureSpec,
  WEIGHT_SUM_TOLERANCE,
} from './spec.js';
export type { ExactScoreModel, PredictionType, ScoreModel } from './types.js';
