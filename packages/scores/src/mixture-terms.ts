/**
 * The mixture at level a as matrix products (ALGORITHMS.md §3): per-component log-weights plus normalised Gaussian
 * log-densities (the logits, [n, K]), and the score Σ_i r_i C_i⁻¹ (m_i − x) for given responsibilities r.
 *
 * Diagonal group (C_i = diag(c_i), c_ij = a Σ_ij + 1 − a, P_ij = 1/c_ij), with x and the means centred on sqrt(a) μ̄
 * in the logits:
 *   logit_i = log w_i − ½ Σ_j log(2π c_ij) − ½ Σ_j P_ij (x_j − m_ij)²
 *           = const_i + [x (M∘P)ᵀ]_i − ½ [x² Pᵀ]_i,       score = sqrt(a) r (M∘P) − x ∘ (r P)
 * (isotropic: x² Pᵀ = ‖x‖² p and r P = r p, one product fewer). Full group, one product per component:
 *   Y_i = x − m_i,  Z_i = Y_i C_i⁻¹,  logit_i = log w_i − ½ (d log 2π + log det C_i) − ½ rowsum(Z_i ∘ Y_i),
 *   score = −Σ_i r_i Z_i.
 * Call inside `tf.tidy`: the returned tensors and the closure's captures are intermediates of the caller's tidy.
 */
import { tf } from '@rtk-diffusion/tensor';
import { type Components, type DiagonalGroup, type FullGroup, fullLevel, LOG_TWO_PI } from './components.js';

/** Logits in group order (diagonal components first, then full) and the score for responsibilities in that order. */
export interface MixtureTerms {
  readonly logits: tf.Tensor2D;
  combine(responsibilities: tf.Tensor2D): tf.Tensor2D;
}

interface GroupTerms {
  readonly logits: tf.Tensor2D;
  combine(responsibilities: tf.Tensor2D): tf.Tensor2D;
}

/**
 * The logits and the score combiner of all components at level a for the rows x (call inside `tf.tidy`).
 *
 * @internal
 */
export function mixtureTerms(components: Components, x: tf.Tensor2D, a: number): MixtureTerms {
  const parts: GroupTerms[] = [];
  if (components.diagonal !== null) parts.push(diagonalTerms(components, components.diagonal, x, a));
  if (components.full !== null) parts.push(fullTerms(components, components.full, x, a));
  if (parts.length === 1) return parts[0]!;
  const [first, second] = [parts[0]!, parts[1]!];
  const split = first.logits.shape[1];
  return {
    logits: tf.concat([first.logits, second.logits], 1),
    combine: (r) => {
      const n = r.shape[0];
      const left = first.combine(tf.slice(r, [0, 0], [n, split]));
      return tf.add(left, second.combine(tf.slice(r, [0, split], [n, r.shape[1] - split])));
    },
  };
}

