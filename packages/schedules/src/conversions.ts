/**
 * Conversions between the signal level a (ALGORITHMS.md §1) and the other noise coordinates: OU time t (a = e^{−2t}),
 * noise-to-signal ratio σ = sqrt((1 − a)/a) (Karras et al.) and log-SNR λ = log(a / (1 − a)) (DPM-Solver). Each one is
 * computed in the form that keeps full float64 accuracy at both ends (a → 0 and a → 1).
 */
import { ValidationError } from '@rtk-diffusion/tensor';

/** OU time of a signal level: t = −½ ln a, so a = 1 ↦ t = 0 and a → 0 ↦ t → ∞. */
export function aToTime(a: number): number {
  checkLevel(a, 'aToTime');
  return -0.5 * Math.log(a);
}

/** Signal level of an OU time t ≥ 0: a = e^{−2t}. */
export function timeToA(t: number): number {
  checkNonNegative(t, 't', 'timeToA');
  return Math.exp(-2 * t);
}

/** Noise-to-signal ratio σ = sqrt((1 − a)/a) of a signal level (σ = 0 at a = 1). */
export function aToSigma(a: number): number {
  checkLevel(a, 'aToSigma');
  return Math.sqrt((1 - a) / a);
}

/** Signal level of a noise-to-signal ratio σ ≥ 0: a = 1 / (1 + σ²). */
export function sigmaToA(sigma: number): number {
  checkNonNegative(sigma, 'sigma', 'sigmaToA');
  return 1 / (1 + sigma * sigma);
}

/** Log-SNR λ = log(a / (1 − a)) of a signal level, as log a − log1p(−a) (λ = +∞ at a = 1). */
export function aToLogSnr(a: number): number {
  checkLevel(a, 'aToLogSnr');
  return Math.log(a) - Math.log1p(-a);
}

/** Signal level of a log-SNR λ: the logistic function a = 1 / (1 + e^{−λ}) (λ = +∞ gives a = 1). */
export function logSnrToA(logSnr: number): number {
  if (typeof logSnr !== 'number' || Number.isNaN(logSnr) || logSnr === Number.NEGATIVE_INFINITY) {
    throw new ValidationError(`logSnrToA: logSnr must be a number > −∞, got ${String(logSnr)}`, { logSnr });
  }
  return 1 / (1 + Math.exp(-logSnr));
}

function checkLevel(a: unknown, where: string): asserts a is number {
  if (typeof a !== 'number' || !(a > 0 && a <= 1)) {
    throw new ValidationError(`${where}: a must be a signal level in (0, 1], got ${String(a)}`, { a });
  }
}

function checkNonNegative(value: unknown, name: string, where: string): asserts value is number {
  if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throw new ValidationError(`${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`, {
      [name]: value,
    });
  }
}
