/**
 * Turning a `GridChoice` and an NFE budget into the grid a run walks (ALGORITHMS.md §1–2: levels strictly increasing
 * in (0, 1], noisiest first).
 */
import {
  assertGrid,
  customGrid,
  type Grid,
  LINEAR_DEFAULTS,
  makeGrid,
  type ScheduleName,
} from '@rtk-diffusion/schedules';
import { isRtkError, RtkError, ValidationError } from '@rtk-diffusion/tensor';
import type { CostModel, GridChoice } from './types.js';

/**
 * True when `choice` is an explicit grid: a level array or a `Grid`-like object (anything with `levels` or `alphas`,
 * so that a malformed hand-built grid is validated as a grid rather than mistaken for a schedule).
 */
export function isExplicitGrid(choice: unknown): choice is readonly number[] | Grid {
  return (
    Array.isArray(choice) ||
    (typeof choice === 'object' && choice !== null && ('levels' in choice || 'alphas' in choice))
  );
}

/**
 * Validates a user-given explicit grid (levels strictly increasing in (0, 1], alphas the ratios of consecutive levels:
 * `customGrid` and `assertGrid` of `schedules`), so a hand-built grid is never used unchecked. A noisiest level above
 * 1e−3 is refused unless the run starts from the caller's `initial` (ALGORITHMS.md §2: starting from N(0, I) is only
 * right at a small a_K).
 */
function checkedGrid(choice: readonly number[] | Grid, sampler: string, hasInitial: boolean): Grid {
  const options = { allowLargeNoisiest: hasInitial };
  try {
    return Array.isArray(choice) ? customGrid(choice, options) : assertGrid(choice as Grid, options);
  } catch (error) {
    if (!isRtkError(error, 'E_VALIDATION')) throw error;
    const tooNoisy = error.details?.max !== undefined && error.details.noisiest !== undefined;
    const hint = tooNoisy ? ' (a sampler starts from N(0, I) unless you give `initial`)' : '';
    throw new ValidationError(`${sampler}: invalid grid: ${error.message}${hint}`, {
      ...(error.details ?? {}),
    });
  }
}

/**
 * The grid and outer step count of a run, checked against the budget. An explicit grid (levels or a `Grid`) is
 * validated first; `hasInitial` allows its noisiest level above 1e−3 (the run starts from the caller's `initial`).
 *
 * @throws ValidationError for a malformed grid, a bad `nfe`, or neither `nfe` nor an explicit grid; RtkError
 * `E_BUDGET` when the grid costs more than the budget or the budget is below the sampler's minimum;
 * RtkError `E_UNKNOWN_NAME` for an unknown schedule.
 */
export function resolveGrid(
  choice: GridChoice,
  nfe: number | undefined,
  cost: CostModel,
  sampler: string,
  hasInitial = false,
): { grid: Grid; steps: number } {
  if (nfe !== undefined && !(Number.isInteger(nfe) && nfe > 0)) {
    throw new ValidationError(`${sampler}: nfe must be a positive integer, got ${nfe}`, { nfe });
  }
  if (isExplicitGrid(choice)) {
    const grid = checkedGrid(choice, sampler, hasInitial);
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
  if (
    !(typeof choice === 'string' || (typeof choice === 'object' && choice !== null && 'schedule' in choice))
  ) {
    throw new ValidationError(
      `${sampler}: grid must be a schedule name, { schedule, options }, an array of levels or a Grid, got ${JSON.stringify(choice)}`,
    );
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
