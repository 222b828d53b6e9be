/**
 * Gaussian components noised to a signal level a (ALGORITHMS.md §3): component i of p_0 is N(μ_i, Σ_i), so at level
 * a it is N(m_i, C_i) with m_i = sqrt(a) μ_i and C_i = a Σ_i + (1 − a) I. Components with isotropic or diagonal Σ_i
 * form one group evaluated with matrix products against all their means at once; full Σ_i form a second group
 * evaluated through per-level precisions C_i⁻¹ (Cholesky once per level, cached) in one batched product.
 */
import { tf, ValidationError } from '@rtk-diffusion/tensor';
import { DEFAULT_CACHE_BYTES, DEFAULT_CACHE_LEVELS, LevelCache } from './level-cache.js';
import { cholesky, inverseFromCholesky, logDetFromCholesky, smallestEigenvalue } from './linalg.js';
import { type Covariance, type MixtureSpec, toSquareMatrix } from './spec.js';

/** log 2π, the normaliser of a standard normal per dimension. */
export const LOG_TWO_PI: number = Math.log(2 * Math.PI);

/** Components with isotropic or diagonal covariances (C_i diagonal at every level). */
export interface DiagonalGroup {
  /** Positions of these components in the mixture. */
  readonly indices: readonly number[];
  /** All isotropic: variances has one entry per component, else d per component. */
  readonly isotropic: boolean;
  /** μ_i − μ̄, row-major [K_D, d]; centring on the weighted mean μ̄ keeps float32 expansions of ‖x − m‖² accurate. */
  readonly centred: Float32Array;
  /**
   * The same, transposed: row-major [d, K_D], so the logits are an untransposed product x · (M − μ̄)ᵀ (on wasm a
   * product with a transposed operand is 5–10× slower).
   */
  readonly centredTransposed: Float32Array;
  /** μ_i, row-major [K_D, d]. */
  readonly means: Float32Array;
  /** Σ_i: [K_D] (isotropic) or [K_D, d] (diagonal), float64. */
  readonly variances: Float64Array;
  /** ‖μ_i − μ̄‖² (float64), [K_D]. */
  readonly centredNorms: Float64Array;
}

/** Per-level factorisation of the full group: float32 precisions C_i⁻¹ [K_F, d, d] and float64 log det C_i. */
export interface FullLevel {
  readonly precision: Float32Array;
  readonly logDet: Float64Array;
}

/** Components with full covariances. */
export interface FullGroup {
  readonly indices: readonly number[];
  /** μ_i, row-major [K_F, d]. */
  readonly means: Float32Array;
  /** Σ_i row-major d × d (symmetrised), float64. */
  readonly covariances: readonly Float64Array[];
  readonly cache: LevelCache<FullLevel>;
}

/** K Gaussian components in dimension d, with their weights, ready for evaluation at any level. */
export interface Components {
  readonly dim: number;
  readonly count: number;
  /** log w_i (weights normalised to sum to one exactly). */
  readonly logWeights: Float64Array;
  /** w_1, w_1 + w_2, …, 1. */
  readonly cumulativeWeights: Float64Array;
  /** μ_i, row-major [K, d]. */
  readonly means: Float32Array;
  /** μ̄ = Σ_i w_i μ_i. */
  readonly center: Float64Array;
  readonly diagonal: DiagonalGroup | null;
  readonly full: FullGroup | null;
  /** Position of mixture component i in the group order (diagonal group first, then full). */
  readonly groupPosition: readonly number[];
  /** min over the diagonal group of every variance (+∞ without that group). */
  readonly minDiagonalVariance: number;
  /** λ_min(Σ_i) of the full components, computed on first use (NaN until then). */
  readonly minFullEigenvalue: Float64Array;
  /** Cholesky factors of Σ_i for sampling full components, computed on first use. */
  readonly sampleFactors: Map<number, Float32Array>;
}

/** Options of the exact models that have full covariances. */
export interface CacheOptions {
  /** Most signal levels whose factorisations are kept (default 16); the cache also stays under 256 MiB. */
  readonly cacheLevels?: number;
}

function kindOf(covariance: Covariance): 'isotropic' | 'diagonal' | 'full' {
  if (typeof covariance === 'number') return 'isotropic';
  return Array.isArray(covariance[0]) ? 'full' : 'diagonal';
}

