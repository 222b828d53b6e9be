/**
 * The exact score of a Gaussian mixture at every signal level (ALGORITHMS.md §3):
 *   p_a = Σ_i w_i N(sqrt(a) μ_i, a Σ_i + (1 − a) I),   s(x, a) = Σ_i r_i(x) C_i⁻¹ (m_i − x),
 * with responsibilities r_i(x) by a log-sum-exp (softmax of the logits).
 */
import { assertBatch, type Rng, tf } from '@rtk-diffusion/tensor';
import { checkCount, checkLevel } from './check.js';
import {
  byRowBlocks,
  type CacheOptions,
  type Components,
  componentsFromSpec,
  curvatureBoundOf,
  rowsPerBlock,
} from './components.js';
import { fusedLogDensity, fusedScore } from './mixture-kernel.js';
import { mixtureTerms } from './mixture-terms.js';
import { sampleComponents } from './sample.js';
import { type MixtureSpec, parseMixtureSpec } from './spec.js';
import type { ExactScoreModel } from './types.js';

/** An exact mixture model: an {@link ExactScoreModel} that also gives its spec and the responsibilities. */
export interface MixtureModel extends ExactScoreModel {
  /** The validated spec it was built from. */
  readonly spec: MixtureSpec;
  /** Number of components K. */
  readonly components: number;
  /** r_i(x) at level a: the posterior probability of each component, [n, K] in the spec's component order. */
  responsibilities(x: tf.Tensor2D, a: number): tf.Tensor2D;
}

/**
 * The exact model of the Gaussian mixture `spec` (validated with {@link parseMixtureSpec}; weights are renormalised
 * to sum to one exactly). Each component's covariance may be isotropic, diagonal or full; full ones are factorised
 * once per level (float64 Cholesky, cached for `cacheLevels` levels).
 *
 * @throws {@link ValidationError} for an invalid spec (the message names each bad field).
 * @example
 * const model = mixtureModel({ weights: [0.5, 0.5], means: [[-2], [2]], covariances: [0.1, 0.1] });
 * const s = model.score(x, 0.5); // [n, 1]
 */
export function mixtureModel(spec: MixtureSpec, options: CacheOptions = {}): MixtureModel {
  const parsed = parseMixtureSpec(spec);
  return { ...modelOf(componentsFromSpec(parsed, options)), spec: parsed };
}

/** @internal The mixture model of prepared components (shared with the empirical model), without its spec. */
export function modelOf(components: Components): Omit<MixtureModel, 'spec'> {
  const d = components.dim;
  const rows = rowsPerBlock(components);
  const order = components.groupPosition;
  const identityOrder = order.every((position, i) => position === i);
  const check = (x: tf.Tensor2D, a: number, where: string) => {
    assertBatch(x, d, 'x');
    checkLevel(a, where);
  };
  return {
    dim: d,
    components: components.count,
    predictionType: 'score',
    score(x, a) {
      check(x, a, 'score');
      const fused = fusedScore(components, x, a);
      if (fused !== null) return fused;
      return byRowBlocks(x, rows, (block) =>
        tf.tidy(() => {
          const terms = mixtureTerms(components, block, a);
          return terms.combine(tf.softmax(terms.logits));
        }),
      );
    },
    logDensity(x, a) {
      check(x, a, 'logDensity');
      const fused = fusedLogDensity(components, x, a);
      if (fused !== null) return fused;
      return byRowBlocks(x, rows, (block) =>
        tf.tidy(() => tf.logSumExp(mixtureTerms(components, block, a).logits, 1) as tf.Tensor1D),
      );
    },
    responsibilities(x, a) {
      check(x, a, 'responsibilities');
      return byRowBlocks(x, rows, (block) =>
        tf.tidy(() => {
          const r = tf.softmax(mixtureTerms(components, block, a).logits);
          return identityOrder ? r : (tf.gather(r, tf.tensor1d([...order], 'int32'), 1) as tf.Tensor2D);
        }),
      );
    },
    curvatureBound(a) {
      return curvatureBoundOf(components, checkLevel(a, 'curvatureBound'));
    },
    sample(n: number, rng: Rng) {
      return sampleComponents(components, checkCount(n, 'sample'), rng);
    },
  };
}
