import { createRng, isRtkError, ShapeError, tf, ValidationError } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, test } from 'vitest';
import { NonFiniteSampleError, readPair, readSamples, subsample } from './samples.js';

const rows = [
  [1, 2],
  [3, 4],
  [5, 6],
];

describe('readSamples', () => {
  test('a tensor, rows and row-major arrays give the same host sample', async () => {
    const x = tf.tensor2d(rows);
    const inputs = [
      x,
      rows,
      { values: [1, 2, 3, 4, 5, 6], d: 2 },
      { values: Float32Array.of(1, 2, 3, 4, 5, 6), d: 2 },
      { values: Float64Array.of(1, 2, 3, 4, 5, 6), d: 2 },
    ];
    for (const input of inputs) {
      const host = await readSamples(input, 'x');
      expect([host.n, host.d]).toEqual([3, 2]);
      expect(Array.from(host.values)).toEqual([1, 2, 3, 4, 5, 6]);
    }
    x.dispose();
  });

  test('reading a tensor leaves no tensor behind and keeps the input', async () => {
    const x = tf.tensor2d(rows);
    await expectNoTensorLeak(() => readSamples(x, 'x'));
    expect(x.isDisposed).toBe(false);
    x.dispose();
  });

  test('bad inputs fail with typed errors that say what to do', async () => {
    await expect(readSamples([], 'samples')).rejects.toThrow(ValidationError);
    await expect(readSamples([], 'samples')).rejects.toThrow(/empty/);
    await expect(readSamples({ values: [], d: 2 }, 'samples')).rejects.toThrow(/empty/);
    await expect(readSamples([[1, 2], [3]], 'samples')).rejects.toThrow(ShapeError);
    await expect(readSamples([[]], 'samples')).rejects.toThrow(/0 columns/);
    await expect(readSamples({ values: [1, 2, 3], d: 2 }, 'samples')).rejects.toThrow(/multiple of d/);
    await expect(readSamples({ values: [1, 2], d: 0 }, 'samples')).rejects.toThrow(ShapeError);
    const vector = tf.tensor1d([1, 2]);
    const ints = tf.tensor2d([[1]], [1, 1], 'int32');
    await expect(readSamples(vector as unknown as tf.Tensor2D, 'samples')).rejects.toThrow(/shape \[n, d\]/);
    await expect(readSamples(ints, 'samples')).rejects.toThrow(/float32/);
    await expect(readSamples(42 as unknown as number[][], 'samples')).rejects.toThrow(ShapeError);
    tf.dispose([vector, ints]);
  });

  test('NaN and infinities are E_NUMERIC errors that locate the first one', async () => {
    const error = await readSamples(
      [
        [0, 1],
        [Number.NaN, Number.POSITIVE_INFINITY],
      ],
      'samples',
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFiniteSampleError);
    expect(isRtkError(error, 'E_NUMERIC')).toBe(true);
    expect((error as NonFiniteSampleError).details).toEqual({ count: 2, row: 1, column: 0 });
  });

  test('readPair rejects a dimension mismatch', async () => {
    await expect(readPair([[1, 2]], [[1, 2, 3]])).rejects.toThrow(ShapeError);
    await expect(readPair([[1, 2]], [[1, 2, 3]])).rejects.toThrow(/same dimension, got d = 2 and d = 3/);
  });
});

describe('subsample', () => {
  const x = { values: Float64Array.from({ length: 20 }, (_, k) => k), n: 10, d: 2 };

  test('returns the sample itself when it is small enough', () => {
    expect(subsample(x, 10, undefined, 'x')).toBe(x);
  });

  test('refuses to truncate without an rng, and checks maxSamples', () => {
    expect(() => subsample(x, 4, undefined, 'x')).toThrow(/pass an rng/);
    expect(() => subsample(x, 0, undefined, 'x')).toThrow(ValidationError);
    expect(() => subsample(x, 2.5, createRng(0), 'x')).toThrow(/positive integer/);
  });

  test('draws distinct whole rows, in order, the same for the same rng', () => {
    const rng = createRng(7);
    const a = subsample(x, 4, rng, 'x');
    const b = subsample(x, 4, rng, 'x');
    expect(a.n).toBe(4);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    const firstColumn = Array.from({ length: 4 }, (_, i) => a.values[2 * i]!);
    for (let i = 0; i < 4; i++) expect(a.values[2 * i + 1]).toBe(a.values[2 * i]! + 1);
    expect(new Set(firstColumn).size).toBe(4);
    expect([...firstColumn].sort((p, q) => p - q)).toEqual(firstColumn);
    const other = subsample(x, 4, createRng(8), 'x');
    expect(Array.from(other.values)).not.toEqual(Array.from(a.values));
  });
});
