/**
 * The Metropolis–Hastings accept/reject decision, row by row (ALGORITHMS.md §4): accept the proposal of chain i when
 * log u_i < log ratio_i with u_i ~ U(0, 1), so with probability α_i = min(1, exp(log ratio_i)). A NaN ratio (an
 * ∞ − ∞, a NaN gradient, …) counts as rejection.
 */
import { type Tensor1D, tf } from '@rtk-diffusion/tensor';

/** Per-chain acceptance probability and decision from the log ratio and one uniform per chain. */
export interface MetropolisDecision {
  /** α = min(1, exp(log ratio)), 0 where the ratio is NaN: [n]. */
  readonly acceptance: Tensor1D;
  /** 1 where accepted, 0 where rejected (float32): [n]. */
  readonly accepted: Tensor1D;
}

/** log α = min(0, log ratio) with NaN → −∞. */
export function logAcceptance(logRatio: Tensor1D): Tensor1D {
  return tf.tidy(() => {
    const safe = tf.where(tf.isNaN(logRatio), tf.fill(logRatio.shape, -Infinity), logRatio);
    return tf.minimum(safe, 0);
  });
}

/** Decides every chain: `uniform` holds one U(0, 1) draw per chain. */
export function metropolisDecision(logRatio: Tensor1D, uniform: Tensor1D): MetropolisDecision {
  return tf.tidy(() => {
    const logAlpha = logAcceptance(logRatio);
    return {
      acceptance: tf.exp(logAlpha),
      accepted: tf.cast(tf.less(tf.log(uniform), logAlpha), 'float32') as Tensor1D,
    };
  });
}
