/**
 * `@rtk-diffusion/mcmc`: MCMC kernels over batches of independent chains (ALGORITHMS.md §4). A `Target` is
 * `{ grad(x), logDensity?(x) }` over a batch [n, d]; a `Kernel` is a pure `init` / `step` pair; `run` drives one.
 * Knows nothing of diffusion.
 *
 * @packageDocumentation
 */

export { addEvaluations, countNfe, NO_EVALUATIONS, scaleEvaluations } from './evaluations.js';
export type { RunAcceptance, RunOptions, RunResult, RunStepEvent } from './run.js';
export { run } from './run.js';
export { disposeInfo } from './tensors.js';
export type * from './types.js';
export type { UlaInfo, UlaOptions, UlaState } from './ula.js';
export { ula } from './ula.js';
