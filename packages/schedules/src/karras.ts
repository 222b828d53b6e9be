/**
 * The Karras et al. (2022, EDM, eq. 5) schedule (ALGORITHMS.md §2): in σ = sqrt((1 − a)/a),
 * σ_i = (σ_max^{1/ρ} + i/(K − 1) (σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ for i = 0 … K − 1, then σ_K = 0 (the clean level a = 1).
 */
import { ValidationError } from '@rtk-diffusion/tensor';
import { sigmaToA } from './conversions.js';
import { checkKeys, checkNumber, checkSteps, type Grid, type GridOptions, gridFromLevels } from './grid.js';

/** Options of {@link karras}. */
export interface KarrasOptions extends GridOptions {
  /** Number of steps K ≥ 1: K noise levels from σ_max down to σ_min, then the step to σ = 0. */
  readonly steps: number;
  /** Smallest nonzero σ; default 0.002 (EDM), a ≈ 0.999996. */
  readonly sigmaMin?: number;
  /** Largest σ; default 80 (EDM), a_K = 1/6401 ≈ 1.56e−4. */
  readonly sigmaMax?: number;
  /** ρ; default 7 (EDM). */
  readonly rho?: number;
}

/** EDM's constants (Karras et al. 2022, Table 1). */
export const KARRAS_DEFAULTS: Readonly<{ sigmaMin: number; sigmaMax: number; rho: number }> = Object.freeze({
  sigmaMin: 0.002,
  sigmaMax: 80,
  rho: 7,
});

const KEYS = ['steps', 'sigmaMin', 'sigmaMax', 'rho', 'allowLargeNoisiest'] as const;

/**
 * The Karras grid. With K = 1 it is the single step from σ_max to σ = 0.
 *
 * @throws {@link ValidationError} for K < 1, σ outside 0 < σ_min < σ_max < ∞ (σ_min so small that a(σ_min) rounds
 * to 1 included), ρ ≤ 0, or σ_max < sqrt(999) ≈ 31.6 (a_K > 1e−3) without `allowLargeNoisiest`.
 * @example
 * karras({ steps: 18 }).levels[0]; // 1/6401
 */
export function karras(options: KarrasOptions): Grid {
  checkKeys(options, KEYS, 'karras');
  const steps = checkSteps(options.steps, 'karras');
  const sigmaMin = options.sigmaMin ?? KARRAS_DEFAULTS.sigmaMin;
  const sigmaMax = options.sigmaMax ?? KARRAS_DEFAULTS.sigmaMax;
  const rho = options.rho ?? KARRAS_DEFAULTS.rho;
  checkNumber(sigmaMin, 'sigmaMin', 'karras', { low: 0, high: Number.MAX_VALUE });
  checkNumber(sigmaMax, 'sigmaMax', 'karras', { low: sigmaMin, high: Number.MAX_VALUE });
  checkNumber(rho, 'rho', 'karras', { low: 0, high: Number.MAX_VALUE });
  if (!(sigmaToA(sigmaMin) < 1)) {
    throw new ValidationError(
      `karras: sigmaMin = ${sigmaMin} is so small that its level rounds to a = 1 (the clean level that ends the grid); use sigmaMin ≥ 1e-7`,
      { sigmaMin },
    );
  }
  const [high, low] = [sigmaMax ** (1 / rho), sigmaMin ** (1 / rho)];
  const sigmas = Array.from({ length: steps }, (_, i) => {
    if (i === 0) return sigmaMax;
    if (i === steps - 1) return sigmaMin;
    return (high + (i / (steps - 1)) * (low - high)) ** rho;
  });
  return gridFromLevels([...sigmas.map(sigmaToA), 1], 'karras', options);
}
