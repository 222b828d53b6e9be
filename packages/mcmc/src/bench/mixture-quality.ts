/**
 * The paper's 10-D mixture (ALGORITHMS.md §7: 18 equal-weight components N(μ_k, 0.007 I), μ_k on the unit circle
 * every 20° in coordinates 1–2) and two quality numbers of a sample of it against exact samples, for the kernel
 * benchmark. Not exported, not published.
 *
 * What is hard about this target for a local kernel is moving mass between modes (adjacent means are 0.35 apart,
 * 4.1 standard deviations, with a density dip to 12 % between them), and what unadjusted kernels get wrong is the
 * spread inside a mode. A generic two-sample distance sees neither at a useful sample size: with 1000 points the
 * energy distance of chains that occupy only every other mode is 0.0021 against 0.0015 for a second exact sample.
 * So the benchmark measures both directly, each point being assigned to its nearest mean:
 * - mode error: the total variation between the occupancy of the 18 modes by the sample and by exact samples
 *   (0 when the weights are right; 0.5 when every other mode is empty);
 * - spread: mean squared distance to the nearest mean, over the same for exact samples (1 when right; ULA at
 *   τ = 0.4/L gives about 1/(1 − τL/2) = 1.25).
 */
import { type ExactTarget, isotropicMixtureTarget } from '@rtk-diffusion/test-utils';

/** Component variance of the paper's mixture; its smoothness is L = 1/variance. */
export const MIXTURE_VARIANCE = 0.007;
const COMPONENTS = 18;
const DIM = 10;

const ANGLES = Array.from({ length: COMPONENTS }, (_, k) => (2 * Math.PI * k) / COMPONENTS);

/** The paper's mixture; `weights` (default equal) lets the benchmark start from a distorted copy. */
export function paperMixture(weights: readonly number[] = new Array(COMPONENTS).fill(1)): ExactTarget {
  const means = ANGLES.map((angle) =>
    Array.from({ length: DIM }, (_, j) => (j === 0 ? Math.cos(angle) : j === 1 ? Math.sin(angle) : 0)),
  );
  return isotropicMixtureTarget({ weights, means, variance: MIXTURE_VARIANCE });
}

/** Mode occupancy (fractions) and mean squared distance to the nearest mean of a row-major [n, 10] sample. */
export interface ModeStatistics {
  readonly occupancy: Float64Array;
  readonly spread: number;
}

/** {@link ModeStatistics} of a sample; a non-finite row makes the spread ∞. */
export function modeStatistics(values: ArrayLike<number>): ModeStatistics {
  const n = values.length / DIM;
  const occupancy = new Float64Array(COMPONENTS);
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = [values[i * DIM]!, values[i * DIM + 1]!];
    // The nearest mean in coordinates 1–2 is the nearest in all ten (the means are 0 elsewhere).
    const k = (Math.round(Math.atan2(y, x) / (ANGLES[1]! - ANGLES[0]!)) + COMPONENTS) % COMPONENTS;
    occupancy[Number.isFinite(k) ? k : 0]! += 1 / n;
    let squared = (x - Math.cos(ANGLES[k] ?? 0)) ** 2 + (y - Math.sin(ANGLES[k] ?? 0)) ** 2;
    for (let j = 2; j < DIM; j++) squared += values[i * DIM + j]! ** 2;
    spread += Number.isFinite(squared) ? squared / n : Number.POSITIVE_INFINITY;
  }
  return { occupancy, spread };
}

/** Mode error and spread ratio of a sample against exact samples' statistics (see the module comment). */
export function mixtureQuality(
  values: ArrayLike<number>,
  exact: ModeStatistics,
): { modeError: number; spread: number } {
  const sample = modeStatistics(values);
  const modeError = sample.occupancy.reduce((sum, p, k) => sum + Math.abs(p - exact.occupancy[k]!), 0) / 2;
  return { modeError, spread: sample.spread / exact.spread };
}

/**
 * The tuning criterion: mode error plus the relative error of the spread, both fractions of order one, so that a
 * step size that hops modes faster but inflates the spread pays for it.
 */
export function qualityScore(quality: { modeError: number; spread: number }): number {
  const score = quality.modeError + Math.abs(quality.spread - 1);
  return Number.isNaN(score) ? Number.POSITIVE_INFINITY : score;
}
