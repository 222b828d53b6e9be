/**
 * Uniform steps in Ornstein–Uhlenbeck time (ALGORITHMS.md §2): the OU process dX = −X dt + √2 dB has a = e^{−2t};
 * the grid is t_k = δ + k (T − δ)/K for k = 0 … K, a_k = e^{−2 t_k}. These are the RTK paper's equal segments: every
 * step has the same α = e^{−2η} with η = (T − δ)/K.
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { checkKeys, checkNumber, checkSteps, type Grid, type GridOptions, gridFromLevels } from './grid.js';

/** Options of {@link ouUniform}. */
export interface OuUniformOptions extends GridOptions {
  /** Number of steps (RTK segments) K ≥ 1. */
  readonly steps: number;
  /** Early-stopping OU time δ ≥ 0 (the cleanest level is a_0 = e^{−2δ}); default 0 (a_0 = 1). */
  readonly delta?: number;
  /** OU horizon T > δ (the noisiest level is a_K = e^{−2T}); default 5 (a_K = e^{−10} ≈ 4.5e−5). */
  readonly horizon?: number;
}

/**
 * Defaults of {@link ouUniform}: T = 5 puts a_K = e^{−10} ≈ 4.5e−5 well below the 1e−3 limit (T ≥ ½ ln 1000 ≈ 3.45
 * is needed); δ = 0 ends at the clean level like every other schedule here (pass δ > 0, e.g. 1e−3, for models that
 * are singular at a = 1, such as an empirical data set).
 */
export const OU_UNIFORM_DEFAULTS: Readonly<{ delta: number; horizon: number }> = Object.freeze({
  delta: 0,
  horizon: 5,
});

const KEYS = ['steps', 'delta', 'horizon', 'allowLargeNoisiest'] as const;

/**
 * The uniform OU-time grid on [δ, T].
 *
 * @throws {@link ValidationError} for K < 1, δ < 0, T ≤ δ, non-finite values, or T < ½ ln 1000 (a_K > 1e−3) without
 * `allowLargeNoisiest`.
 * @example
 * ouUniform({ steps: 5, horizon: 5 }).alphas; // five times e^{−2} ≈ 0.1353
 */
export function ouUniform(options: OuUniformOptions): Grid {
  checkKeys(options, KEYS, 'ouUniform');
  const steps = checkSteps(options.steps, 'ouUniform');
  const delta = options.delta ?? OU_UNIFORM_DEFAULTS.delta;
  const horizon = options.horizon ?? OU_UNIFORM_DEFAULTS.horizon;
  checkNumber(delta, 'delta', 'ouUniform', { low: 0, high: Number.MAX_VALUE, closedLow: true });
  checkNumber(horizon, 'horizon', 'ouUniform', { low: 0, high: Number.MAX_VALUE });
  if (!(horizon > delta)) {
    throw new ValidationError(
      `ouUniform: the horizon T must be larger than the early-stopping time δ, got T = ${horizon}, δ = ${delta}`,
      { delta, horizon },
    );
  }
  const segment = (horizon - delta) / steps;
  // levels[j] is OU time T − j·η, so levels[0] = e^{−2T} and levels[K] = e^{−2δ} exactly.
  const levels = Array.from({ length: steps + 1 }, (_, j) =>
    Math.exp(-2 * (j === steps ? delta : horizon - j * segment)),
  );
  return gridFromLevels(levels, 'ouUniform', options);
}
