/**
 * `@rtk-diffusion/mcmc`: MCMC kernels over batches of independent chains (ALGORITHMS.md §4). A `Target` is
 * `{ grad(x), logDensity?(x) }` over a batch [n, d]; a `Kernel` is a pure `init` / `step` pair; `run` drives one.
 * Knows nothing of diffusion.
 *
 * @packageDocumentation
 */

export type {
  AdaptedInfo,
  AdaptedState,
  AdaptStepSizeOptions,
  TunedStepSize,
} from './adapt-step-size.js';
export { adaptedStepSize, adaptStepSize, tuneStepSize } from './adapt-step-size.js';
export type { BaoabInfo, BaoabOptions, BaoabState } from './baoab.js';
export { baoab } from './baoab.js';
export type { DualAveragingSettings, DualAveragingState } from './dual-averaging.js';
export { DUAL_AVERAGING_DEFAULTS, dualAveragingInit, dualAveragingUpdate } from './dual-averaging.js';
export { addEvaluations, countNfe, NO_EVALUATIONS, scaleEvaluations } from './evaluations.js';
export type { HmcInfo, HmcOptions, HmcState } from './hmc.js';
export { hmc } from './hmc.js';
export type { KineticInfo, KineticState } from './kinetic.js';
export type { MalaInfo, MalaOptions, MalaState } from './mala.js';
export { mala } from './mala.js';
export type {
  LineIntegralRule,
  MalaScoreOnlyInfo,
  MalaScoreOnlyOptions,
  MalaScoreOnlyState,
} from './mala-score-only.js';
export { malaScoreOnly } from './mala-score-only.js';
export type { KernelEntry, KernelSettings } from './registry.js';
export { createKernel, KERNELS } from './registry.js';
export type { RunAcceptance, RunOptions, RunResult, RunStepEvent } from './run.js';
export { run } from './run.js';
export { disposeInfo } from './tensors.js';
export type * from './types.js';
export type { UlaInfo, UlaOptions, UlaState } from './ula.js';
export { ula } from './ula.js';
export type { UldCoefficients, UldInfo, UldOptions, UldState } from './uld.js';
export { uld, uldCoefficients } from './uld.js';
