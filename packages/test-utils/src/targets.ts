/**
 * Small exact targets for tests of kernels and samplers: a Gaussian with full covariance and a mixture of isotropic
 * Gaussians. Each has an exact normalised log-density, its gradient, exact samples and its moments. They know nothing
 * of diffusion (the `scores` package has the noised, level-dependent versions).
 */
import { type Rng, tf } from '@rtk-diffusion/tensor';

/** A target with everything a test needs to know. */
export interface ExactTarget {
  readonly dim: number;
  /** ∇ log π(x), row by row: [n, d] → [n, d]. */
  grad(x: tf.Tensor2D): tf.Tensor2D;
  /** log π(x), normalised, row by row: [n, d] → [n]. */
  logDensity(x: tf.Tensor2D): tf.Tensor1D;
  /** n exact samples. */
  sample(n: number, rng: Rng): tf.Tensor2D;
  readonly mean: readonly number[];
  readonly covariance: readonly (readonly number[])[];
  /** Largest eigenvalue of −∇² log π where it is known (Gaussian: 1/λ_min(Σ)). */
  readonly smoothness?: number;
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (float64). */
export function cholesky(matrix: readonly (readonly number[])[]): number[][] {
  const d = matrix.length;
  const lower = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = matrix[i]![j]!;
      for (let k = 0; k < j; k++) s -= lower[i]![k]! * lower[j]![k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('cholesky: matrix is not positive definite');
        lower[i]![i] = Math.sqrt(s);
      } else {
        lower[i]![j] = s / lower[j]![j]!;
      }
    }
  }
  return lower;
}

/** Inverse of a symmetric positive-definite matrix through its Cholesky factor (float64). */
export function inverseSpd(matrix: readonly (readonly number[])[]): number[][] {
  const d = matrix.length;
  const lower = cholesky(matrix);
  const inverse = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let col = 0; col < d; col++) {
    const y = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= lower[i]![k]! * y[k]!;
      y[i] = s / lower[i]![i]!;
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < d; k++) s -= lower[k]![i]! * inverse[k]![col]!;
      inverse[i]![col] = s / lower[i]![i]!;
    }
  }
  return inverse;
}

/** N(mean, covariance) with full covariance. */
export function gaussianTarget(spec: {
  mean: readonly number[];
  covariance: readonly (readonly number[])[];
}): ExactTarget {
  const d = spec.mean.length;
  const lower = cholesky(spec.covariance);
  const precision = inverseSpd(spec.covariance);
  const logDet = 2 * lower.reduce((s, row, i) => s + Math.log(row[i]!), 0);
  const logNormaliser = -0.5 * (d * Math.log(2 * Math.PI) + logDet);
  const meanRow = () => tf.tensor2d([...spec.mean], [1, d]);
  const precisionTensor = () => tf.tensor2d(precision.flat(), [d, d]);
  // Smallest eigenvalue of Σ by inverse power iteration on the precision (largest eigenvalue of Σ⁻¹).
  let v = new Array<number>(d).fill(1 / Math.sqrt(d));
  let lambda = 0;
  for (let it = 0; it < 500; it++) {
    const w = precision.map((row) => row.reduce((s, p, k) => s + p * v[k]!, 0));
    lambda = Math.sqrt(w.reduce((s, x) => s + x * x, 0));
    v = w.map((x) => x / lambda);
  }
  return {
    dim: d,
    mean: spec.mean,
    covariance: spec.covariance,
    smoothness: lambda,
    grad: (x) => tf.tidy(() => tf.neg(tf.matMul(tf.sub(x, meanRow()), precisionTensor()))),
    logDensity: (x) =>
      tf.tidy(() => {
        const centred = tf.sub(x, meanRow());
        const quadratic = tf.sum(tf.mul(tf.matMul(centred, precisionTensor()), centred), 1);
        return tf.add(tf.mul(quadratic, -0.5), logNormaliser) as tf.Tensor1D;
      }),
    sample: (n, rng) =>
      tf.tidy(() => {
        const z = tf.tensor2d(rng.normalArray(n, d), [n, d]);
        return tf.add(tf.matMul(z, tf.tensor2d(lower.flat(), [d, d]), false, true), meanRow());
      }),
  };
}

