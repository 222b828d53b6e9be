/**
 * The DDPM linear-β schedule (Ho, Jain, Abbeel 2020; ALGORITHMS.md §2): β_i rises linearly from 1e−4 to 0.02 over
 * N = 1000 training steps, a_t = ∏_{i≤t} (1 − β_i), sub-sampled to K sampling steps.
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { cumulativeLevels, type Spacing, subsampledLevels } from './discrete.js';
import {
  checkKeys,
  checkNumber,
  checkSteps,
  definedOnly,
  type Grid,
  type GridOptions,
  gridFromLevels,
  MIN_LEVEL,
} from './grid.js';

/** Options of {@link linear}. */
export interface LinearOptions extends GridOptions {
  /** Number of sampling steps K ≥ 1 (at most `trainSteps`). */
  readonly steps: number;
  /** How the K steps pick training timesteps; default `'trailing'` (the only one that reaches t = N for every K). */
  readonly spacing?: Spacing;
  /** Length N of the training chain; default 1000 (DDPM). */
  readonly trainSteps?: number;
  /** β_1; default 1e−4 (DDPM). */
  readonly betaStart?: number;
  /** β_N; default 0.02 (DDPM). */
  readonly betaEnd?: number;
}

/** DDPM's defaults: N = 1000, β from 1e−4 to 0.02 (Ho et al. 2020, §4). */
export const LINEAR_DEFAULTS: Readonly<Required<Omit<LinearOptions, 'steps' | 'allowLargeNoisiest'>>> =
  Object.freeze({ spacing: 'trailing', trainSteps: 1000, betaStart: 1e-4, betaEnd: 0.02 });

const KEYS = ['steps', 'spacing', 'trainSteps', 'betaStart', 'betaEnd', 'allowLargeNoisiest'] as const;

/**
 * The DDPM linear-β grid: a_N ≈ 4.0e−5 with the defaults, ending at the clean level a = 1.
 *
 * @throws {@link ValidationError} for K outside 1…N, betas outside 0 < β_1 ≤ β_N < 1, or a noisiest level above
 * 1e−3 (e.g. `leading` spacing with K < 9) without `allowLargeNoisiest`.
 * @example
 * linear({ steps: 50 }).levels[0]; // ≈ 4.04e-5 = a_1000
 */
export function linear(options: LinearOptions): Grid {
  checkKeys(options, KEYS, 'linear');
  const { spacing, trainSteps, betaStart, betaEnd } = { ...LINEAR_DEFAULTS, ...definedOnly(options) };
  checkSteps(trainSteps, 'linear (trainSteps)', 1_000_000);
  const steps = checkSteps(options.steps, 'linear', trainSteps);
  checkNumber(betaStart, 'betaStart', 'linear', { low: 0, high: 1 });
  checkNumber(betaEnd, 'betaEnd', 'linear', { low: betaStart, high: 1, closedLow: true });
  const betas = Array.from({ length: trainSteps }, (_, i) =>
    trainSteps === 1 ? betaStart : betaStart + ((betaEnd - betaStart) * i) / (trainSteps - 1),
  );
  const levels = cumulativeLevels(betas);
  const noisiest = levels[levels.length - 1]!;
  if (noisiest < MIN_LEVEL) {
    throw new ValidationError(
      `linear: with trainSteps = ${trainSteps} the product of (1 − β) underflows (a_N = ${noisiest}); betas ${betaStart}…${betaEnd} suit about 1000 steps: lower trainSteps, or scale the betas with it (betaStart = ${(0.1 / trainSteps).toExponential(2)}, betaEnd = ${(20 / trainSteps).toExponential(2)} keep DDPM's continuous schedule)`,
      { trainSteps, noisiest, min: MIN_LEVEL },
    );
  }
  return gridFromLevels(subsampledLevels(levels, steps, spacing), 'linear', options);
}
