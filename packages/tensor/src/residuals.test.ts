/**
 * The fused row kernels against the tfjs ops they replace, bit for bit, on the cpu and wasm backends and with the
 * WebAssembly and JavaScript engines: random batches with NaN, ±Inf and −0 (every NaN compared as one NaN), d from 1
 * to 40 (row groups of four and the remainder), with and without the c term. A sum in the other backend's precision
 * gives other bits (the comparison can fail).
 */
import { fc, test } from '@fast-check/vitest';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect } from 'vitest';
import { ShapeError } from './errors.js';
import { setRngEngine } from './normals.js';
import { addScaledResidual, residualRowSums } from './residuals.js';
import { createRng } from './rng.js';
import { canonicalBits, describeOnBackends } from './test-support/backends.js';

const entry = fc.oneof(
  { weight: 10, arbitrary: fc.float({ min: -100, max: 100, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
  },
);

const instance = fc
  .record({
    n: fc.integer({ min: 1, max: 11 }),
    d: fc.integer({ min: 1, max: 40 }),
    withC: fc.boolean(),
    beta: fc.double({ min: -3, max: 3, noNaN: true }),
    gamma: fc.double({ min: -3, max: 3, noNaN: true }),
    delta: fc.double({ min: 0.01, max: 5, noNaN: true }),
  })
  .chain((r) => {
    const batch = fc.array(entry, { minLength: r.n * r.d, maxLength: r.n * r.d });
    return fc.record({ r: fc.constant(r), a: batch, b: batch, c: batch, s: batch });
  });

describeOnBackends((backend) => {
  describe.each(['auto', 'js'] as const)('with the %s engine', (engine) => {
    test.prop([instance], { numRuns: 80, seed: 5 })(
      'both kernels equal their tfjs ops, bit for bit',
      ({ r, a, b, c, s }) => {
        setRngEngine(engine);
        tf.tidy(() => {
          const shape: [number, number] = [r.n, r.d];
          const [A, B, C, S] = [
            tf.tensor2d(a, shape),
            tf.tensor2d(b, shape),
            tf.tensor2d(c, shape),
            tf.tensor2d(s, shape),
          ];
          let residual = tf.sub(A, tf.mul(B, r.beta));
          if (r.withC) residual = tf.sub(residual, tf.mul(C, r.gamma));
          const expected = tf.sum(tf.div(tf.square(residual), r.delta), 1);
          const fused = residualRowSums(A, B, {
            bScale: r.beta,
            divisor: r.delta,
            ...(r.withC ? { c: C, cScale: r.gamma } : {}),
          })!;
          expect(canonicalBits(fused)).toEqual(canonicalBits(expected));
          // The Langevin form: (a − b) − τ c over 4τ, as tf.sub(tf.sub(a, b), tf.mul(tau, c)) / tf.mul(tau, 4).
          const tau = tf.scalar(r.delta);
          const logQ = tf.sum(tf.div(tf.square(tf.sub(tf.sub(A, B), tf.mul(tau, C))), tf.mul(tau, 4)), 1);
          const fusedQ = residualRowSums(A, B, { c: C, cScale: r.delta, divisor: Math.fround(r.delta) * 4 })!;
          expect(canonicalBits(fusedQ)).toEqual(canonicalBits(logQ));
          const step = tf.add(S, tf.mul(tf.sub(A, tf.mul(B, r.beta)), r.gamma));
          expect(canonicalBits(addScaledResidual(S, A, B, r.beta, r.gamma)!)).toEqual(canonicalBits(step));
        });
      },
    );
  });

  test('large batches (several chunks) still match; the other precision of the sum gives other bits', () => {
    tf.tidy(() => {
      const [n, d] = [9_001, 13];
      const [A, B] = [tf.mul(createRng(1).normal([n, d]), 7) as tf.Tensor2D, createRng(2).normal([n, d])];
      const expected = tf.sum(tf.square(tf.sub(A, tf.mul(B, 0.7))), 1);
      expect(canonicalBits(residualRowSums(A, B, { bScale: 0.7 })!)).toEqual(canonicalBits(expected));
      const residual = tf.sub(A, tf.mul(B, 0.7)).dataSync();
      const other = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = i * d; j < (i + 1) * d; j++) {
          const w = Math.fround(residual[j]! * residual[j]!);
          sum = backend === 'cpu' ? Math.fround(sum + w) : sum + w;
        }
        other[i] = sum;
      }
      expect(canonicalBits(tf.tensor1d(other))).not.toEqual(canonicalBits(expected));
      const S = createRng(3).normal([n, d]);
      expect(canonicalBits(addScaledResidual(S, A, B, 0.3, -1.7)!)).toEqual(
        canonicalBits(tf.add(S, tf.mul(tf.sub(A, tf.mul(B, 0.3)), -1.7))),
      );
    });
  });

  test('batches of different shapes are refused', () => {
    tf.tidy(() => {
      expect(() => residualRowSums(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow(ShapeError);
      expect(() => addScaledResidual(tf.zeros([2, 3]), tf.zeros([2, 3]), tf.zeros([2, 2]), 1, 1)).toThrow(
        ShapeError,
      );
    });
  });
});
