/**
 * The exact score of a noised data set (ALGORITHMS.md §3): the mixture of N point masses, w_i = 1/N, Σ_i = 0, so
 * p_a = (1/N) Σ_i N(sqrt(a) x_i, (1 − a) I) and s(x, a) = Σ_i r_i (sqrt(a) x_i − x) / (1 − a): the ideal denoiser
 * of finite data. At a = 1 the law is a sum of point masses and has no score: that level is an error.
 */
import { assertBatch, tf, ValidationError } from '@rtk-diffusion/tensor';
import { componentsFromData } from './components.js';
import { modelOf } from './mixture.js';
import type { ExactScoreModel } from './types.js';

/** The exact model of a data set: the mixture of N zero-covariance components. */
export interface EmpiricalModel extends ExactScoreModel {
  /** Number of data points N. */
  readonly size: number;
  /** r_i(x) at level a < 1: the posterior probability of each data point, [n, N]. */
  responsibilities(x: tf.Tensor2D, a: number): tf.Tensor2D;
}

/**
 * The exact model of the noised data set `data` ([N, d], a float32 tensor or rows of numbers; copied, so the caller
 * may dispose it). `score`, `logDensity` and `responsibilities` accept a ∈ (0, 1) and throw a `ValidationError` at
 * a = 1, where the law is singular (stop the grid at 1 − δ); `curvatureBound(a)` = 1/(1 − a), +∞ at a = 1.
 * `sample(n, rng)` resamples data points (with replacement, uniformly).
 *
 * @throws {@link ValidationError} for an empty, ragged or non-finite data set.
 */
export function empiricalModel(data: tf.Tensor2D | readonly (readonly number[])[]): EmpiricalModel {
  const { values, n, d } = readData(data);
  const components = componentsFromData(values, n, d);
  const mixture = modelOf(components);
  const singular = (a: number, where: string) => {
    if (a === 1) {
      throw new ValidationError(
        `${where}: the empirical model is singular at a = 1 (a sum of point masses has no density or score); evaluate at a < 1, e.g. end the grid at 1 − δ`,
        { a },
      );
    }
  };
  return {
    dim: d,
    size: n,
    predictionType: 'score',
    curvatureBound: mixture.curvatureBound,
    sample: mixture.sample,
    score(x, a) {
      singular(a, 'score');
      return mixture.score(x, a);
    },
    logDensity(x, a) {
      singular(a, 'logDensity');
      return mixture.logDensity(x, a);
    },
    responsibilities(x, a) {
      singular(a, 'responsibilities');
      return mixture.responsibilities(x, a);
    },
  };
}

function readData(data: tf.Tensor2D | readonly (readonly number[])[]): {
  values: Float32Array;
  n: number;
  d: number;
} {
  let values: Float32Array;
  let n: number;
  let d: number;
  if (data instanceof tf.Tensor) {
    assertBatch(data, undefined, 'data');
    [n, d] = data.shape;
    values = Float32Array.from(data.dataSync());
  } else {
    if (!Array.isArray(data) || data.length === 0 || !Array.isArray(data[0]) || data[0].length === 0) {
      throw new ValidationError('empiricalModel: data must be a non-empty [N, d] tensor or array of rows');
    }
    n = data.length;
    d = data[0].length;
    values = new Float32Array(n * d);
    data.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== d) {
        throw new ValidationError(
          `empiricalModel: every row must have ${d} numbers, row ${i} has ${row?.length}`,
          {
            row: i,
          },
        );
      }
      values.set(row, i * d);
    });
  }
  if (n === 0 || d === 0)
    throw new ValidationError(`empiricalModel: data must be non-empty, got [${n}, ${d}]`);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new ValidationError(
      `empiricalModel: data must be finite, got ${values[bad]} at row ${Math.floor(bad / d)}, column ${bad % d}`,
    );
  }
  return { values, n, d };
}
