/**
 * Dual averaging of the log step size toward a target acceptance (Nesterov 2009, in the form of Hoffman & Gelman,
 * "The No-U-Turn Sampler", JMLR 2014, §3.2.1 and Algorithm 5). At iteration m = 1, 2, … with acceptance α_m:
 *   H̄_m = (1 − 1/(m + t0)) H̄_{m−1} + (δ − α_m)/(m + t0)
 *   log ε_m = μ − (√m / γ) H̄_m,     μ = log(10 ε_0)
 *   log ε̄_m = m^{−κ} log ε_m + (1 − m^{−κ}) log ε̄_{m−1}
 * ε_m is used during the warm-up, ε̄ after it. Plain numbers, one lane per chain (or one shared lane).
 */
import { ValidationError } from '@rtk-diffusion/tensor';

/** Constants of dual averaging. Defaults are Hoffman & Gelman's: γ = 0.05, t0 = 10, κ = 0.75. */
export interface DualAveragingSettings {
  /** δ, the acceptance to reach (0.574 for MALA: Roberts & Rosenthal 1998). */
  readonly targetAcceptance: number;
  /** γ > 0: how far log ε may move from μ. */
  readonly shrinkage: number;
  /** t0 ≥ 0: damps the first iterations. */
  readonly offset: number;
  /** κ ∈ (0.5, 1]: decay of the averaging weights. */
  readonly decay: number;
}

/** The defaults (Hoffman & Gelman 2014), with δ = 0.574, MALA's optimal acceptance. */
export const DUAL_AVERAGING_DEFAULTS: DualAveragingSettings = Object.freeze({
  targetAcceptance: 0.574,
  shrinkage: 0.05,
  offset: 10,
  decay: 0.75,
});

/** State of dual averaging, one lane per chain (per-chain adaptation) or a single lane (shared). */
export interface DualAveragingState {
  /** Iterations done, m. */
  readonly iteration: number;
  /** μ = log(10 ε_0) per lane. */
  readonly bias: Float64Array;
  /** H̄ per lane. */
  readonly averageError: Float64Array;
  /** log ε_m per lane: the step size to use next during warm-up. */
  readonly logStepSize: Float64Array;
  /** log ε̄_m per lane: the step size to use after warm-up. */
  readonly averageLogStepSize: Float64Array;
}

/** The state before the first iteration: ε = ε̄ = `initialStepSize` on `lanes` lanes. */
export function dualAveragingInit(initialStepSize: number, lanes: number): DualAveragingState {
  if (!(Number.isFinite(initialStepSize) && initialStepSize > 0)) {
    throw new ValidationError(
      `dual averaging: initialStepSize must be a positive finite number, got ${initialStepSize}`,
    );
  }
  const log = Math.log(initialStepSize);
  return {
    iteration: 0,
    bias: new Float64Array(lanes).fill(Math.log(10) + log),
    averageError: new Float64Array(lanes),
    logStepSize: new Float64Array(lanes).fill(log),
    averageLogStepSize: new Float64Array(lanes).fill(log),
  };
}

/** One iteration with the acceptance observed per lane (a NaN acceptance counts as 0). */
export function dualAveragingUpdate(
  state: DualAveragingState,
  acceptance: ArrayLike<number>,
  settings: DualAveragingSettings,
): DualAveragingState {
  const m = state.iteration + 1;
  const lanes = state.bias.length;
  if (acceptance.length !== lanes) {
    throw new ValidationError(`dual averaging: ${acceptance.length} acceptances for ${lanes} lanes`);
  }
  const { targetAcceptance, shrinkage, offset, decay } = settings;
  const weight = 1 / (m + offset);
  const averaging = m ** -decay;
  const averageError = new Float64Array(lanes);
  const logStepSize = new Float64Array(lanes);
  const averageLogStepSize = new Float64Array(lanes);
  for (let i = 0; i < lanes; i++) {
    const alpha = Number.isNaN(acceptance[i]!) ? 0 : Math.min(1, Math.max(0, acceptance[i]!));
    averageError[i] = (1 - weight) * state.averageError[i]! + weight * (targetAcceptance - alpha);
    logStepSize[i] = state.bias[i]! - (Math.sqrt(m) / shrinkage) * averageError[i]!;
    averageLogStepSize[i] = averaging * logStepSize[i]! + (1 - averaging) * state.averageLogStepSize[i]!;
  }
  return { iteration: m, bias: state.bias, averageError, logStepSize, averageLogStepSize };
}

/** Checks settings: δ ∈ (0, 1), γ > 0, t0 ≥ 0, κ ∈ (0.5, 1]. */
export function checkDualAveragingSettings(settings: DualAveragingSettings): DualAveragingSettings {
  const { targetAcceptance, shrinkage, offset, decay } = settings;
  const problems = [
    targetAcceptance > 0 && targetAcceptance < 1
      ? ''
      : `targetAcceptance must be in (0, 1), got ${targetAcceptance}`,
    shrinkage > 0 && Number.isFinite(shrinkage) ? '' : `shrinkage must be positive, got ${shrinkage}`,
    offset >= 0 && Number.isFinite(offset) ? '' : `offset must be ≥ 0, got ${offset}`,
    decay > 0.5 && decay <= 1 ? '' : `decay must be in (0.5, 1], got ${decay}`,
  ].filter((problem) => problem !== '');
  if (problems.length > 0)
    throw new ValidationError(`dual averaging: ${problems.join('; ')}`, { ...settings });
  return settings;
}
