/**
 * Fréchet distance between Gaussian fits of feature vectors (ALGORITHMS.md §6; FID of Heusel et al. 2017 when the
 * features come from an image classifier): d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}), the squared
 * 2-Wasserstein distance between N(μ₁, Σ₁) and N(μ₂, Σ₂).
 */
import { tf, ValidationError } from '@rtk-diffusion/tensor';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { assertInteger, readPair, readSamples, type SampleInput } from './samples.js';

/** A Gaussian given by its mean and covariance (plain arrays). */
export interface GaussianMoments {
  /** μ, d numbers. */
  readonly mean: readonly number[];
  /** Σ, a symmetric positive-semidefinite d × d matrix. */
  readonly covariance: readonly (readonly number[])[];
}

/** A Gaussian fitted to a sample: its mean, unbiased covariance and sample size. */
export interface GaussianFit extends GaussianMoments {
  /** Number of rows fitted. */
  readonly n: number;
}

/** Options of {@link gaussianFit} and {@link frechetDistance}. */
export interface GaussianFitOptions {
  /**
   * How the covariance is accumulated: `'float64'` in JavaScript (O(n d²) scalar work), `'float32'` as matrix products
   * on the active backend (accumulated in float64 per chunk), or `'auto'` (default): float64 when n·d² ≤ 2.5 · 10⁸.
   */
  readonly precision?: 'auto' | 'float64' | 'float32';
  /** Rows per matrix product with `'float32'` (memory ∝ chunkSize · d), default 4096. */
  readonly chunkSize?: number;
}

/**
 * Fits N(μ, Σ) to the rows of `samples`: μ the sample mean (float64), Σ the unbiased sample covariance
 * Σ_i (x_i − μ)(x_i − μ)ᵀ / (n − 1), as `numpy.cov` and FID implementations compute it. Cost: O(n d²) flops, in
 * float64 JavaScript when n·d² ≤ 2.5 · 10⁸, otherwise as float32 matrix products of `chunkSize` centred rows on the
 * active backend accumulated in float64 (relative error ≈ 1e−7, which the square roots amplify when Σ is nearly
 * singular, n ≲ d).
 *
 * @throws ValidationError when there are fewer than 2 rows; ShapeError / NonFiniteSampleError on bad samples.
 */
