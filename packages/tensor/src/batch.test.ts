import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { assertBatch, rowDot, rowLogSumExp, rowSquaredNorms } from './batch.js';
import { ShapeError } from './errors.js';
import { createRng } from './rng.js';
import { expectNoTensorLeak } from './testing.js';

const value = fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true });
const matrix = fc
  .record({ n: fc.integer({ min: 1, max: 8 }), d: fc.integer({ min: 1, max: 8 }) })
  .chain(({ n, d }) =>
    fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
  );

/** float32 relative tolerance for sums of a few terms: a handful of ulps of the largest magnitude involved. */
function close(actual: number, expected: number, scale: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
}

describe('row helpers agree with direct float64 computation', () => {
  test.prop([matrix])('rowSquaredNorms', async (rows) => {
    const x = tf.tensor2d(rows);
    const result = rowSquaredNorms(x);
    const values = await result.data();
    rows.forEach((row, i) => {
      const expected = row.reduce((s, v) => s + v * v, 0);
      close(values[i]!, expected, expected);
    });
    tf.dispose([x, result]);
  });

  test.prop([matrix])('rowDot of a batch with itself reversed', async (rows) => {
    const other = rows.map((row) => [...row].reverse());
    const x = tf.tensor2d(rows);
    const y = tf.tensor2d(other);
    const result = rowDot(x, y);
    const values = await result.data();
    rows.forEach((row, i) => {
      const expected = row.reduce((s, v, j) => s + v * other[i]![j]!, 0);
      const scale = row.reduce((s, v) => s + v * v, 0);
      close(values[i]!, expected, scale);
    });
    tf.dispose([x, y, result]);
  });

  test.prop([matrix, fc.double({ min: -1000, max: 1000, noNaN: true })])(
    'rowLogSumExp, also when every entry is shifted by a large constant',
    async (rows, shift) => {
      const shifted = rows.map((row) => row.map((v) => v + shift));
      const x = tf.tensor2d(shifted);
      const result = rowLogSumExp(x);
      const values = await result.data();
      shifted.forEach((row, i) => {
        const max = Math.max(...row);
        const expected = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        // Inputs are rounded to float32 first: error ≈ ulp(|max|) plus a few ulps of log(d).
        close(values[i]!, expected, Math.abs(max) * 10);
      });
      tf.dispose([x, result]);
    },
  );
});

describe('rowLogSumExp edge cases', () => {
  test('a row of −∞ gives −∞, a row with one finite entry gives that entry', async () => {
    const x = tf.tensor2d([
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [Number.NEGATIVE_INFINITY, 3],
    ]);
    const result = rowLogSumExp(x);
    expect([...(await result.data())]).toEqual([Number.NEGATIVE_INFINITY, 3]);
    tf.dispose([x, result]);
  });

  test('does not overflow for entries near the float32 maximum', async () => {
    const x = tf.tensor2d([[1e38, 1e38]]);
    const result = rowLogSumExp(x);
    expect(Number.isFinite((await result.data())[0])).toBe(true);
    tf.dispose([x, result]);
  });
});

describe('assertBatch', () => {
  test('accepts a float32 batch and returns it', () => {
    const x = tf.zeros([3, 2]);
    expect(assertBatch(x, 2)).toBe(x);
    x.dispose();
  });

  test.each([
    ['rank 1', () => tf.zeros([3]), undefined, /shape \[n, d\], got shape \[3\]/],
    ['rank 3', () => tf.zeros([1, 2, 3]), undefined, /got shape \[1, 2, 3\]/],
    ['wrong columns', () => tf.zeros([4, 3]), 2, /must have 2 columns/],
    ['int32', () => tf.zeros([4, 2], 'int32'), 2, /dtype float32/],
  ] as const)('rejects %s with a ShapeError', (_label, make, d, message) => {
    const x = make();
    expect(() => assertBatch(x, d)).toThrow(ShapeError);
    expect(() => assertBatch(x, d)).toThrow(message);
    x.dispose();
  });

  test('rejects non-tensors', () => {
    expect(() => assertBatch([[1, 2]] as unknown as tf.Tensor)).toThrow(/must be a tf.Tensor.*got an array/);
  });

  test('rowDot rejects mismatched batches', () => {
    const x = tf.zeros([3, 2]);
    const y = tf.zeros([4, 2]);
    expect(() => rowDot(x as tf.Tensor2D, y as tf.Tensor2D)).toThrow(ShapeError);
    tf.dispose([x, y]);
  });
});

describe('no leaks', () => {
  test('the helpers dispose their intermediates', async () => {
    const x = createRng(1).normal([20, 5]);
    await expectNoTensorLeak(() => {
      tf.dispose([rowSquaredNorms(x), rowDot(x, x), rowLogSumExp(x)]);
    });
    x.dispose();
  });
});
