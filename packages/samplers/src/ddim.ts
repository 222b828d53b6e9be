/**
 * DDIM (Song, Meng & Ermon 2021); ALGORITHMS.md §5.
 *
 *   x̂0 = (x + (1 − a) s) / √a,   ε̂ = −√(1 − a) s,
 *   x' = √a' x̂0 + √(1 − a' − σ²) ε̂ + σ z,   σ = η √((1 − a')/(1 − a)) √(1 − a/a')   (σ = 0 for η = 0, the default).
 *
 * One score evaluation per step.
 */
import { type Tensor2D, tf, ValidationError } from '@rtk-diffusion/tensor';
import { fixedCost } from './grid.js';
import { defineSampler } from './sampler.js';

/** Options of {@link ddim}. */
export interface DdimOptions {
  /** Stochasticity η ∈ [0, 1]: 0 is the deterministic DDIM (default), 1 matches DDPM's posterior variance. */
  readonly eta: number;
}

/** DDIM (registry name `ddim`). Default grid: linear, sub-sampled (trailing). */
export const ddim = defineSampler<DdimOptions>({
  name: 'ddim',
  title: 'DDIM (η = 0 deterministic; η > 0 adds noise)',
  reference: 'Song, Meng, Ermon 2021 (eq. 12); ALGORITHMS.md §5',
  cost: () => fixedCost('ddim', 1),
  defaultGrid: () => ({ schedule: 'linear', options: { spacing: 'trailing' } }),
  createStepper: (options) => {
    const eta = options.eta ?? 0;
    if (!(eta >= 0 && eta <= 1))
      throw new ValidationError(`ddim: eta must be in [0, 1], got ${eta}`, { eta });
    return {
      step: (x, { a, aNext, score, rng }) =>
        tf.tidy((): Tensor2D => {
          // (1) score; (2) x̂0 and ε̂ from it
          const s = score(x, a);
          const x0 = tf.div(tf.add(x, tf.mul(s, 1 - a)), Math.sqrt(a));
          const epsilon = tf.mul(s, -Math.sqrt(1 - a));
          // (3) σ from η; (4) x' = √a' x̂0 + √(1 − a' − σ²) ε̂ + σ z
          const sigma = eta * Math.sqrt((1 - aNext) / (1 - a)) * Math.sqrt(1 - a / aNext);
          const direction = Math.sqrt(Math.max(0, 1 - aNext - sigma * sigma));
          const next = tf.add(tf.mul(x0, Math.sqrt(aNext)), tf.mul(epsilon, direction)) as Tensor2D;
          // + σ z in one pass, bit for bit tf.add(next, tf.mul(normal(), σ)) (Rng.noisyUpdate)
          return sigma > 0 ? rng.noisyUpdate(next, { noiseScale: sigma }) : next;
        }),
    };
  },
});
