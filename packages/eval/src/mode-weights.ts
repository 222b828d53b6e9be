/**
 * Per-mode weight error for Gaussian mixtures (ALGORITHMS.md §6): assign every sample to the component of largest
 * responsibility and compare the fractions with the mixture weights. The mixture is given as plain arrays, so this
 * package needs nothing from `scores`.
 */
import { tf, ValidationError } from '@rtk-diffusion/tensor';
import { CholeskyDecomposition, inverse, Matrix } from 'ml-matrix';
import { readSamples, type SampleInput } from './samples.js';

/**
 * A component's covariance: a number (isotropic variance s², Σ = s² I), an array of d numbers (diagonal Σ), or a d × d
 * symmetric positive-definite matrix.
 */
export type ComponentCovariance = number | readonly number[] | readonly (readonly number[])[];

/** A Gaussian mixture Σ_i w_i N(μ_i, Σ_i) as plain arrays. */
export interface MixtureComponents {
  /** Weights w_i ≥ 0 (normalised here if they do not sum to 1). */
  readonly weights: readonly number[];
  /** Means μ_i, each of d numbers. */
  readonly means: readonly (readonly number[])[];
  /** Covariances Σ_i, one per component (see {@link ComponentCovariance}). */
  readonly covariances: readonly ComponentCovariance[];
}

/** Result of {@link modeWeightError}. */
export interface ModeWeightResult {
  /** Samples assigned to each component. */
  readonly counts: readonly number[];
  /** Empirical weights ŵ_i = counts_i / n. */
  readonly weights: readonly number[];
  /** |ŵ_i − w_i| per component. */
  readonly absoluteErrors: readonly number[];
  /** Multinomial standard error sqrt(w_i (1 − w_i) / n) of ŵ_i for an exact sampler (assignment error aside). */
  readonly standardErrors: readonly number[];
  /** ½ Σ_i |ŵ_i − w_i|: the total variation between the weight vectors. */
  readonly totalVariation: number;
  /** max_i |ŵ_i − w_i|. */
  readonly maxError: number;
}

/**
 * Per-mode weight error of `samples` against the mixture `mixture`. Each sample x goes to argmax_i r_i(x), with
 * log r_i(x) = log w_i − ½ log det Σ_i − ½ (x − μ_i)ᵀ Σ_i⁻¹ (x − μ_i) + const (ties to the lower index).
 *
 * Estimator and bias: for an exact sampler, counts are multinomial with probabilities P(argmax r = i), which equal w_i
 * only when the components barely overlap; with overlap, even exact samples show an error (compare with a
 * ground-truth sample). Samples far from every mode (between modes) still count for the nearest one.
 * Cost: O(n K d²) flops on the active TensorFlow.js backend for K components (O(n K d) when all are diagonal), plus
 * a Cholesky factorisation (ml-matrix) per full covariance.
 *
 * @throws ShapeError / ValidationError when the mixture is inconsistent (lengths, negative weights, a covariance that
 *   is not positive-definite) or the samples are empty or of another dimension; NonFiniteSampleError on NaN/∞.
 */
