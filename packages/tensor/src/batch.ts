/**
 * Row-wise helpers on batches: a batch is a float32 `Tensor2D` of shape [n, d], one sample per row. Each helper
 * returns a new tensor and disposes its intermediates.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors.js';

/**
 * Checks that `x` is a float32 batch [n, d] (with `d` columns when given) and returns it typed as `Tensor2D`.
 *
 * @param x - the tensor to check.
 * @param d - the expected number of columns, if known.
 * @param name - how to call `x` in the error message.
 * @throws {@link ShapeError} when the rank, the column count or the dtype is wrong.
 */
export function assertBatch(x: tf.Tensor, d?: number, name = 'x'): tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) {
    throw new ShapeError(`${name} must be a tf.Tensor of shape [n, d], got ${describe(x)}`);
  }
  if (x.rank !== 2) {
    throw new ShapeError(`${name} must be a batch of shape [n, d], got shape [${x.shape.join(', ')}]`, {
      shape: x.shape,
    });
  }
  if (d !== undefined && x.shape[1] !== d) {
    throw new ShapeError(
      `${name} must have ${d} columns (the model's dimension), got shape [${x.shape.join(', ')}]`,
      {
        shape: x.shape,
        expected: d,
      },
    );
  }
  if (x.dtype !== 'float32') {
    throw new ShapeError(`${name} must have dtype float32, got ${x.dtype}`, { dtype: x.dtype });
  }
  return x as tf.Tensor2D;
}

/** ‖x_i‖² for every row i of a batch [n, d]: a `Tensor1D` of length n. */
export function rowSquaredNorms(x: tf.Tensor2D): tf.Tensor1D {
  assertBatch(x);
  return tf.tidy(() => tf.sum(tf.square(x), 1));
}

/** ⟨x_i, y_i⟩ for every row i of two batches of the same shape: a `Tensor1D` of length n. */
export function rowDot(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  assertBatch(x);
  assertBatch(y, x.shape[1], 'y');
  if (y.shape[0] !== x.shape[0]) {
    throw new ShapeError(`rowDot: x and y must have the same rows, got [${x.shape}] and [${y.shape}]`);
  }
  return tf.tidy(() => tf.sum(tf.mul(x, y), 1));
}

/**
 * log Σ_j exp(x_ij) for every row i, computed stably (the row maximum is subtracted first). A row of −∞ gives −∞.
 */
export function rowLogSumExp(x: tf.Tensor2D): tf.Tensor1D {
  assertBatch(x);
  return tf.tidy(() => {
    const rowMax = tf.max(x, 1, true);
    // A row that is all −∞ has max −∞; shifting by 0 instead keeps it at −∞ without producing NaN.
    const shift = tf.where(tf.isFinite(rowMax), rowMax, tf.zerosLike(rowMax));
    const summed = tf.log(tf.sum(tf.exp(tf.sub(x, shift)), 1, true));
    return tf.reshape(tf.add(summed, shift), [x.shape[0]]);
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
