/**
 * The level embedding of the score networks: sinusoidal features of the log-SNR λ = log(a / (1 − a)).
 *
 * Why log-SNR and not a: the levels a sampler visits span many orders of magnitude at both ends (DDPM's linear grid
 * goes from a ≈ 4e−5 to a = 0.9999). In a, every level with 1 − a between 1e−4 and 1e−2 sits within 0.01 of a = 1, so
 * features of a barely tell them apart; in OU time t = −½ ln a the same happens (t ≈ (1 − a)/2 → 0). λ spreads both
 * ends evenly (λ ≈ log a as a → 0, λ ≈ −log(1 − a) as a → 1), is the coordinate of DPM-Solver and of the
 * `logSnrUniform` schedule, and is the coordinate in which training draws its levels (see `train.ts`).
 *
 * λ is clamped to the trained range [λ_min, λ_max] and mapped to u ∈ [−1, 1]; the embedding is
 *   [sin(ω_1 u), …, sin(ω_K u), cos(ω_1 u), …, cos(ω_K u)],  ω_k = (π/2) · 64^{(k − 1)/(K − 1)},
 * so the slowest pair is monotone over the whole range (u ↦ sin(π u / 2)) and the fastest resolves ≈ 1/64 of it.
 */
import { tf, ValidationError } from '@rtk-diffusion/tensor';

/** Ratio of the fastest to the slowest embedding frequency (2⁶: six octaves). */
export const EMBEDDING_FREQUENCY_RATIO = 64;

/** The trained level range, as signal levels. */
export interface LevelRange {
  /** Noisiest trained level, in (0, 1). */
  readonly aMin: number;
  /** Cleanest trained level, in (aMin, 1). */
  readonly aMax: number;
}

/**
 * Default trained levels: a ∈ [1e−5, 0.9999], i.e. λ ∈ [−11.5, 9.2]. This covers DDPM's linear grid (a_N ≈ 4e−5,
 * first step below 1 at 0.9999) and every schedule that stops at a_K ≤ 1e−3 (ALGORITHMS.md §2).
 */
export const DEFAULT_LEVEL_RANGE: LevelRange = Object.freeze({ aMin: 1e-5, aMax: 0.9999 });

/** log(a / (1 − a)) in the form accurate at both ends. */
export function logSnr(a: number): number {
  return Math.log(a) - Math.log1p(-a);
}

/** Checks a level range: 0 < aMin < aMax < 1. */
export function checkLevelRange(range: LevelRange, where: string): LevelRange {
  const { aMin, aMax } = range;
  if (!(aMin > 0 && aMin < aMax && aMax < 1)) {
    throw new ValidationError(
      `${where}: the level range needs 0 < aMin < aMax < 1, got aMin = ${aMin}, aMax = ${aMax}`,
      {
        aMin,
        aMax,
      },
    );
  }
  return range;
}

/** Checks an embedding size: an even integer ≥ 4. */
export function checkEmbeddingSize(size: number, where: string): number {
  if (!Number.isInteger(size) || size < 4 || size % 2 !== 0) {
    throw new ValidationError(`${where}: the embedding size must be an even integer ≥ 4, got ${size}`, {
      size,
    });
  }
  return size;
}

/**
 * The embedding [n, size] of one signal level per row (levels given as a host array of n numbers in (0, 1]).
 * Levels outside the trained range are clamped to it (a = 1 becomes aMax).
 */
export function levelEmbedding(levels: ArrayLike<number>, size: number, range: LevelRange): tf.Tensor2D {
  checkEmbeddingSize(size, 'levelEmbedding');
  const half = size / 2;
  const low = logSnr(range.aMin);
  const high = logSnr(range.aMax);
  const n = levels.length;
  const out = new Float32Array(n * size);
  const frequencies = Array.from(
    { length: half },
    (_, k) => (Math.PI / 2) * EMBEDDING_FREQUENCY_RATIO ** (half === 1 ? 0 : k / (half - 1)),
  );
  for (let i = 0; i < n; i++) {
    const a = levels[i]!;
    if (!(a > 0 && a <= 1)) {
      throw new ValidationError(`levelEmbedding: level ${i} must be in (0, 1], got ${a}`, { index: i, a });
    }
    const lambda = a === 1 ? high : Math.min(high, Math.max(low, logSnr(a)));
    const u = (2 * (lambda - low)) / (high - low) - 1;
    for (let k = 0; k < half; k++) {
      out[i * size + k] = Math.sin(frequencies[k]! * u);
      out[i * size + half + k] = Math.cos(frequencies[k]! * u);
    }
  }
  return tf.tensor2d(out, [n, size], 'float32');
}