/**
 * Components of a validated spec. Weights are renormalised to sum to one exactly.
 *
 * @internal
 */
export function componentsFromSpec(spec: MixtureSpec, options: CacheOptions = {}): Components {
  const k = spec.weights.length;
  const d = spec.means[0]!.length;
  const means = new Float32Array(k * d);
  spec.means.forEach((mean, i) => {
    means.set(mean, i * d);
  });
  const kinds = spec.covariances.map(kindOf);
  const diagonalIndices = kinds.flatMap((kind, i) => (kind === 'full' ? [] : [i]));
  const fullIndices = kinds.flatMap((kind, i) => (kind === 'full' ? [i] : []));
  const isotropic = diagonalIndices.every((i) => kinds[i] === 'isotropic');
  const variances = new Float64Array(diagonalIndices.length * (isotropic ? 1 : d));
  diagonalIndices.forEach((i, row) => {
    const covariance = spec.covariances[i]!;
    if (isotropic) variances[row] = covariance as number;
    else if (typeof covariance === 'number') variances.fill(covariance, row * d, (row + 1) * d);
    else variances.set(covariance as readonly number[], row * d);
  });
  const covariances = fullIndices.map(
    (i) => toSquareMatrix(spec.covariances[i] as readonly (readonly number[])[]).values,
  );
  return assemble(
    d,
    spec.weights,
    means,
    { diagonalIndices, isotropic, variances },
    fullIndices,
    covariances,
    options,
  );
}

/**
 * Components of an empirical data set: N points, weights 1/N, zero (isotropic) covariances.
 *
 * @internal
 */
export function componentsFromData(data: Float32Array, n: number, d: number): Components {
  const indices = Array.from({ length: n }, (_, i) => i);
  return assemble(
    d,
    new Array<number>(n).fill(1 / n),
    data,
    { diagonalIndices: indices, isotropic: true, variances: new Float64Array(n) },
    [],
    [],
    {},
  );
}

function assemble(
  d: number,
  rawWeights: readonly number[],
  means: Float32Array,
  diagonal: { diagonalIndices: number[]; isotropic: boolean; variances: Float64Array },
  fullIndices: number[],
  covariances: Float64Array[],
  options: CacheOptions,
): Components {
  const k = rawWeights.length;
  const total = rawWeights.reduce((s, w) => s + w, 0);
  const weights = rawWeights.map((w) => w / total);
  const cumulativeWeights = new Float64Array(k);
  weights.reduce((s, w, i) => {
    cumulativeWeights[i] = s + w;
    return s + w;
  }, 0);
  cumulativeWeights[k - 1] = 1;
  const center = new Float64Array(d);
  weights.forEach((w, i) => {
    for (let j = 0; j < d; j++) center[j]! += w * means[i * d + j]!;
  });
  const { diagonalIndices } = diagonal;
  const kd = diagonalIndices.length;
  const centred = new Float32Array(kd * d);
  const centredTransposed = new Float32Array(kd * d);
  const centredNorms = new Float64Array(diagonalIndices.length);
  const identity = diagonalIndices.every((i, row) => i === row);
  const diagonalMeans = identity
    ? means.subarray(0, diagonalIndices.length * d)
    : Float32Array.from(diagonalIndices.flatMap((i) => Array.from(means.subarray(i * d, (i + 1) * d))));
  diagonalIndices.forEach((i, row) => {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const value = means[i * d + j]! - center[j]!;
      centred[row * d + j] = value;
      centredTransposed[j * kd + row] = value;
      norm += value * value;
    }
    centredNorms[row] = norm;
  });
  const cacheLevels = options.cacheLevels ?? DEFAULT_CACHE_LEVELS;
  if (!Number.isInteger(cacheLevels) || cacheLevels < 1) {
    throw new ValidationError(`cacheLevels must be an integer ≥ 1, got ${cacheLevels}`, { cacheLevels });
  }
  const fullMeans = new Float32Array(fullIndices.length * d);
  fullIndices.forEach((i, row) => {
    fullMeans.set(means.subarray(i * d, (i + 1) * d), row * d);
  });
  const order = [...diagonalIndices, ...fullIndices];
  const groupPosition = new Array<number>(k);
  order.forEach((i, position) => {
    groupPosition[i] = position;
  });
  return {
    dim: d,
    count: k,
    logWeights: Float64Array.from(weights, Math.log),
    cumulativeWeights,
    means,
    center,
    diagonal:
      diagonalIndices.length === 0
        ? null
        : {
            indices: diagonalIndices,
            isotropic: diagonal.isotropic,
            centred,
            centredTransposed,
            means: diagonalMeans,
            variances: diagonal.variances,
            centredNorms,
          },
    full:
      fullIndices.length === 0
        ? null
        : {
            indices: fullIndices,
            means: fullMeans,
            covariances,
            cache: new LevelCache<FullLevel>(
              cacheLevels,
              fullIndices.length * d * d * 4,
              DEFAULT_CACHE_BYTES,
            ),
          },
    groupPosition,
    minDiagonalVariance: diagonal.variances.reduce((m, v) => Math.min(m, v), Number.POSITIVE_INFINITY),
    minFullEigenvalue: new Float64Array(fullIndices.length).fill(Number.NaN),
    sampleFactors: new Map(),
  };
}