export async function gaussianFit(
  samples: SampleInput,
  options: GaussianFitOptions = {},
): Promise<GaussianFit> {
  const chunkSize = options.chunkSize ?? 4096;
  assertInteger(chunkSize, 1, 'chunkSize');
  const x = await readSamples(samples, 'samples');
  const { n, d } = x;
  if (n < 2) throw new ValidationError(`a Gaussian fit needs at least 2 rows, got ${n}`, { n });
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += x.values[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const precision = options.precision ?? 'auto';
  if (precision !== 'auto' && precision !== 'float64' && precision !== 'float32') {
    throw new ValidationError(`precision must be 'auto', 'float64' or 'float32', got ${String(precision)}`);
  }
  const onHost = precision === 'float64' || (precision === 'auto' && n * d * d <= HOST_SCATTER_LIMIT);
  const scatter = onHost
    ? hostScatter(x.values, n, d, mean)
    : await tensorScatter(x.values, n, d, mean, chunkSize);
  const covariance = Array.from({ length: d }, (_, j) =>
    Array.from({ length: d }, (_, k) => (scatter[j * d + k]! + scatter[k * d + j]!) / (2 * (n - 1))),
  );
  return { mean: Array.from(mean), covariance, n };
}

/**
 * The squared Fréchet (2-Wasserstein) distance between N(μ₁, Σ₁) and N(μ₂, Σ₂):
 * ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2}.
 *
 * Both square roots come from symmetric eigendecompositions (ml-matrix's `EigenvalueDecomposition`, Householder
 * tridiagonalisation and QL), with eigenvalues below 0 (rounding) set to 0; this equals tr (Σ₁ Σ₂)^{1/2} of the FID
 * formula (Σ₁ Σ₂ is similar to Σ₁^{1/2} Σ₂ Σ₁^{1/2}) without a non-symmetric square root and its complex round-off.
 * A result below 0 from rounding is returned as 0. Cost: two d × d eigendecompositions, O(d³) in float64 JavaScript.
 *
 * @throws ValidationError when the shapes disagree or an entry is not finite.
 */
export function frechetDistanceGaussian(first: GaussianMoments, second: GaussianMoments): number {
  const d = first.mean.length;
  checkMoments(first, d, 'first');
  checkMoments(second, d, 'second');
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (first.mean[j]! - second.mean[j]!) ** 2;
  let traces = 0;
  for (let j = 0; j < d; j++) traces += first.covariance[j]![j]! + second.covariance[j]![j]!;
  const sigma1 = symmetric(first.covariance);
  const root1 = symmetricSquareRoot(sigma1);
  const inner = symmetric(root1.mmul(symmetric(second.covariance)).mmul(root1).to2DArray());
  const eigenvalues = new EigenvalueDecomposition(inner, { assumeSymmetric: true }).realEigenvalues;
  const crossTrace = eigenvalues.reduce((s, v) => s + Math.sqrt(Math.max(v, 0)), 0);
  return Math.max(0, meanTerm + traces - 2 * crossTrace);
}

/**
 * The squared Fréchet distance between Gaussian fits ({@link gaussianFit}) of `samples` and `reference`: FID when the
 * rows are classifier features.
 *
 * Estimator: plug-in, biased upwards: for two samples of one law N(μ, s² I) in d dimensions,
 * E[d²] ≈ s² (d + d (d + 1)/4) (1/n + 1/m) (means, then covariances), so values are comparable only at equal n and m
 * (Chong & Forsyth 2020 extrapolate in 1/n); the fit needs n > d for a full-rank Σ. Cost: O((n + m) d²) for the fits plus O(d³) for the distance.
 *
 * @throws ShapeError on a dimension mismatch; ValidationError when a sample has fewer than 2 rows;
 *   NonFiniteSampleError on NaN or infinite values.
 */
export async function frechetDistance(
  samples: SampleInput,
  reference: SampleInput,
  options: GaussianFitOptions = {},
): Promise<number> {
  const [x, y] = await readPair(samples, reference);
  const fitX = await gaussianFit({ values: x.values, d: x.d }, options);
  const fitY = await gaussianFit({ values: y.values, d: y.d }, options);
  return frechetDistanceGaussian(fitX, fitY);
}

/** Above n·d² = 2.5 · 10⁸ multiply-adds (≈ 0.3 s of float64 JavaScript) the scatter matrix uses the backend. */
const HOST_SCATTER_LIMIT = 2.5e8;

/** Σ_i (x_i − μ)(x_i − μ)ᵀ in float64 (lower triangle, mirrored). */
function hostScatter(values: ArrayLike<number>, n: number, d: number, mean: Float64Array): Float64Array {
  const scatter = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = values[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) {
      const rj = row[j]!;
      for (let k = 0; k <= j; k++) scatter[j * d + k]! += rj * row[k]!;
    }
  }
  for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) scatter[k * d + j] = scatter[j * d + k]!;
  return scatter;
}

/** The same as float32 matrix products of `chunkSize` centred rows on the backend, accumulated in float64. */
async function tensorScatter(
  values: ArrayLike<number>,
  n: number,
  d: number,
  mean: Float64Array,
  chunkSize: number,
): Promise<Float64Array> {
  const scatter = new Float64Array(d * d);
  for (let start = 0; start < n; start += chunkSize) {
    const size = Math.min(chunkSize, n - start);
    const centred = new Float32Array(size * d);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < d; j++) centred[i * d + j] = values[(start + i) * d + j]! - mean[j]!;
    }
    const product = tf.tidy(() => {
      const block = tf.tensor2d(centred, [size, d], 'float32');
      return tf.matMul(block, block, true, false);
    });
    const result = await product.data();
    product.dispose();
    for (let k = 0; k < d * d; k++) scatter[k]! += result[k]!;
  }
  return scatter;
}

function checkMoments(moments: GaussianMoments, d: number, name: string): void {
  const { mean, covariance } = moments;
  const ok =
    d > 0 &&
    mean.length === d &&
    mean.every(Number.isFinite) &&
    covariance.length === d &&
    covariance.every((row) => row.length === d && row.every(Number.isFinite));
  if (!ok) {
    throw new ValidationError(
      `${name}: need a mean of d finite numbers and a d × d finite covariance with the same d as the first (d = ${d})`,
    );
  }
}

function symmetric(rows: readonly (readonly number[])[]): Matrix {
  const d = rows.length;
  return new Matrix(
    Array.from({ length: d }, (_, j) =>
      Array.from({ length: d }, (_, k) => (rows[j]![k]! + rows[k]![j]!) / 2),
    ),
  );
}

/** V diag(sqrt(max(λ, 0))) Vᵀ for a symmetric matrix. */
function symmetricSquareRoot(matrix: Matrix): Matrix {
  const decomposition = new EigenvalueDecomposition(matrix, { assumeSymmetric: true });
  const vectors = decomposition.eigenvectorMatrix;
  const roots = decomposition.realEigenvalues.map((v) => Math.sqrt(Math.max(v, 0)));
  return vectors.mmul(Matrix.diag(roots)).mmul(vectors.transpose());
}
