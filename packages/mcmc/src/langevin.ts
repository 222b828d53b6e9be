/**
 * The Langevin proposal shared by ULA, MALA and score-only MALA (ALGORITHMS.md §4):
 *   x' = x + τ ∇log π(x) + sqrt(2τ) ξ,   log q(x'|x) = −‖x' − x − τ ∇log π(x)‖² / (4τ)   (up to a constant).
 * `tau` is a scalar or a column [n, 1] (per-chain step sizes, see `stepSizeTensor`).
 */
import {
  type Rng,
  residualRowSums,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tf,
} from '@rtk-diffusion/tensor';
import type { StepSize } from './types.js';

/** x + τ g + sqrt(2τ) ξ. */
export function langevinProposal(x: Tensor2D, grad: Tensor2D, tau: Tensor, noise: Tensor2D): Tensor2D {
  return tf.tidy(() => tf.add(tf.add(x, tf.mul(tau, grad)), tf.mul(tf.sqrt(tf.mul(tau, 2)), noise)));
}

/**
 * x + τ g + sqrt(2τ) ξ with ξ = `rng.normal([n, d])`, bit for bit `langevinProposal(x, grad, tau, rng.normal([n, d]))`.
 * For a shared τ it is one fused pass that draws ξ inside (`Rng.noisyUpdate`: the float32 operations of the tfjs ops,
 * τ and sqrt(2τ) rounded to float32 as the scalar tensors are); per-chain step sizes take the tensor ops. `tau` is
 * `stepSizeTensor(stepSize)`.
 */
export function drawLangevinProposal(
  x: Tensor2D,
  grad: Tensor2D,
  stepSize: StepSize,
  tau: Tensor,
  rng: Rng,
): Tensor2D {
  if (typeof stepSize !== 'number')
    return langevinProposal(x, grad, tau, rng.normal([x.shape[0], x.shape[1]]));
  const rounded = Math.fround(stepSize);
  return rng.noisyUpdate(x, {
    drift: grad,
    driftScale: rounded,
    noiseScale: Math.sqrt(Math.fround(rounded * 2)),
  });
}

/**
 * log q(to | from) = −‖to − from − τ ∇log π(from)‖² / (4τ), row by row: [n]. For a shared τ on the wasm and cpu
 * backends the row sums are one fused kernel (`residualRowSums` of @rtk-diffusion/tensor: the same bits as the ops).
 */
export function langevinLogProposal(to: Tensor2D, from: Tensor2D, gradFrom: Tensor2D, tau: Tensor): Tensor1D {
  return tf.tidy(() => {
    if (tau.rank === 0) {
      const t = tau.dataSync()[0]!;
      const sums = residualRowSums(to, from, { c: gradFrom, cScale: t, divisor: t * 4 });
      if (sums !== null) return tf.neg(sums);
    }
    const residual = tf.sub(tf.sub(to, from), tf.mul(tau, gradFrom));
    return tf.neg(tf.sum(tf.div(tf.square(residual), tf.mul(tau, 4)), 1));
  });
}
