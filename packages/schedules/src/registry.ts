/**
 * The schedule registry: stable names → schedule functions, so the CLI, benchmarks and samplers pick a grid by name.
 */
import { RtkError } from '@rtk-diffusion/tensor';
import { type CosineOptions, cosine } from './cosine.js';
import type { Grid } from './grid.js';
import { type KarrasOptions, karras } from './karras.js';
import { type LiTheoryOptions, liTheory } from './li-theory.js';
import { type LinearOptions, linear } from './linear.js';
import { type LogSnrUniformOptions, logSnrUniform } from './log-snr-uniform.js';
import { type OuUniformOptions, ouUniform } from './ou-uniform.js';

/** Stable names of the schedules. */
export type ScheduleName = 'linear' | 'cosine' | 'ouUniform' | 'logSnrUniform' | 'karras' | 'liTheory';

/** Every schedule name, in a stable order. */
export const SCHEDULE_NAMES: readonly ScheduleName[] = Object.freeze([
  'linear',
  'cosine',
  'ouUniform',
  'logSnrUniform',
  'karras',
  'liTheory',
]);

/** The options of each schedule, without `steps` (given to {@link makeGrid} separately). */
export interface ScheduleOptionsMap {
  readonly linear: Omit<LinearOptions, 'steps'>;
  readonly cosine: Omit<CosineOptions, 'steps'>;
  readonly ouUniform: Omit<OuUniformOptions, 'steps'>;
  readonly logSnrUniform: Omit<LogSnrUniformOptions, 'steps'>;
  readonly karras: Omit<KarrasOptions, 'steps'>;
  readonly liTheory: Omit<LiTheoryOptions, 'steps'>;
}

const SCHEDULES: {
  readonly [N in ScheduleName]: (options: ScheduleOptionsMap[N] & { steps: number }) => Grid;
} = { linear, cosine, ouUniform, logSnrUniform, karras, liTheory };

/** True when `name` is one of {@link SCHEDULE_NAMES} (use it to narrow a user-given string). */
export function isScheduleName(name: unknown): name is ScheduleName {
  return typeof name === 'string' && (SCHEDULE_NAMES as readonly string[]).includes(name);
}

/**
 * The grid of the schedule `name` for K = `steps` steps: `makeGrid('ouUniform', 5, { horizon: 5 })` is
 * `ouUniform({ steps: 5, horizon: 5 })`.
 *
 * @throws {@link RtkError} with code `'E_UNKNOWN_NAME'` for a name outside {@link SCHEDULE_NAMES}; the schedule's own
 * `ValidationError` for bad options.
 */
export function makeGrid<N extends ScheduleName>(
  name: N,
  steps: number,
  options?: ScheduleOptionsMap[N],
): Grid {
  if (!isScheduleName(name)) {
    throw new RtkError(
      'E_UNKNOWN_NAME',
      `makeGrid: unknown schedule ${JSON.stringify(name)}; the schedules are ${SCHEDULE_NAMES.join(', ')}`,
      { details: { name, known: SCHEDULE_NAMES } },
    );
  }
  const schedule = SCHEDULES[name] as (options: object) => Grid;
  return schedule({ ...(options ?? {}), steps });
}
