/**
 * The host-memory kernels on the cpu and wasm backends: views equal `dataSync`; `allFinite` and the row selection
 * against tfjs ops (`tf.isFinite`, `tf.where` on a broadcast mask), bit for bit, with NaN, ±Inf and −0 and masks of
 * 0, 1 and NaN, for shapes on both sides of the kernels' chunk size; the selection's count of non-finite rows; no leaks.
 */
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { ShapeError } from './errors.js';
import { allFinite, finiteFlag, knownNonFiniteRows } from './finite.js';
import { hostBackend, hostTensor, hostValues } from './host.js';
import { setRngEngine } from './normals.js';
import { createRng } from './rng.js';
import { selectRowsOnHost } from './select-rows.js';
import { bits, describeOnBackends } from './test-support/backends.js';
import { expectNoTensorLeak } from './testing.js';

const entry = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  },
);

const instance = fc
  .record({ n: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 12 }) })
  .chain(({ n, d }) =>
    fc.record({
      n: fc.constant(n),
      d: fc.constant(d),
      a: fc.array(entry, { minLength: n * d, maxLength: n * d }),
      b: fc.array(entry, { minLength: n * d, maxLength: n * d }),
      mask: fc.array(fc.constantFrom(0, 1, -0, Number.NaN, 0.5), { minLength: n, maxLength: n }),
    }),
  );

/** The selection by tfjs ops: the mask spread to the full shape, then `tf.where`. */
function selectByWhere(mask: tf.Tensor1D, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const chosen = tf.notEqual(mask, 0);
  const condition = a.rank === 1 ? chosen : tf.broadcastTo(tf.reshape(chosen, [a.shape[0]!, 1]), a.shape);
  return tf.where(condition, a, b);
}

describeOnBackends((backend) => {
  test('hostValues is the tensor’s values; hostTensor writes a new tensor in place', () => {
    expect(hostBackend()).toBe(backend);
    tf.tidy(() => {
      const x = createRng(1).normal([300, 7]);
      expect(Array.from(hostValues(x)!)).toEqual(Array.from(x.dataSync()));
      const y = hostTensor([2, 3], (out) => out.set([1, 2, 3, 4, 5, 6]))!;
      expect(y.shape).toEqual([2, 3]);
      expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
      expect(() => hostValues(tf.tensor1d([1], 'int32'))).toThrow(ShapeError);
    });
  });

  test('rng.normal, written straight into the backend’s memory, equals rng.normalArray', () => {
    tf.tidy(() => {
      for (const [n, d] of [
        [1000, 3],
        [70_000, 5],
        [3, 1],
      ] as const) {
        expect(createRng(4).normal([n, d]).dataSync()).toEqual(createRng(4).normalArray(n, d));
        expect(createRng(4).normal([n]).dataSync()).toEqual(createRng(4).normalArray(n, 1));
      }
    });
  });

  test('a failing fill leaves no tensor behind', async () => {
    await expectNoTensorLeak(() => {
      expect(() =>
        hostTensor([4], () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
    });
  });

  describe.each(['auto', 'js'] as const)('with the %s engine', (engine) => {
    test.prop([instance], { numRuns: 80, seed: 17 })(
      'selectRowsOnHost equals tf.where on the spread mask, bit for bit, and counts the non-finite rows',
      ({ n, d, a, b, mask }) => {
        setRngEngine(engine);
        tf.tidy(() => {
          const m = tf.tensor1d(mask);
          const [u, v] = [tf.tensor2d(a, [n, d]), tf.tensor2d(b, [n, d])];
          const selected = selectRowsOnHost(m, u, v)!;
          const expected = selectByWhere(m, u, v);
          expect(bits(selected)).toEqual(bits(expected));
          const badRows = tf
            .sum(tf.cast(tf.logicalNot(tf.all(tf.isFinite(expected), 1)), 'int32'))
            .dataSync()[0];
          expect(knownNonFiniteRows(selected)).toBe(badRows);
          expect(allFinite(selected)).toBe(badRows === 0);
          const [p, q] = [tf.tensor1d(a.slice(0, n)), tf.tensor1d(b.slice(0, n))];
          expect(bits(selectRowsOnHost(m, p, q)!)).toEqual(bits(selectByWhere(m, p, q)));
        });
      },
    );

    test.prop([instance], { numRuns: 80, seed: 23 })('allFinite agrees with tf.isFinite', ({ n, d, a }) => {
      setRngEngine(engine);
      tf.tidy(() => {
        const x = tf.tensor2d(a, [n, d]);
        const expected = tf.all(tf.isFinite(x)).dataSync()[0] === 1;
        expect(allFinite(x)).toBe(expected);
        expect(finiteFlag(x).dataSync()[0] === 1).toBe(expected);
      });
    });
  });

  test('large batches (several kernel chunks): one NaN anywhere is found; selection still exact', () => {
    tf.tidy(() => {
      const [n, d] = [70_001, 3];
      const values = createRng(2).normalArray(n, d);
      expect(allFinite(tf.tensor2d(values, [n, d]))).toBe(true);
      for (const at of [0, 65_535, 65_536, n * d - 1]) {
        const copy = values.slice();
        copy[at] = at % 2 === 0 ? Number.NaN : Number.NEGATIVE_INFINITY;
        expect(allFinite(tf.tensor2d(copy, [n, d]))).toBe(false);
      }
      const mask = tf.tensor1d(
        createRng(3)
          .uniformArray(n, 1)
          .map((u) => (u < 0.5 ? 1 : 0)),
      );
      const [u, v] = [createRng(4).normal([n, d]), createRng(5).normal([n, d])];
      expect(bits(selectRowsOnHost(mask, u, v)!)).toEqual(bits(selectByWhere(mask, u, v)));
    });
  });

  test('a swapped mask selects other rows (the comparison can fail); mismatched shapes are refused', () => {
    tf.tidy(() => {
      const m = tf.tensor1d([1, 0, 1]);
      const [u, v] = [tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2])];
      expect(bits(selectRowsOnHost(m, u, v)!)).not.toEqual(
        bits(selectByWhere(tf.sub(1, m) as tf.Tensor1D, u, v)),
      );
      expect(() => selectRowsOnHost(tf.tensor1d([1, 0]), u, v)).toThrow(ShapeError);
      expect(() => selectRowsOnHost(m, u, tf.zeros([3, 3]))).toThrow(ShapeError);
      expect(selectRowsOnHost(tf.tensor1d([1, 0, 1], 'int32') as tf.Tensor1D, u, v)).toBeNull();
    });
  });
});
