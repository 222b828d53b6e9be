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
