/**
 * The score-model interfaces every sampler sees (ALGORITHMS.md §1, §3), in the signal-level convention a ∈ (0, 1].
 */
import type { Rng, Tensor1D, Tensor2D } from '@rtk-diffusion/tensor';

/**
 * What a network predicts (ALGORITHMS.md §1): the score itself, the noise ε, the clean data x0, or the velocity
 * v = sqrt(a) ε − sqrt(1 − a) x0.
 */
export type PredictionType = 'score' | 'epsilon' | 'x0' | 'v';

/** A score model: the score of the noised data law p_a at every signal level a. */
export interface ScoreModel {
  readonly dim: number;
  /** s(x, a) = ∇ log p_a(x) for a batch x [n, dim] at one signal level a ∈ (0, 1]. Returns a new tensor; never disposes x. */
  score(x: Tensor2D, a: number): Tensor2D;
  /** Normalised log p_a(x), [n]. Optional. */
  logDensity?(x: Tensor2D, a: number): Tensor1D;
  /**
   * Upper bound on the largest eigenvalue of −∇² log p_a (ALGORITHMS.md §5: for a mixture, max over components of
   * 1/λ_min(aΣ_i + (1−a)I)). Optional.
   */
  curvatureBound?(a: number): number;
  /** What the underlying network predicts (informational: `score` always returns the score). */
  readonly predictionType?: PredictionType;
}

/** A score model whose noised density is known in closed form at every level, with exact samples of p_0. */
export interface ExactScoreModel extends ScoreModel {
  logDensity(x: Tensor2D, a: number): Tensor1D;
  curvatureBound(a: number): number;
  /** n exact samples from p_0 (ground truth); row-keyed through the rng (use rng.normal/uniform with full-shape draws). */
  sample(n: number, rng: Rng): Tensor2D;
}
