/**
 * Shared pieces of the discrete-chain schedules (`linear`, `cosine`): the cumulative product a_t = ∏_{i≤t} (1 − β_i)
 * of a training chain of N steps (ALGORITHMS.md §1), and its sub-sampling to K sampling steps.
 */
import { ValidationError } from '@rtk-diffusion/tensor';

/**
 * How K sampling steps pick their timesteps 1 ≤ t_1 < … < t_K ≤ N of an N-step training chain (the names of the
 * `diffusers` library; Lin et al. 2024, "Common diffusion noise schedules and sample steps are flawed", Table 2):
 * - `leading`: t_k = 1 + (k − 1)·⌊N/K⌋. Never reaches t = N, so for small K the noisiest level is large.
 * - `trailing`: t_k = round(k·N/K). Always ends at t_K = N (the noisiest training level).
 * - `linspace`: t_k = round(1 + (k − 1)(N − 1)/(K − 1)), both ends included (K = 1: t_1 = N).
 * In every case the grid ends at t_0 = 0, the clean level a = 1.
 */
export type Spacing = 'leading' | 'trailing' | 'linspace';

/** The spacings, in a stable order. */
export const SPACINGS: readonly Spacing[] = Object.freeze(['leading', 'trailing', 'linspace']);

/**
 * Cumulative signal levels of a chain with the given betas: out[0] = 1 and out[t] = ∏_{i≤t} (1 − β_i), length N + 1.
 *
 * @internal
 */
export function cumulativeLevels(betas: readonly number[]): number[] {
  const out = [1];
  let a = 1;
  for (const beta of betas) {
    a *= 1 - beta;
    out.push(a);
  }
  return out;
}

/**
 * The K timesteps t_1 < … < t_K (1-based) that `spacing` picks from an N-step chain, 1 ≤ K ≤ N.
 *
 * @internal
 */
export function spacedTimesteps(trainSteps: number, steps: number, spacing: Spacing): number[] {
  const [n, k] = [trainSteps, steps];
  const index = Array.from({ length: k }, (_, i) => i + 1);
  switch (spacing) {
    case 'leading': {
      const ratio = Math.floor(n / k);
      return index.map((i) => 1 + (i - 1) * ratio);
    }
    case 'trailing':
      return index.map((i) => Math.round((i * n) / k));
    case 'linspace':
      return k === 1 ? [n] : index.map((i) => Math.round(1 + ((i - 1) * (n - 1)) / (k - 1)));
    default:
      throw new ValidationError(
        `spacing must be one of ${SPACINGS.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(spacing)}`,
        { spacing },
      );
  }
}

/**
 * Levels in sampling order [a(t_K), …, a(t_1), a(0) = 1] of a chain sub-sampled with `spacing`.
 *
 * @internal
 */
export function subsampledLevels(cumulative: readonly number[], steps: number, spacing: Spacing): number[] {
  const timesteps = spacedTimesteps(cumulative.length - 1, steps, spacing);
  return [...timesteps.reverse().map((t) => cumulative[t]!), cumulative[0]!];
}
