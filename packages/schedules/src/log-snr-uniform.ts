/**
 * Uniform steps in log-SNR λ = log(a/(1 − a)) (DPM-Solver's choice; Lu et al. 2022; ALGORITHMS.md §2):
 * λ_k uniform between λ(a_min) and λ(a_max), a_k = 1/(1 + e^{−λ_k}).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { aToLogSnr, logSnrToA } from './conversions.js';
import { checkKeys, checkNumber, checkSteps, type Grid, type GridOptions, gridFromLevels } from './grid.js';

/** Options of {@link logSnrUniform}. */
export interface LogSnrUniformOptions extends GridOptions {
  /** Number of steps K ≥ 1. */
  readonly steps: number;
  /** Noisiest level a_K ∈ (0, 1); default 1e−4 (λ ≈ −9.21). */
  readonly aMin?: number;
  /** Cleanest level a_0 ∈ (a_min, 1); default 0.9999 (λ ≈ +9.21). It cannot be 1: λ(1) = +∞. */
  readonly aMax?: number;
}

/**
 * Defaults of {@link logSnrUniform}: a symmetric log-SNR range ±ln 9999 ≈ ±9.21, close to DPM-Solver's range for
 * the VP linear schedule (λ from about −10 at t = 1 to about +9.1 at t = 1e−3).
 */
export const LOG_SNR_UNIFORM_DEFAULTS: Readonly<{ aMin: number; aMax: number }> = Object.freeze({
  aMin: 1e-4,
  aMax: 0.9999,
});

const KEYS = ['steps', 'aMin', 'aMax', 'allowLargeNoisiest'] as const;

/**
 * The uniform log-SNR grid from a_min to a_max (both ends exact).
 *
 * @throws {@link ValidationError} for K < 1, levels outside 0 < a_min < a_max < 1, or a_min > 1e−3 without
 * `allowLargeNoisiest`.
 * @example
 * logSnrUniform({ steps: 2 }).levels; // [1e-4, 0.5, 0.9999]
 */
export function logSnrUniform(options: LogSnrUniformOptions): Grid {
  checkKeys(options, KEYS, 'logSnrUniform');
  const steps = checkSteps(options.steps, 'logSnrUniform');
  const aMin = options.aMin ?? LOG_SNR_UNIFORM_DEFAULTS.aMin;
  const aMax = options.aMax ?? LOG_SNR_UNIFORM_DEFAULTS.aMax;
  checkNumber(aMin, 'aMin', 'logSnrUniform', { low: 0, high: 1 });
  checkNumber(aMax, 'aMax', 'logSnrUniform', { low: 0, high: 1 });
  if (!(aMin < aMax)) {
    throw new ValidationError(`logSnrUniform: need aMin < aMax, got aMin = ${aMin}, aMax = ${aMax}`, {
      aMin,
      aMax,
    });
  }
  const [low, high] = [aToLogSnr(aMin), aToLogSnr(aMax)];
  const levels = Array.from({ length: steps + 1 }, (_, k) => {
    if (k === 0) return aMin;
    if (k === steps) return aMax;
    return logSnrToA(low + ((high - low) * k) / steps);
  });
  return gridFromLevels(levels, 'logSnrUniform', options);
}
