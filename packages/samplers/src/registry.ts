/**
 * The registry: stable names → samplers, so the CLI, the benchmarks and the docs list and run them by name at equal
 * NFE without knowing them. Adding a sampler is one line here.
 */
import { RtkError } from '@rtk-diffusion/tensor';
import { closest } from 'fastest-levenshtein';
import { accelDet } from './accel-det.js';
import { accelStoch } from './accel-stoch.js';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { dpmSolverPP2M } from './dpmpp-2m.js';
import { pfOde } from './pf-ode.js';
import { rtkMala } from './rtk-mala.js';
import { rtkMalaScore } from './rtk-mala-score.js';
import { rtkUla } from './rtk-ula.js';
import { rtkUld } from './rtk-uld.js';
import type { Sampler } from './sampler.js';

/** Every registered sampler by its stable name. */
export const SAMPLERS = {
  ddpm,
  ddim,
  'pf-ode': pfOde,
  'accel-det': accelDet,
  'accel-stoch': accelStoch,
  'dpmpp-2m': dpmSolverPP2M,
  'rtk-ula': rtkUla,
  'rtk-mala': rtkMala,
  'rtk-mala-score': rtkMalaScore,
  'rtk-uld': rtkUld,
} as const satisfies Record<string, Sampler<never>>;

/** A registered sampler name. */
export type SamplerName = keyof typeof SAMPLERS;

/** The registered names, in registry order. */
export const SAMPLER_NAMES = Object.keys(SAMPLERS) as SamplerName[];

/**
 * The sampler registered under `name`.
 *
 * @throws RtkError `E_UNKNOWN_NAME`, suggesting the nearest registered name.
 */
export function getSampler(name: string): Sampler<Record<string, unknown>> {
  if (Object.hasOwn(SAMPLERS, name))
    return SAMPLERS[name as SamplerName] as unknown as Sampler<Record<string, unknown>>;
  const suggestion = closest(name, SAMPLER_NAMES);
  throw new RtkError(
    'E_UNKNOWN_NAME',
    `Unknown sampler '${name}'. Did you mean '${suggestion}'? Registered: ${SAMPLER_NAMES.join(', ')}`,
    { details: { name, suggestion } },
  );
}
