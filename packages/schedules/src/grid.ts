/**
 * The `Grid` type every schedule returns, and the one place where grids are validated (ALGORITHMS.md §2): levels
 * strictly increasing in (0, 1] in sampling order, α_k = a_k / a_{k+1} ∈ (0, 1), and a noisiest level small enough
 * that starting the sampler from N(0, I) is right.
 */
import { ValidationError } from '@rtk-diffusion/tensor';

/** A grid of signal levels in sampling order (noisiest first), with the α of every step. */
export interface Grid {
  /**
   * Signal levels in sampling order, strictly increasing: levels[0] = a_K (noisiest) … levels[K] = a_0 (cleanest).
   * Length K+1.
   */
  readonly levels: readonly number[];
  /** alphas[k] = levels[k] / levels[k+1] ∈ (0,1): the α of the step from levels[k] to levels[k+1]. Length K. */
  readonly alphas: readonly number[];
  /** Name of the schedule that made it ('linear', 'custom', ...). */
  readonly name: string;
}

/** Options every schedule accepts. */
export interface GridOptions {
  /**
   * Accept a noisiest level a_K above {@link MAX_NOISIEST_LEVEL}. Without it such a grid is a `ValidationError`,
   * because a sampler that starts from N(0, I) at a_K is then wrong (ALGORITHMS.md §2). Default false.
   */
  readonly allowLargeNoisiest?: boolean;
}

/**
 * Largest noisiest level a_K accepted without `allowLargeNoisiest` (ALGORITHMS.md §2: "a_K must be small (≤ 1e−3)").
 * At a_K = 1e−3 the noised data still carries a fraction sqrt(1e−3) ≈ 3 % of the signal.
 */
export const MAX_NOISIEST_LEVEL = 1e-3;

/**
 * Smallest level accepted: the smallest normal float32 (2^−126 ≈ 1.18e−38). Samplers compute in float32, where a
 * smaller level is a denormal or 0 and √a, log-SNR and σ lose all precision.
 */
export const MIN_LEVEL = 2 ** -126;

/** Relative slack on {@link MAX_NOISIEST_LEVEL}, so 1 − 0.999 (= 1.0000000000000009e−3 in float64) counts as 1e−3. */
const NOISIEST_SLACK = 1e-9;

/**
 * A grid from levels given in sampling order (strictly increasing, in (0, 1]): the schedule for your own levels.
 *
 * @param levels - a_K < … < a_0, at least two levels (one step).
 * @param options - `allowLargeNoisiest` to accept a_K > 1e−3.
 * @throws {@link ValidationError} when the levels are not finite, not in (0, 1], not strictly increasing (a grid in
 * the decreasing order is refused: pass it reversed), fewer than two, when a_K is below {@link MIN_LEVEL}, or when
 * a_K > 1e−3 without the override.
 * @example
 * customGrid([1e-4, 0.01, 0.3, 0.9, 1]).alphas; // [0.01, 0.0333…, 0.333…, 0.9]
 */
export function customGrid(levels: readonly number[], options: GridOptions = {}): Grid {
  checkKeys(options, ['allowLargeNoisiest'], 'customGrid');
  return gridFromLevels(levels, 'custom', options);
}

/**
 * Checks a {@link Grid} from any source (a schedule, a hand-written object, JSON): its levels as {@link customGrid}
 * does, and its alphas against the levels (α_k = a_k / a_{k+1} to 1e−12 relative). Samplers call it on a
 * user-given grid. Returns the grid unchanged.
 *
 * @throws {@link ValidationError} naming the first problem.
 */
export function assertGrid(grid: Grid, options: GridOptions = {}): Grid {
  if (
    typeof grid !== 'object' ||
    grid === null ||
    !Array.isArray(grid.levels) ||
    !Array.isArray(grid.alphas)
  ) {
    throw new ValidationError(
      'assertGrid: a grid is an object { levels, alphas, name } with two arrays of numbers',
    );
  }
  const checked = gridFromLevels(grid.levels, typeof grid.name === 'string' ? grid.name : 'custom', options);
  if (grid.alphas.length !== checked.alphas.length) {
    throw new ValidationError(
      `assertGrid: a grid of ${grid.levels.length} levels needs ${checked.alphas.length} alphas, got ${grid.alphas.length}`,
    );
  }
  checked.alphas.forEach((alpha, k) => {
    const given = grid.alphas[k];
    if (typeof given !== 'number' || !(Math.abs(given - alpha) <= 1e-12 * alpha)) {
      throw new ValidationError(
        `assertGrid: alphas[${k}] = ${String(given)} but levels[${k}] / levels[${k + 1}] = ${alpha}; alphas must be the ratios of consecutive levels`,
        { index: k, value: given, expected: alpha },
      );
    }
  });
  return grid;
}

