/**
 * Turning a `GridChoice` and an NFE budget into the grid a run walks (ALGORITHMS.md §1–2: levels strictly increasing
 * in (0, 1], noisiest first).
 */
import {
  customGrid,
  type Grid,
  LINEAR_DEFAULTS,
  makeGrid,
  type ScheduleName,
} from '@rtk-diffusion/schedules';
import { RtkError, ValidationError } from '@rtk-diffusion/tensor';
import type { CostModel, GridChoice } from './types.js';

/** True when `choice` is an already-built grid. */
function isGrid(choice: GridChoice): choice is Grid {
  return typeof choice === 'object' && !Array.isArray(choice) && 'levels' in choice && 'alphas' in choice;
}

/** The grid and outer step count of a run, checked against the budget. */
export function resolveGrid(
  choice: GridChoice,
  nfe: number | undefined,
  cost: CostModel,
  sampler: string,
): { grid: Grid; steps: number } {
  if (nfe !== undefined && !(Number.isInteger(nfe) && nfe > 0)) {
    throw new ValidationError(`${sampler}: nfe must be a positive integer, got ${nfe}`, { nfe });
  }
  if (Array.isArray(choice) || isGrid(choice)) {
    const grid = isGrid(choice) ? choice : customGrid(choice as readonly number[]);
    const steps = grid.levels.length - 1;
    if (nfe !== undefined && cost.nfeForSteps(steps) > nfe) {
      throw new RtkError(
        'E_BUDGET',
        `${sampler}: the grid has ${steps} steps, which cost ${cost.nfeForSteps(steps)} evaluations, more than the budget nfe = ${nfe}`,
        { details: { steps, nfe, needed: cost.nfeForSteps(steps) } },
      );
    }
    return { grid, steps };
  }
  if (nfe === undefined) {
    throw new ValidationError(`${sampler}: give an NFE budget (nfe) or an explicit grid of levels`);
  }
  const { schedule, options } =
    typeof choice === 'string'
      ? { schedule: choice as ScheduleName, options: undefined }
      : (choice as { readonly schedule: ScheduleName; readonly options?: Readonly<Record<string, unknown>> });
  // Discrete schedules (linear, cosine) have at most `trainSteps` levels: a larger budget is left unused.
  const steps = Math.min(cost.stepsForBudget(nfe), maxSteps(schedule, options));
  return { grid: makeGrid(schedule, steps, options), steps };
}

/** The most steps a schedule can make: `trainSteps` where a discrete chain is sub-sampled, unbounded otherwise. */
function maxSteps(schedule: ScheduleName, options: Readonly<Record<string, unknown>> | undefined): number {
  if (schedule === 'linear') return Number(options?.trainSteps ?? LINEAR_DEFAULTS.trainSteps);
  if (schedule === 'cosine' && options?.trainSteps !== undefined) return Number(options.trainSteps);
  return Number.POSITIVE_INFINITY;
}

/**
 * The cost model of a sampler that spends `first` evaluations on its first step and `perStep` on every later one.
 */
export function fixedCost(sampler: string, perStep: number, first = perStep): CostModel {
  return {
    evalsPerStep: perStep,
    minNfe: first,
    nfeForSteps: (steps) => (steps <= 0 ? 0 : first + (steps - 1) * perStep),
    stepsForBudget: (nfe) => {
      if (nfe < first) {
        throw new RtkError(
          'E_BUDGET',
          `${sampler} needs at least ${first} evaluations for one step, got nfe = ${nfe}`,
          {
            details: { nfe, minimum: first },
          },
        );
      }
      return 1 + Math.floor((nfe - first) / perStep);
    },
  };
}