export async function modeWeightError(
  samples: SampleInput,
  mixture: MixtureComponents,
): Promise<ModeWeightResult> {
  const x = await readSamples(samples, 'samples');
  const { weights, means, covariances } = mixture;
  const k = weights.length;
  if (k === 0 || means.length !== k || covariances.length !== k) {
    throw new ValidationError(
      `mixture needs K ≥ 1 components with as many weights, means and covariances, got ${weights.length}, ${means.length}, ${covariances.length}`,
    );
  }
  const total = weights.reduce((s, w) => s + w, 0);
  if (weights.some((w) => !(Number.isFinite(w) && w >= 0)) || !(total > 0)) {
    throw new ValidationError(
      `mixture weights must be finite, ≥ 0 and not all 0, got [${weights.join(', ')}]`,
    );
  }
  const w = weights.map((v) => v / total);
  const factors = means.map((mean, i) => {
    if (!Array.isArray(mean) || mean.length !== x.d || mean.some((v) => !Number.isFinite(v))) {
      throw new ValidationError(
        `mixture.means[${i}] must have ${x.d} finite numbers (the samples' dimension)`,
      );
    }
    return factor(covariances[i]!, x.d, i);
  });
  const scores = tf.tidy(() => {
    const data = tf.tensor2d(Float32Array.from(x.values), [x.n, x.d], 'float32');
    const columns = factors.map(({ whiten, logDeterminant }, i) => {
      const z = whiten(tf.sub(data, tf.tensor1d(means[i] as number[], 'float32')));
      const quadratic = tf.sum(tf.square(z), 1);
      return tf.sub(Math.log(w[i]!) - 0.5 * logDeterminant, tf.mul(quadratic, 0.5));
    });
    return tf.argMax(tf.stack(columns, 1), 1);
  });
  const assigned = await scores.data();
  scores.dispose();
  const counts = new Array<number>(k).fill(0);
  for (const i of assigned) counts[i]! += 1;
  const empirical = counts.map((c) => c / x.n);
  const absoluteErrors = empirical.map((v, i) => Math.abs(v - w[i]!));
  return {
    counts,
    weights: empirical,
    absoluteErrors,
    standardErrors: w.map((v) => Math.sqrt((v * (1 - v)) / x.n)),
    totalVariation: absoluteErrors.reduce((s, e) => s + e, 0) / 2,
    maxError: Math.max(...absoluteErrors),
  };
}

/** z = L⁻¹ (x − μ) row-wise for Σ = L Lᵀ, and log det Σ. */
function factor(
  covariance: ComponentCovariance,
  d: number,
  index: number,
): { whiten: (centred: tf.Tensor2D) => tf.Tensor2D; logDeterminant: number } {
  const where = `mixture.covariances[${index}]`;
  if (typeof covariance === 'number') {
    if (!(Number.isFinite(covariance) && covariance > 0)) {
      throw new ValidationError(`${where} must be a positive variance, got ${covariance}`);
    }
    return { whiten: (c) => tf.div(c, Math.sqrt(covariance)), logDeterminant: d * Math.log(covariance) };
  }
  if (covariance.length !== d) {
    throw new ValidationError(
      `${where} must have ${d} entries (diagonal) or ${d} rows, got ${covariance.length}`,
    );
  }
  if (covariance.every((v) => typeof v === 'number')) {
    const diagonal = covariance as readonly number[];
    if (diagonal.some((v) => !(Number.isFinite(v) && v > 0))) {
      throw new ValidationError(`${where}: a diagonal covariance needs positive finite entries`);
    }
    const inverseScale = diagonal.map((v) => 1 / Math.sqrt(v));
    return {
      whiten: (c) => tf.mul(c, tf.tensor1d(inverseScale, 'float32')),
      logDeterminant: diagonal.reduce((s, v) => s + Math.log(v), 0),
    };
  }
  const rows = covariance as readonly (readonly number[])[];
  if (rows.some((row) => !Array.isArray(row) || row.length !== d || row.some((v) => !Number.isFinite(v)))) {
    throw new ValidationError(`${where} must be a ${d} × ${d} matrix of finite numbers`);
  }
  let cholesky: CholeskyDecomposition | undefined;
  try {
    cholesky = new CholeskyDecomposition(new Matrix(rows.map((row) => [...row])));
  } catch {
    cholesky = undefined;
  }
  if (cholesky === undefined || !cholesky.isPositiveDefinite()) {
    throw new ValidationError(
      `${where} is not a symmetric positive-definite matrix (its Cholesky factorisation failed)`,
    );
  }
  const lower = cholesky.lowerTriangularMatrix;
  let logDeterminant = 0;
  for (let j = 0; j < d; j++) logDeterminant += 2 * Math.log(lower.get(j, j));
  // Rows z = (x − μ) L⁻ᵀ, so zᵀz = (x − μ)ᵀ Σ⁻¹ (x − μ).
  const inverseTranspose = inverse(lower).transpose().to2DArray();
  return {
    whiten: (c) => tf.matMul(c, tf.tensor2d(inverseTranspose, [d, d], 'float32')),
    logDeterminant,
  };
}
