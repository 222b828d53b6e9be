/**
 * The two-sample kernel statistic shared by MMD and the energy distance,
 *
 *     G = E k(X, X') + E k(Y, Y') − 2 E k(X, Y),
 *
 * estimated from all pairs with TensorFlow.js matrix products in square tiles of `chunkSize` rows, so memory stays
 * O(chunkSize²) whatever n is. Each tile's row and column sums are read back and accumulated in float64, which keeps
 * the statistic accurate when its three terms nearly cancel. Squared distances come from ‖a‖² + ‖b‖² − 2 a·b on data
 * centred at the pooled mean (distances do not change, the float32 cancellation does).
 */
import { tf, ValidationError } from '@rtk-diffusion/tensor';
import { assertInteger, type HostSamples } from './samples.js';

/** A kernel of the squared distance, k(x, y) = f(‖x − y‖²), applied to a tile of squared distances. */
export interface DistanceKernel {
  /** Elementwise f on a tile of squared distances (inside a `tf.tidy`). */
  readonly fromSquaredDistance: (squaredDistance: tf.Tensor2D) => tf.Tensor2D;
  /** k(x, x) = f(0), added back analytically for the biased (V-statistic) estimator. */
  readonly selfValue: number;
}

/** Which estimator of a kernel two-sample statistic. */
export type KernelEstimator = 'unbiased' | 'biased';

/** Value and first-order standard error of a kernel two-sample statistic. */
export interface KernelStatistic {
  /** The estimate of G. */
  readonly value: number;
  /** First-order (Hoeffding projection) standard error: sqrt(4 Var h₁₀ / n + 4 Var h₀₁ / m). */
  readonly standardError: number;
}

/** Float32 unit roundoff 2⁻²⁴. */
const UNIT_ROUNDOFF = 2 ** -24;

/** Default rows per tile: a tile holds 1024² float32 numbers (4 MB) per intermediate. */
export const DEFAULT_CHUNK_SIZE: number = 1024;

/**
 * Estimates G for the kernel `kernel`.
 *
 * - `'unbiased'` (U-statistic): Σ_{i≠j} k(x_i, x_j)/(n(n−1)) + Σ_{i≠j} k(y_i, y_j)/(m(m−1)) − 2 Σ k(x_i, y_j)/(nm).
 * - `'biased'` (V-statistic): the diagonal terms are included and the within sums divided by n² and m²; it is 0 for
 *   identical samples, and ≥ 0 for a positive-definite kernel.
 *
 * The standard error uses the plug-in projections h₁₀(x_i) = mean_{j≠i} k(x_i, x_j) − mean_j k(x_i, y_j) (and
 * likewise for y); it is the first-order term of the U-statistic's variance, accurate when the laws differ and an
 * underestimate when they are equal (the statistic is then degenerate, with spread O(1/n)).
 *
 * Cost: (n² / 2 + m² / 2 + nm) · (d + O(1)) flops on the active backend, O(chunkSize²) memory.
 */
export async function kernelStatistic(
  x: HostSamples,
  y: HostSamples,
  kernel: DistanceKernel,
  estimator: KernelEstimator,
  chunkSize: number,
): Promise<KernelStatistic> {
  assertInteger(chunkSize, 1, 'chunkSize');
  if (estimator !== 'unbiased' && estimator !== 'biased') {
    throw new ValidationError(`estimator must be 'unbiased' or 'biased', got ${String(estimator)}`);
  }
  if (x.n < 2 || y.n < 2) {
    throw new ValidationError(
      `kernel statistics need at least 2 samples in each set, got n = ${x.n} and m = ${y.n}`,
      { n: x.n, m: y.n },
    );
  }
  const shift = pooledMean(x, y);
  const tilesX = makeTiles(x, shift, chunkSize);
  const tilesY = makeTiles(y, shift, chunkSize);
  try {
    const withinX = await withinSums(tilesX, x.n, kernel);
    const withinY = await withinSums(tilesY, y.n, kernel);
    const cross = await crossSums(tilesX, tilesY, x.n, y.n, kernel);
    const { n } = x;
    const m = y.n;
    const sumXX = sum(withinX);
    const sumYY = sum(withinY);
    const sumXY = sum(cross.rows);
    const value =
      estimator === 'unbiased'
        ? sumXX / (n * (n - 1)) + sumYY / (m * (m - 1)) - (2 * sumXY) / (n * m)
        : (sumXX + n * kernel.selfValue) / (n * n) +
          (sumYY + m * kernel.selfValue) / (m * m) -
          (2 * sumXY) / (n * m);
    const projectionX = withinX.map((s, i) => s / (n - 1) - cross.rows[i]! / m);
    const projectionY = withinY.map((s, j) => s / (m - 1) - cross.columns[j]! / n);
    const standardError = Math.sqrt((4 * variance(projectionX)) / n + (4 * variance(projectionY)) / m);
    return { value, standardError };
  } finally {
    disposeTiles(tilesX);
    disposeTiles(tilesY);
  }
}