/**
 * The per-level factorisation of the full group: for every full component, the Cholesky factor of
 * C_i = a Σ_i + (1 − a) I (float64), its log-determinant and the precision C_i⁻¹ rounded to float32. Cached by level.
 *
 * @internal
 */
export function fullLevel(group: FullGroup, d: number, a: number): FullLevel {
  return group.cache.get(a, () => {
    const precision = new Float32Array(group.indices.length * d * d);
    const logDet = new Float64Array(group.indices.length);
    group.covariances.forEach((sigma, f) => {
      const c = new Float64Array(d * d);
      for (let i = 0; i < d * d; i++) c[i] = a * sigma[i]!;
      for (let i = 0; i < d; i++) c[i * d + i]! += 1 - a;
      const factor = cholesky({ order: d, values: c });
      if ('failedPivot' in factor) {
        throw new ValidationError(
          `the covariance a Σ + (1 − a) I of component ${group.indices[f]} is not positive definite at a = ${a} (pivot ${factor.failedPivot} = ${factor.pivot}); Σ must be positive definite`,
          { component: group.indices[f], a },
        );
      }
      logDet[f] = logDetFromCholesky(factor.lower, d);
      precision.set(inverseFromCholesky(factor.lower, d), f * d * d);
    });
    return { precision, logDet };
  });
}

/**
 * max_i 1/λ_min(a Σ_i + (1 − a) I) = max_i 1/(a λ_min(Σ_i) + 1 − a): an upper bound on the largest eigenvalue of
 * −∇² log p_a, since −∇² log p_a = Σ_i r_i C_i⁻¹ − Cov_r(C_i⁻¹(m_i − x)) ⪯ Σ_i r_i C_i⁻¹ (ALGORITHMS.md §5).
 *
 * @internal
 */
export function curvatureBoundOf(components: Components, a: number): number {
  let smallest = components.minDiagonalVariance;
  const full = components.full;
  if (full !== null) {
    full.covariances.forEach((sigma, f) => {
      // λ_min(Σ_i) by ml-matrix's symmetric eigensolver, once per component (O(d³)).
      if (Number.isNaN(components.minFullEigenvalue[f]!)) {
        components.minFullEigenvalue[f] = smallestEigenvalue({ order: components.dim, values: sigma });
      }
      smallest = Math.min(smallest, components.minFullEigenvalue[f]!);
    });
  }
  return 1 / (a * smallest + (1 - a));
}

/** Number of rows evaluated at once, so the [K_F, rows, d] and [rows, K] intermediates stay near 2^22 floats. */
export function rowsPerBlock(components: Components): number {
  const fullWidth = (components.full?.indices.length ?? 0) * components.dim;
  return Math.max(1, Math.floor(2 ** 22 / Math.max(1, fullWidth + components.count)));
}

/** Applies `fn` to blocks of rows of x and stacks the results (rows are independent, so this is exact). */
export function byRowBlocks<T extends tf.Tensor>(
  x: tf.Tensor2D,
  rows: number,
  fn: (block: tf.Tensor2D) => T,
): T {
  const n = x.shape[0];
  if (n <= rows) return fn(x);
  return tf.tidy(() => {
    const parts: T[] = [];
    for (let start = 0; start < n; start += rows) {
      const size = Math.min(rows, n - start);
      parts.push(fn(tf.slice(x, [start, 0], [size, x.shape[1]])));
    }
    return tf.concat(parts, 0) as T;
  });
}
