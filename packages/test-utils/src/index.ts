/**
 * `@rtk-diffusion/test-utils`: shared test fixtures (private, never published). Depends only on `tensor`, so every
 * other package may use it as a devDependency. (`tensor`'s own tests import `src/stats.ts` by path.)
 *
 * @packageDocumentation
 */

export type { TwoSampleTestResult, UniformSource } from './stats.js';
export {
  column,
  energyTest,
  erfc,
  kolmogorovQuantile,
  kolmogorovSurvival,
  ksCritical,
  ksOneSample,
  ksTwoSample,
  normalCdf,
  sampleMoments,
} from './stats.js';
export type { ExactTarget } from './targets.js';
export {
  cholesky,
  finiteDifferenceGradient,
  gaussianTarget,
  inverseSpd,
  isotropicMixtureTarget,
} from './targets.js';
