/**
 * The exact score of a Gaussian N(μ, Σ) at every signal level (ALGORITHMS.md §3 with one component):
 * p_a = N(m, C), m = sqrt(a) μ, C = a Σ + (1 − a) I, s(x, a) = C⁻¹ (m − x). Evaluated directly (no responsibilities).
 */
import { assertBatch, type Rng, tf } from '@rtk-diffusion/tensor';
import { checkCount, checkLevel } from './check.js';
import {
  type CacheOptions,
  componentsFromSpec,
  curvatureBoundOf,
  fullLevel,
  LOG_TWO_PI,
} from './components.js';
import { sampleComponents } from './sample.js';
import { type GaussianSpec, parseGaussianSpec } from './spec.js';
import type { ExactScoreModel } from './types.js';

/** The exact model of a Gaussian: an {@link ExactScoreModel} with its spec. */
export interface GaussianModel extends ExactScoreModel {
  readonly spec: GaussianSpec;
}

/**
 * The exact model of N(mean, covariance); `covariance` is a variance (isotropic), a diagonal, or a full
 * positive-definite matrix.
 *
 * @throws {@link ValidationError} for a bad spec (wrong lengths, non-positive variances, a non-PD matrix).
 * @example
 * const model = gaussianModel({ mean: [1, -1], covariance: [0.5, 2] });
 * model.curvatureBound(1); // 2 = 1/λ_min(Σ)
 */
export function gaussianModel(spec: GaussianSpec, options: CacheOptions = {}): GaussianModel {
  const parsed = parseGaussianSpec(spec);
  const components = componentsFromSpec(
    { weights: [1], means: [parsed.mean], covariances: [parsed.covariance] },
    options,
  );
  const d = components.dim;
  const mean = Float32Array.from(parsed.mean);
  /** Y = x − sqrt(a) μ, C⁻¹ Y (as rows) and log det C. */
  const whiten = (x: tf.Tensor2D, a: number) => {
    // x − sqrt(a) μ as (x − μ) + (1 − sqrt(a)) μ, accurate near a = 1.
    const mu = tf.tensor2d(mean, [1, d]);
    const y = tf.add(tf.sub(x, mu), tf.mul(mu, (1 - a) / (1 + Math.sqrt(a))));
    const diagonal = components.diagonal;
    if (diagonal !== null) {
      const c = Array.from(
        { length: diagonal.isotropic ? 1 : d },
        (_, j) => a * diagonal.variances[j]! + (1 - a),
      );
      const logDet = diagonal.isotropic ? d * Math.log(c[0]!) : c.reduce((s, v) => s + Math.log(v), 0);
      const precision = tf.tensor2d(
        Float32Array.from(c, (v) => 1 / v),
        [1, c.length],
      );
      return { y, z: tf.mul(y, precision), logDet };
    }
    const level = fullLevel(components.full!, d, a);
    return { y, z: tf.matMul(y, tf.tensor2d(level.precision, [d, d])), logDet: level.logDet[0]! };
  };
  const check = (x: tf.Tensor2D, a: number, where: string) => {
    assertBatch(x, d, 'x');
    checkLevel(a, where);
  };
  return {
    dim: d,
    spec: parsed,
    predictionType: 'score',
    score(x, a) {
      check(x, a, 'score');
      return tf.tidy(() => tf.neg(whiten(x, a).z) as tf.Tensor2D);
    },
    logDensity(x, a) {
      check(x, a, 'logDensity');
      return tf.tidy(() => {
        const { y, z, logDet } = whiten(x, a);
        return tf.sub(-0.5 * (d * LOG_TWO_PI + logDet), tf.mul(tf.sum(tf.mul(z, y), 1), 0.5)) as tf.Tensor1D;
      });
    },
    curvatureBound(a) {
      return curvatureBoundOf(components, checkLevel(a, 'curvatureBound'));
    },
    sample(n: number, rng: Rng) {
      return sampleComponents(components, checkCount(n, 'sample'), rng);
    },
  };
}