interface Tile {
  readonly start: number;
  readonly size: number;
  /** −2 × the centred rows, [size, d] (the left factor of −2 a·bᵀ). */
  readonly minusTwoX: tf.Tensor2D;
  /** The centred rows transposed, [d, size] (pre-transposed: a transposed matMul operand is slow on wasm). */
  readonly xTransposed: tf.Tensor2D;
  /** (1 − ε_d) ‖x_i‖² as a column [size, 1] and as a row [1, size]; ε_d is the rounding floor below. */
  readonly normsColumn: tf.Tensor2D;
  readonly normsRow: tf.Tensor2D;
  /** A row of ones [1, size]: column sums as a matrix product (a reduction over axis 0 transposes, slowly). */
  readonly ones: tf.Tensor2D;
}

function pooledMean(x: HostSamples, y: HostSamples): Float64Array {
  const mean = new Float64Array(x.d);
  for (const s of [x, y]) {
    for (let i = 0; i < s.n; i++) for (let j = 0; j < s.d; j++) mean[j]! += s.values[i * s.d + j]!;
  }
  return mean.map((v) => v / (x.n + y.n));
}

function makeTiles(s: HostSamples, shift: Float64Array, chunkSize: number): Tile[] {
  const tiles: Tile[] = [];
  // A d-term dot product is accurate to about d unit roundoffs (Higham's γ_d), so ‖a‖² + ‖b‖² − 2 a·b below
  // ε_d (‖a‖² + ‖b‖²) with ε_d = 2 (d + 4) u is rounding noise. Shrinking the norms by (1 − ε_d) turns that noise into
  // a negative number that the ReLU sets to 0: equal points are at distance exactly 0, and every other squared
  // distance moves by at most its own rounding error (≈ sqrt(ε_d) ‖a‖ in distance for nearly equal points).
  const shrink = 1 - 2 * (s.d + 4) * UNIT_ROUNDOFF;
  for (let start = 0; start < s.n; start += chunkSize) {
    const size = Math.min(chunkSize, s.n - start);
    const centred = new Float32Array(size * s.d);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < s.d; j++) centred[i * s.d + j] = s.values[(start + i) * s.d + j]! - shift[j]!;
    }
    tiles.push(
      tf.tidy(() => {
        const x = tf.tensor2d(centred, [size, s.d], 'float32');
        const norms = tf.mul(tf.sum(tf.square(x), 1, true), shrink) as tf.Tensor2D;
        return {
          start,
          size,
          minusTwoX: tf.mul(x, -2) as tf.Tensor2D,
          xTransposed: tf.transpose(x) as tf.Tensor2D,
          normsColumn: norms,
          normsRow: tf.reshape(norms, [1, size]) as tf.Tensor2D,
          ones: tf.ones([1, size]) as tf.Tensor2D,
        };
      }),
    );
  }
  return tiles;
}

function disposeTiles(tiles: readonly Tile[]): void {
  for (const t of tiles) tf.dispose([t.minusTwoX, t.xTransposed, t.normsColumn, t.normsRow, t.ones]);
}

/** Row and column sums of the kernel tile k(a_i, b_j). */
async function tileSums(a: Tile, b: Tile, kernel: DistanceKernel): Promise<[Float32Array, Float32Array]> {
  const [rows, columns] = tf.tidy(() => {
    const cross = tf.matMul(a.minusTwoX, b.xTransposed);
    const squared = tf.relu(tf.add(tf.add(cross, a.normsColumn), b.normsRow)) as tf.Tensor2D;
    const k = kernel.fromSquaredDistance(squared);
    return [tf.sum(k, 1), tf.matMul(a.ones, k)];
  });
  try {
    return [(await rows.data()) as Float32Array, (await columns.data()) as Float32Array];
  } finally {
    tf.dispose([rows, columns]);
  }
}

/** Σ_{j≠i} k(x_i, x_j) for every row i, computing only the tiles on and above the diagonal. */
async function withinSums(tiles: readonly Tile[], n: number, kernel: DistanceKernel): Promise<Float64Array> {
  const sums = new Float64Array(n);
  for (let p = 0; p < tiles.length; p++) {
    for (let q = p; q < tiles.length; q++) {
      const a = tiles[p]!;
      const b = tiles[q]!;
      const [rows, columns] = await tileSums(a, b, kernel);
      // On a diagonal tile the distance of a row to itself is exactly 0, its kernel value exactly k(0): remove it.
      const self = p === q ? kernel.selfValue : 0;
      for (let i = 0; i < a.size; i++) sums[a.start + i]! += rows[i]! - self;
      if (q !== p) for (let j = 0; j < b.size; j++) sums[b.start + j]! += columns[j]!;
    }
  }
  return sums;
}

/** Σ_j k(x_i, y_j) for every i (rows) and Σ_i k(x_i, y_j) for every j (columns). */
async function crossSums(
  tilesX: readonly Tile[],
  tilesY: readonly Tile[],
  n: number,
  m: number,
  kernel: DistanceKernel,
): Promise<{ rows: Float64Array; columns: Float64Array }> {
  const rows = new Float64Array(n);
  const columns = new Float64Array(m);
  for (const a of tilesX) {
    for (const b of tilesY) {
      const [r, c] = await tileSums(a, b, kernel);
      for (let i = 0; i < a.size; i++) rows[a.start + i]! += r[i]!;
      for (let j = 0; j < b.size; j++) columns[b.start + j]! += c[j]!;
    }
  }
  return { rows, columns };
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function variance(values: Float64Array): number {
  const mean = sum(values) / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return squares / (values.length - 1);
}
