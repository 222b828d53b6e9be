/**
 * `@rtk-diffusion/samplers`: diffusion samplers that share one loop and one contract (ALGORITHMS.md §5). Every sampler
 * takes `{ model, n, nfe | grid, rng, onStep?, signal? }` and returns `{ x, nfe, trace }`; the registry lists them
 * by stable name with their NFE cost models.
 *
 * @packageDocumentation
 */
export { accelDet } from './accel-det.js';
export { accelStoch } from './accel-stoch.js';
export type { DdimOptions } from './ddim.js';
export { ddim } from './ddim.js';
export type { DdpmOptions } from './ddpm.js';
export { ddpm } from './ddpm.js';
export { dpmSolverPP2M } from './dpmpp-2m.js';
export { fixedCost, resolveGrid } from './grid.js';
export type { CountedModel, LoopSpec } from './loop.js';
export { countEvaluations, runSampler } from './loop.js';
export { pfOde } from './pf-ode.js';
export type { SamplerName } from './registry.js';
export { getSampler, SAMPLER_NAMES, SAMPLERS } from './registry.js';
export type { RowBatch, RowRange, SampleRowsOptions } from './rows.js';
export { rowChunks, rowParts, sampleRows } from './rows.js';
export type { RtkInner, RtkOptions, RtkStart } from './rtk.js';
export { rtk } from './rtk.js';
export { innerStepsForBudget } from './rtk-budget.js';
export { rtkMala } from './rtk-mala.js';
export { rtkMalaScore } from './rtk-mala-score.js';
export { rtkUla } from './rtk-ula.js';
export { rtkUld } from './rtk-uld.js';
export type { Sampler, SamplerDefinition } from './sampler.js';
export { defineSampler } from './sampler.js';
export type * from './types.js';

// ---------------------------------------------------------------------------------------------------------------------
// Re-exports for users who install only this package (`pnpm add @rtk-diffusion/samplers`): the backend, the seeded RNG,
// the TensorFlow.js namespace, the exact models and the network adapter that a first program needs. They are the very
// same bindings as in `@rtk-diffusion/tensor` and `@rtk-diffusion/scores` (one instance, nothing copied); everything
// else stays in those packages.
// ---------------------------------------------------------------------------------------------------------------------

export type { MixtureSpec, PredictionNetwork, ScoreModel } from '@rtk-diffusion/scores';
export {
  /**
   * Wraps a network that predicts noise (`'epsilon'`), data (`'x0'`) or velocity (`'v'`) as a `ScoreModel`
   * (ALGORITHMS.md §1). Re-exported from `@rtk-diffusion/scores`.
   */
  fromPrediction,
  /** A Gaussian target with exact scores at every signal level. Re-exported from `@rtk-diffusion/scores`. */
  gaussianModel,
  /**
   * A Gaussian-mixture target with exact scores and log-densities at every signal level, and `sample(n, rng)` for
   * ground truth. Re-exported from `@rtk-diffusion/scores`.
   */
  mixtureModel,
} from '@rtk-diffusion/scores';
export type { Rng, Tensor2D } from '@rtk-diffusion/tensor';
export {
  /**
   * The seeded, splittable random-number generator (same seed ⇒ same samples on every backend). Re-exported from
   * `@rtk-diffusion/tensor`.
   */
  createRng,
  /**
   * Chooses and starts the TensorFlow.js backend (wasm with SIMD by default in Node); call it once before sampling.
   * Re-exported from `@rtk-diffusion/tensor`.
   */
  initBackend,
  /**
   * The TensorFlow.js namespace every package computes with (one shared instance). Re-exported from
   * `@rtk-diffusion/tensor`.
   */
  tf,
} from '@rtk-diffusion/tensor';
