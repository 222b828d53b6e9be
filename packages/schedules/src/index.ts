/**
 * `@rtk-diffusion/schedules`: grids of signal levels a (ALGORITHMS.md §1–2) for K sampling steps, in sampling order
 * (noisiest first), with the α of every step, and conversions between a, OU time, σ and log-SNR.
 *
 * @packageDocumentation
 */

export { aToLogSnr, aToSigma, aToTime, logSnrToA, sigmaToA, timeToA } from './conversions.js';
export type { CosineOptions } from './cosine.js';
export { COSINE_DEFAULTS, cosine } from './cosine.js';
export type { Spacing } from './discrete.js';
export { SPACINGS } from './discrete.js';
export type { Grid, GridOptions } from './grid.js';
export { assertGrid, customGrid, MAX_NOISIEST_LEVEL, MIN_LEVEL } from './grid.js';
export type { KarrasOptions } from './karras.js';
export { KARRAS_DEFAULTS, karras } from './karras.js';
export type { LiTheoryOptions } from './li-theory.js';
export { LI_THEORY_DEFAULTS, liTheory } from './li-theory.js';
export type { LinearOptions } from './linear.js';
export { LINEAR_DEFAULTS, linear } from './linear.js';
export type { LogSnrUniformOptions } from './log-snr-uniform.js';
export { LOG_SNR_UNIFORM_DEFAULTS, logSnrUniform } from './log-snr-uniform.js';
export type { OuUniformOptions } from './ou-uniform.js';
export { OU_UNIFORM_DEFAULTS, ouUniform } from './ou-uniform.js';
export type { ScheduleName, ScheduleOptionsMap } from './registry.js';
export { isScheduleName, makeGrid, SCHEDULE_NAMES } from './registry.js';
