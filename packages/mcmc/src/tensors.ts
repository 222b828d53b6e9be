/**
 * Tensor plumbing shared by the kernels: tidy for records of tensors, disposal of states and infos, row selection
 * and the per-step summary read back from the backend (one synchronisation per step).
 */
import { type Tensor, type Tensor1D, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import type { KernelInfo } from './types.js';

/** `tf.tidy` for a function returning a record (state, info) that holds tensors and plain values. */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** Disposes every tensor among the values of a record, recursing into nested plain records (not into arrays). */
export function disposeTensors(record: object): void {
  for (const value of Object.values(record)) {
    if (value instanceof tf.Tensor) value.dispose();
    else if (
      value !== null &&
      typeof value === 'object' &&
      !ArrayBuffer.isView(value) &&
      !Array.isArray(value)
    ) {
      disposeTensors(value);
    }
  }
}

/**
 * Disposes the tensors of a step's diagnostics (`acceptance`, `accepted`, …). The caller of `step` owns them; `run`
 * disposes them after `onStep` returns.
 */
export function disposeInfo(info: KernelInfo): void {
  disposeTensors(info);
}

/** Row i of the result is row i of `whereTrue` where `mask[i]` is 1, else row i of `whereFalse`. */
export function selectRows<T extends Tensor>(mask: Tensor1D, whereTrue: T, whereFalse: T): T {
  return tf.tidy(() => {
    const condition = tf.cast(mask, 'bool');
    if (whereTrue.rank === 1) return tf.where(condition, whereTrue, whereFalse);
    const column = tf.reshape(condition, [mask.shape[0], 1]);
    return tf.where(tf.broadcastTo(column, whereTrue.shape), whereTrue, whereFalse);
  }) as T;
}

/** Number of rows of x with a non-finite coordinate, as a scalar tensor. */
export function nonFiniteRows(x: Tensor2D): Tensor {
  return tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.all(tf.isFinite(x), 1)), 'float32')));
}

/** Reads scalar tensors back in one synchronisation. */
export function readScalars(scalars: readonly Tensor[]): number[] {
  return Array.from(tf.tidy(() => tf.stack(scalars.map((s) => tf.reshape(s, []))).dataSync()));
}
