import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { afterAll, describe, expect, test } from 'vitest';
import { mala } from './mala.js';
import type { Target } from './types.js';
import { ula } from './ula.js';

describe('target checks', () => {
  const x = tf.zeros([3, 2]) as tf.Tensor2D;
  afterAll(() => x.dispose());

  test('a grad of the wrong shape is a ShapeError that names the expected shape', () => {
    const bad: Target = { grad: (v) => tf.sum(v, 1) as unknown as tf.Tensor2D };
    try {
      ula({ stepSize: 0.1 }).init(x, bad, createRng(0));
      expect.unreachable();
    } catch (error) {
      expect(isRtkError(error, 'E_SHAPE')).toBe(true);
      expect((error as Error).message).toMatch(/target\.grad\(x\) must return .*\[3, 2\], got shape \[3\]/);
    }
  });

  test('a logDensity of the wrong shape is a ShapeError', () => {
    const bad: Target = { grad: (v) => tf.neg(v), logDensity: (v) => tf.neg(v) as unknown as tf.Tensor1D };
    expect(() => mala({ stepSize: 0.1 }).init(x, bad, createRng(0))).toThrow(
      /logDensity\(x\) must return .*\[3\]/,
    );
  });

  test('a missing grad, a bad dim, a non-batch x', () => {
    expect(() => ula({ stepSize: 0.1 }).init(x, {} as Target, createRng(0))).toThrow(/grad\(x\) function/);
    const dimless: Target = { dim: 0, grad: (v) => tf.neg(v) };
    expect(() => ula({ stepSize: 0.1 }).init(x, dimless, createRng(0))).toThrow(
      /dim must be a positive integer/,
    );
    const vector = tf.zeros([3]) as unknown as tf.Tensor2D;
    expect(() => ula({ stepSize: 0.1 }).init(vector, { grad: (v) => v }, createRng(0))).toThrow(
      /shape \[n, d\]/,
    );
    vector.dispose();
  });
});