/**
 * Validates levels (sampling order) and builds the frozen {@link Grid}. Every schedule ends here.
 *
 * @internal Shared by the schedules of this package; use {@link customGrid} from outside.
 */
export function gridFromLevels(levels: readonly number[], name: string, options: GridOptions = {}): Grid {
  const where = name === 'custom' ? 'customGrid' : `${name} schedule`;
  if (!Array.isArray(levels)) {
    throw new ValidationError(`${where}: levels must be an array of numbers, got ${typeof levels}`);
  }
  if (levels.length < 2) {
    throw new ValidationError(
      `${where}: a grid needs at least two levels (one step), got ${levels.length}; pass a_K < … < a_0`,
      { length: levels.length },
    );
  }
  levels.forEach((a, k) => {
    if (typeof a !== 'number' || !Number.isFinite(a) || !(a > 0 && a <= 1)) {
      throw new ValidationError(
        `${where}: every level must be a signal level in (0, 1], got levels[${k}] = ${String(a)}`,
        { index: k, value: a },
      );
    }
  });
  for (let k = 0; k + 1 < levels.length; k++) {
    const [current, next] = [levels[k]!, levels[k + 1]!];
    if (!(current < next)) {
      const hint =
        levels[0]! > levels[levels.length - 1]!
          ? ' (the grid looks decreasing: give it in sampling order, noisiest first, e.g. levels.toReversed())'
          : '';
      throw new ValidationError(
        `${where}: levels must be strictly increasing in sampling order (a_K < … < a_0), but levels[${k}] = ${current} ≥ levels[${k + 1}] = ${next}${hint}`,
        { index: k, value: current, next },
      );
    }
  }
  const noisiest = levels[0]!;
  if (noisiest < MIN_LEVEL) {
    throw new ValidationError(
      `${where}: the noisiest level a_K = ${noisiest} is below ${MIN_LEVEL.toExponential(3)}, the smallest normal float32, so samplers could not represent it; use a less extreme schedule (fewer steps or a shorter horizon)`,
      { noisiest, min: MIN_LEVEL },
    );
  }
  if (noisiest > MAX_NOISIEST_LEVEL * (1 + NOISIEST_SLACK) && options.allowLargeNoisiest !== true) {
    throw new ValidationError(
      `${where}: the noisiest level a_K = ${noisiest} is above ${MAX_NOISIEST_LEVEL}, so starting from N(0, I) would be wrong; use more steps or a longer horizon, or pass allowLargeNoisiest: true if you start from the noised data yourself`,
      { noisiest, max: MAX_NOISIEST_LEVEL },
    );
  }
  const alphas = levels.slice(0, -1).map((a, k) => a / levels[k + 1]!);
  return Object.freeze({
    levels: Object.freeze([...levels]),
    alphas: Object.freeze(alphas),
    name,
  });
}

/**
 * Throws a {@link ValidationError} if `options` has a key outside `allowed` (a typo like `horizn` would otherwise be
 * ignored silently) or is not an object.
 *
 * @internal
 */
export function checkKeys(options: object, allowed: readonly string[], where: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError(`${where}: options must be an object, got ${JSON.stringify(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new ValidationError(
        `${where}: unknown option '${key}'; the options are ${allowed.map((k) => `'${k}'`).join(', ')}`,
        { option: key, allowed },
      );
    }
  }
}

/**
 * Checks that the step count K is an integer ≥ 1 (and ≤ `max` when given) and returns it.
 *
 * @internal
 */
export function checkSteps(steps: unknown, where: string, max?: number): number {
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1) {
    throw new ValidationError(`${where}: steps must be an integer K ≥ 1, got ${String(steps)}`, { steps });
  }
  if (max !== undefined && steps > max) {
    throw new ValidationError(`${where}: steps must be at most ${max} here, got ${steps}`, { steps, max });
  }
  return steps;
}

/**
 * Checks that `value` is a finite number strictly inside (low, high) (or in [low, high) when `closedLow`) and
 * returns it.
 *
 * @internal
 */
export function checkNumber(
  value: unknown,
  name: string,
  where: string,
  range: { low: number; high: number; closedLow?: boolean; closedHigh?: boolean },
): number {
  const { low, high, closedLow = false, closedHigh = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (closedLow ? value >= low : value > low) &&
    (closedHigh ? value <= high : value < high);
  if (!ok) {
    const interval = `${closedLow ? '[' : '('}${low}, ${high}${closedHigh ? ']' : ')'}`;
    throw new ValidationError(
      `${where}: ${name} must be a finite number in ${interval}, got ${String(value)}`,
      {
        [name]: value,
      },
    );
  }
  return value;
}

/**
 * A copy of `options` without the keys whose value is `undefined`, so spreading it over defaults keeps them.
 *
 * @internal
 */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