/** Σ_i w_i N(μ_i, v I): a mixture of isotropic Gaussians with a common variance. */
export function isotropicMixtureTarget(spec: {
  weights: readonly number[];
  means: readonly (readonly number[])[];
  variance: number;
}): ExactTarget {
  const k = spec.weights.length;
  const d = spec.means[0]!.length;
  const total = spec.weights.reduce((s, w) => s + w, 0);
  const weights = spec.weights.map((w) => w / total);
  const v = spec.variance;
  const means = () => tf.tensor2d(spec.means.flat(), [k, d]);
  const logWeights = () => tf.tensor1d(weights.map((w) => Math.log(w) - 0.5 * d * Math.log(2 * Math.PI * v)));
  /** log w_i + log N(x; μ_i, vI) for every row and component: [n, k]. */
  const componentLogits = (x: tf.Tensor2D) =>
    tf.tidy(() => {
      const mu = means();
      const squared = tf.add(
        tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(tf.matMul(x, mu, false, true), 2)),
        tf.reshape(tf.sum(tf.square(mu), 1), [1, k]),
      );
      return tf.add(tf.mul(squared, -0.5 / v), logWeights());
    });
  const mixtureMean = new Array<number>(d).fill(0);
  weights.forEach((w, i) => {
    for (let j = 0; j < d; j++) mixtureMean[j]! += w * spec.means[i]![j]!;
  });
  const covariance = Array.from({ length: d }, (_, a) =>
    Array.from({ length: d }, (_, b) => {
      let s = a === b ? v : 0;
      weights.forEach((w, i) => {
        s += w * (spec.means[i]![a]! - mixtureMean[a]!) * (spec.means[i]![b]! - mixtureMean[b]!);
      });
      return s;
    }),
  );
  const cumulative = weights.map((_, i) => weights.slice(0, i + 1).reduce((s, w) => s + w, 0));
  return {
    dim: d,
    mean: mixtureMean,
    covariance,
    logDensity: (x) => tf.tidy(() => tf.logSumExp(componentLogits(x), 1) as tf.Tensor1D),
    grad: (x) =>
      tf.tidy(() => {
        const responsibilities = tf.softmax(componentLogits(x));
        return tf.div(tf.sub(tf.matMul(responsibilities, means()), x), v) as tf.Tensor2D;
      }),
    sample: (n, rng) => {
      const u = rng.uniformArray(n, 1);
      const z = rng.normalArray(n, d);
      const out = new Float32Array(n * d);
      for (let i = 0; i < n; i++) {
        const component = Math.min(
          k - 1,
          cumulative.findIndex((c) => u[i]! <= c),
        );
        const mu = spec.means[component < 0 ? k - 1 : component]!;
        for (let j = 0; j < d; j++) out[i * d + j] = mu[j]! + Math.sqrt(v) * z[i * d + j]!;
      }
      return tf.tensor2d(out, [n, d]);
    },
  };
}

/**
 * Central finite-difference gradient of a row-wise scalar function f: [n, d] → [n], in float32:
 * (f(x + h e_j) − f(x − h e_j)) / 2h for every column j. Error O(h²) plus float32 rounding ≈ ε·|f|/h.
 */
export function finiteDifferenceGradient(
  f: (x: tf.Tensor2D) => tf.Tensor1D,
  x: tf.Tensor2D,
  h = 1e-2,
): tf.Tensor2D {
  return tf.tidy(() => {
    const d = x.shape[1];
    const columns: tf.Tensor[] = [];
    for (let j = 0; j < d; j++) {
      const unit = new Float32Array(d);
      unit[j] = h;
      const step = tf.tensor2d(unit, [1, d]);
      const forward = f(tf.add(x, step) as tf.Tensor2D);
      const backward = f(tf.sub(x, step) as tf.Tensor2D);
      columns.push(tf.div(tf.sub(forward, backward), 2 * h));
    }
    return tf.stack(columns, 1) as tf.Tensor2D;
  });
}