function diagonalTerms(components: Components, group: DiagonalGroup, x: tf.Tensor2D, a: number): GroupTerms {
  const d = components.dim;
  const k = group.indices.length;
  const rootA = Math.sqrt(a);
  const oneMinusRootA = (1 - a) / (1 + rootA); // 1 − sqrt(a), without cancellation near a = 1
  const xc = tf.sub(
    x,
    tf.tensor2d(
      Float32Array.from(components.center, (v) => rootA * v),
      [1, d],
    ),
  );
  const constant = new Float32Array(k);
  // Score from A = r P and B = r (P∘M): with μ̃ = B / A (a weighted average of the means),
  // Σ_i r_i P_i ∘ (sqrt(a) μ_i − x) = A ∘ ((μ̃ − x) − (1 − sqrt(a)) μ̃), which keeps float32 accuracy when P is
  // huge (an empirical model near a = 1), where A ∘ sqrt(a) μ̃ − A ∘ x would cancel catastrophically.
  const score = (weights: tf.Tensor, average: tf.Tensor2D) =>
    tf.mul(weights, tf.sub(tf.sub(average, x), tf.mul(average, oneMinusRootA))) as tf.Tensor2D;
  if (group.isotropic) {
    const precision = new Float32Array(k);
    const crossScale = new Float32Array(k);
    const negativeHalfPrecision = new Float32Array(k);
    group.indices.forEach((i, row) => {
      const c = a * group.variances[row]! + (1 - a);
      const p = 1 / c;
      precision[row] = p;
      crossScale[row] = rootA * p;
      negativeHalfPrecision[row] = -0.5 * p;
      constant[row] =
        components.logWeights[i]! -
        0.5 * d * (LOG_TWO_PI + Math.log(c)) -
        0.5 * a * p * group.centredNorms[row]!;
    });
    // Untransposed product with the cached [d, K] matrix; the per-component scales act on [n, K], not [n, d].
    const cross = tf.matMul(xc, tf.tensor2d(group.centredTransposed, [d, k]));
    const norms = tf.sum(tf.square(xc), 1, true);
    const logits = tf.add(
      tf.add(
        tf.mul(cross, tf.tensor2d(crossScale, [1, k])),
        tf.mul(norms, tf.tensor2d(negativeHalfPrecision, [1, k])),
      ),
      tf.tensor2d(constant, [1, k]),
    );
    return {
      logits: logits as tf.Tensor2D,
      combine: (r) => {
        // A = Σ_i r_i p_i is one number per row: normalise the [n, K] weights (μ̃ = (r p / A) M) instead of
        // dividing the [n, d] product. Where A = 0 (all responsibility in the other group) the weights are 0.
        const weighted = tf.mul(r, tf.tensor2d(precision, [1, k]));
        const total = tf.sum(weighted, 1, true);
        const average = tf.matMul(
          tf.div(weighted, tf.maximum(total, 1e-30)),
          tf.tensor2d(group.means, [k, d]),
        ) as tf.Tensor2D;
        return score(total, average);
      },
    };
  }
  // Diagonal: the logits keep the transposed products x (M∘P)ᵀ and x² Pᵀ. The untransposed (XNNPACK) product is
  // 5–10× faster on wasm but accumulates the d terms with ≈ 2× the float32 error, which the d = 784 float64 check of
  // numerics.test.ts does not allow for the log-density here (its terms reach 10^4 and cancel).
  const precision = new Float32Array(k * d);
  const scaledCentred = new Float32Array(k * d);
  const scaledMeans = new Float32Array(k * d);
  group.indices.forEach((i, row) => {
    let logDet = 0;
    let quadratic = 0;
    for (let j = 0; j < d; j++) {
      const c = a * group.variances[row * d + j]! + (1 - a);
      const p = 1 / c;
      const centredMean = rootA * group.centred[row * d + j]!;
      precision[row * d + j] = p;
      scaledCentred[row * d + j] = centredMean * p;
      scaledMeans[row * d + j] = group.means[row * d + j]! * p;
      logDet += Math.log(c);
      quadratic += p * centredMean * centredMean;
    }
    constant[row] = components.logWeights[i]! - 0.5 * (d * LOG_TWO_PI + logDet) - 0.5 * quadratic;
  });
  const pMatrix = tf.tensor2d(precision, [k, d]);
  const logits = tf.add(
    tf.sub(
      tf.matMul(xc, tf.tensor2d(scaledCentred, [k, d]), false, true),
      tf.mul(tf.matMul(tf.square(xc), pMatrix, false, true), 0.5),
    ),
    tf.tensor2d(constant, [1, k]),
  );
  return {
    logits: logits as tf.Tensor2D,
    combine: (r) => {
      const weights = tf.matMul(r, pMatrix);
      // Where A = 0 (every responsibility in the other group, or underflowed) B = 0 too: dividing by max(A, 1e−30)
      // gives 0 instead of 0/0. (tf.divNoNan would do the same but is ≈ 40× slower than div on wasm.)
      const average = tf.div(
        tf.matMul(r, tf.tensor2d(scaledMeans, [k, d])),
        tf.maximum(weights, 1e-30),
      ) as tf.Tensor2D;
      return score(weights, average);
    },
  };
}

function fullTerms(components: Components, group: FullGroup, x: tf.Tensor2D, a: number): GroupTerms {
  const d = components.dim;
  const k = group.indices.length;
  const level = fullLevel(group, d, a);
  const oneMinusRootA = (1 - a) / (1 + Math.sqrt(a));
  // One 2-D product per component: on wasm a loop of 2-D matMuls (XNNPACK) is ≈ 13× faster than one batched
  // [K, n, d] × [K, d, d] product (measured at n = 1000, d = 784, K = 10).
  const z: tf.Tensor2D[] = [];
  const mahalanobis: tf.Tensor1D[] = [];
  for (let f = 0; f < k; f++) {
    // Y = x − sqrt(a) μ = (x − μ) + (1 − sqrt(a)) μ, accurate near a = 1.
    const mean = tf.tensor2d(group.means.subarray(f * d, (f + 1) * d), [1, d]);
    const y = tf.add(tf.sub(x, mean), tf.mul(mean, oneMinusRootA));
    const precision = tf.tensor2d(level.precision.subarray(f * d * d, (f + 1) * d * d), [d, d]);
    const zf = tf.matMul(y, precision) as tf.Tensor2D;
    z.push(zf);
    mahalanobis.push(tf.sum(tf.mul(zf, y), 1));
  }
  const constant = Float32Array.from(
    group.indices,
    (i, f) => components.logWeights[i]! - 0.5 * (d * LOG_TWO_PI + level.logDet[f]!),
  );
  const logits = tf.add(tf.mul(tf.stack(mahalanobis, 1), -0.5), tf.tensor2d(constant, [1, k])) as tf.Tensor2D;
  return {
    logits,
    combine: (r) => {
      const columns = tf.split(r, k, 1);
      return tf.neg(tf.addN(z.map((zf, f) => tf.mul(columns[f]!, zf)))) as tf.Tensor2D;
    },
  };
}
