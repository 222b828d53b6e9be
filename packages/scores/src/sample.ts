/**
 * Exact samples of p_0 = Σ_i w_i N(μ_i, Σ_i), row-keyed: row j uses only row j of one uniform draw [n, 1] (the
 * component, by inverse CDF of the weights) and of one normal draw [n, d] (x = μ_i + L_i z with L_i L_iᵀ = Σ_i), so
 * a batch drawn in parts with `rng.atRows` equals the batch drawn at once.
 */
import { type Rng, tf } from '@rtk-diffusion/tensor';
import type { Components } from './components.js';
import { cholesky } from './linalg.js';

/** @internal */
export function sampleComponents(components: Components, n: number, rng: Rng): tf.Tensor2D {
  const { dim: d, count: k, cumulativeWeights } = components;
  const u = rng.uniformArray(n, 1);
  const z = rng.normalArray(n, d);
  const chosen = new Int32Array(n);
  for (let row = 0; row < n; row++) {
    // Smallest i with u ≤ w_1 + … + w_i (binary search; the last cumulative weight is exactly 1).
    let [low, high] = [0, k - 1];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (u[row]! <= cumulativeWeights[mid]!) high = mid;
      else low = mid + 1;
    }
    chosen[row] = low;
  }
  return tf.tidy(() => {
    const noise = tf.tensor2d(z, [n, d]);
    const index = tf.tensor1d(chosen, 'int32');
    let out: tf.Tensor2D = tf.gather(tf.tensor2d(components.means, [k, d]), index);
    const diagonal = components.diagonal;
    if (diagonal !== null) {
      // Standard deviations of every component (0 for full ones), gathered per row.
      const width = diagonal.isotropic ? 1 : d;
      const deviations = new Float32Array(k * width);
      diagonal.indices.forEach((i, row) => {
        for (let j = 0; j < width; j++)
          deviations[i * width + j] = Math.sqrt(diagonal.variances[row * width + j]!);
      });
      const perRow = tf.gather(tf.tensor2d(deviations, [k, width]), index);
      out = tf.add(out, tf.mul(perRow, noise));
    }
    const full = components.full;
    if (full !== null) {
      full.indices.forEach((i, f) => {
        if (!chosen.includes(i)) return;
        const lower = sampleFactor(components, i, full.covariances[f]!);
        const mask = tf.reshape(tf.cast(tf.equal(index, i), 'float32'), [n, 1]);
        out = tf.add(out, tf.mul(mask, tf.matMul(noise, tf.tensor2d(lower, [d, d]), false, true)));
      });
    }
    return out;
  });
}

/** Cholesky factor of Σ_i in float32, computed once per component. */
function sampleFactor(components: Components, i: number, sigma: Float64Array): Float32Array {
  const cached = components.sampleFactors.get(i);
  if (cached !== undefined) return cached;
  const factor = cholesky({ order: components.dim, values: sigma });
  if ('failedPivot' in factor) throw new Error(`component ${i}: Σ is not positive definite`); // validated before
  const lower = Float32Array.from(factor.lower);
  components.sampleFactors.set(i, lower);
  return lower;
}
