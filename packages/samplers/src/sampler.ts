/**
 * `defineSampler`: how every sampler is declared. A definition names the sampler, cites its source, states its cost
 * model and default grid, and creates its update; the shared loop does everything else.
 */
import { runSampler } from './loop.js';
import type { CostModel, GridChoice, SampleOptions, SampleResult, Stepper } from './types.js';

/** A sampler's declaration. `Extra` are its own options beyond `SampleOptions`. */
export interface SamplerDefinition<Extra extends object = object> {
  /** Stable registry name (`ddpm`, `rtk-mala`, …). */
  readonly name: string;
  /** One-line description. */
  readonly title: string;
  /** The paper it implements and the ALGORITHMS.md section. */
  readonly reference: string;
  /** Its NFE cost model (may depend on its options, e.g. RTK's segments, and on the model). */
  cost(options: Partial<SampleOptions & Extra>): CostModel;
  /** The grid used when the caller gives none. */
  defaultGrid(options: Partial<SampleOptions & Extra>): GridChoice;
  /** Creates the update for one run. */
  createStepper(
    options: SampleOptions & Partial<Extra>,
    plan: { readonly steps: number; readonly nfe: number | undefined },
  ): Stepper;
}

/** A runnable sampler. */
export interface Sampler<Extra extends object = object> {
  readonly name: string;
  readonly title: string;
  readonly reference: string;
  /** The cost model for the given options. */
  cost(options?: Partial<SampleOptions & Extra>): CostModel;
  /** The default grid for the given options. */
  defaultGrid(options?: Partial<SampleOptions & Extra>): GridChoice;
  /** Draws `n` samples. The caller owns `result.x`. */
  sample(options: SampleOptions & Partial<Extra>): Promise<SampleResult>;
}

/** Turns a definition into a sampler that runs through the shared loop. */
export function defineSampler<Extra extends object = object>(
  definition: SamplerDefinition<Extra>,
): Sampler<Extra> {
  return {
    name: definition.name,
    title: definition.title,
    reference: definition.reference,
    cost: (options = {}) => definition.cost(options),
    defaultGrid: (options = {}) => definition.defaultGrid(options),
    // async, so that invalid options reject the returned promise instead of throwing synchronously
    sample: async (options) =>
      runSampler(
        {
          name: definition.name,
          cost: definition.cost(options as Partial<SampleOptions & Extra>),
          defaultGrid: definition.defaultGrid(options as Partial<SampleOptions & Extra>),
          createStepper: (plan) => definition.createStepper(options, plan),
        },
        options,
      ),
  };
}
