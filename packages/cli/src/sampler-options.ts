/**
 * The options each registered sampler takes beyond those every sampler takes (`model`, `n`, `nfe`, `grid`, `rng`, …):
 * what `rtk sample --set key=value` and the benchmarks' settings may give it. A key the sampler does not know is an
 * error with the nearest valid key, never silently ignored.
 */
import type { SAMPLERS, Sampler, SamplerName } from '@rtk-diffusion/samplers';
import { RtkError } from '@rtk-diffusion/tensor';
import { unknownNameError } from './errors.js';

/** The sampler-specific options type `Extra` of a `Sampler<Extra>`. */
type ExtraOf<S> = S extends Sampler<infer Extra> ? Extra : never;

/** The option names of the sampler registered as `K`. */
type OptionNames<K extends SamplerName> = keyof ExtraOf<(typeof SAMPLERS)[K]> & string;

/**
 * Every option name of the sampler `K`, checked by the compiler both ways: an unknown name does not fit
 * `OptionNames<K>`, and a missing one turns the parameter into `never`. So the table below cannot drift from the
 * samplers' option types.
 */
function optionsOf<K extends SamplerName>(): <const N extends readonly OptionNames<K>[]>(
  names: N & ([Exclude<OptionNames<K>, N[number]>] extends [never] ? unknown : never),
) => N {
  return (names) => names;
}

const RTK = [
  'segments',
  'maxSegments',
  'innerSteps',
  'stepSize',
  'stepSizeFactor',
  'start',
  'horizon',
  'delta',
] as const;

/** Option names by sampler (an empty list: the sampler has no options of its own). */
export const SAMPLER_OPTION_NAMES: { readonly [K in SamplerName]: readonly OptionNames<K>[] } = Object.freeze(
  {
    ddpm: optionsOf<'ddpm'>()(['variance']),
    ddim: optionsOf<'ddim'>()(['eta']),
    'pf-ode': optionsOf<'pf-ode'>()([]),
    'accel-det': optionsOf<'accel-det'>()([]),
    'accel-stoch': optionsOf<'accel-stoch'>()([]),
    'dpmpp-2m': optionsOf<'dpmpp-2m'>()([]),
    'rtk-ula': optionsOf<'rtk-ula'>()(RTK),
    'rtk-mala': optionsOf<'rtk-mala'>()(RTK),
    'rtk-mala-score': optionsOf<'rtk-mala-score'>()(RTK),
    'rtk-uld': optionsOf<'rtk-uld'>()(RTK),
  },
);

/**
 * Checks the keys of `options` against the options of the sampler registered as `sampler` (call `getSampler` first
 * for an unknown sampler's message).
 *
 * @throws RtkError `E_UNKNOWN_NAME` (exit code 2) for the first unknown key, suggesting the nearest option of that
 *   sampler and listing them all.
 */
export function assertSamplerOptions(sampler: string, options: Readonly<Record<string, unknown>>): void {
  const known: readonly string[] = Object.hasOwn(SAMPLER_OPTION_NAMES, sampler)
    ? SAMPLER_OPTION_NAMES[sampler as SamplerName]
    : [];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    if (known.length === 0) {
      throw new RtkError(
        'E_UNKNOWN_NAME',
        `${sampler} has no options of its own, so --set ${key}=… does not apply (the grid is --grid)`,
        { details: { name: key } },
      );
    }
    throw unknownNameError(`${sampler} option`, key, known, { listTitle: `${sampler} options:` });
  }
}
