/**
 * Tensor plumbing shared by the kernels: tidy for records of tensors, disposal of states and infos, row selection
 * and the per-step summary read back from the backend (one synchronisation per step).
 */
import {
  knownNonFiniteRows,
  selectRowsOnHost,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tf,
} from '@rtk-diffusion/tensor';
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

/**
 * Row i of the result is row i of `whereTrue` where `mask[i]` ≠ 0, else row i of `whereFalse`, exactly (a copy of
 * the chosen row, bit for bit: a NaN in the row not chosen never reaches the result).
 *
 * The 0/1 row mask is spread to the full shape by an outer product with a row of ones, [n, 1] × [1, d] (exact:
 * one product of 0 or 1 by 1 per entry), and the selection is one `Select` kernel. Measured against the alternatives
 * (src/bench/select-rows.ts, numbers in the README): `tf.broadcastTo` (what `tf.where` does for a lower-rank
 * condition) runs wasm's `Tile` kernel, which took 67–81 % of RTK-MALA's kernel time (apps/bench/PERFORMANCE.md); a
 * broadcasting product [n, 1] · [1, d] is as fast on wasm but 3–8× slower than `Tile` on cpu (its broadcast loop
 * computes indices per entry); `matMul` is fast on both. Not `tf.where` with the rank-1 mask: tfjs-core 4.22
 * broadcasts it along the last axis (an error for n ≠ d, the wrong axis for n = d), and the `Select` kernel's own
 * rank-1 path copies the wrong elements on cpu and wasm. Not arithmetic masking (m·a + (1 − m)·b): 0·NaN is NaN.
 * On the wasm and cpu backends `selectRowsOnHost` of @rtk-diffusion/tensor copies the rows instead (no tfjs kernel).
 */
export function selectRows<T extends Tensor>(mask: Tensor1D, whereTrue: T, whereFalse: T): T {
  // On wasm and cpu (float32): one row-copying kernel of @rtk-diffusion/tensor on the tensors' memory, the same bits,
  // which also counts the non-finite rows for `nonFiniteRows`.
  const onHost = selectRowsOnHost(mask, whereTrue, whereFalse);
  if (onHost !== null) return onHost;
  return tf.tidy(() => {
    const chosen = tf.notEqual(mask, 0);
    if (whereTrue.rank === 1) return tf.where(chosen, whereTrue, whereFalse);
    const rows = whereTrue.shape[0]!;
    const column = tf.reshape(tf.cast(chosen, 'float32'), [rows, 1]);
    const spread = tf.matMul(column, tf.ones([1, whereTrue.size / rows]));
    const condition = tf.reshape(tf.cast(spread, 'bool'), whereTrue.shape);
    return tf.where(condition, whereTrue, whereFalse);
  }) as T;
}

/** Number of rows of x with a non-finite coordinate, as a scalar tensor. */
export function nonFiniteRows(x: Tensor2D): Tensor {
  // Counted already when the row selection wrote x.
  const known = knownNonFiniteRows(x);
  if (known !== undefined) return tf.scalar(known);
  return tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.all(tf.isFinite(x), 1)), 'float32')));
}

/** Reads scalar tensors back in one synchronisation. */
export function readScalars(scalars: readonly Tensor[]): number[] {
  return Array.from(tf.tidy(() => tf.stack(scalars.map((s) => tf.reshape(s, []))).dataSync()));
}
