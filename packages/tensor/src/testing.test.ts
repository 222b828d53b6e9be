import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { TensorLeakError } from './errors.js';
import { expectNoTensorLeak } from './testing.js';

describe('expectNoTensorLeak', () => {
  test('passes when everything is disposed (sync and async)', async () => {
    await expectNoTensorLeak(() => tf.tidy(() => tf.add(tf.ones([2]), 1)).dispose());
    await expectNoTensorLeak(async () => {
      const t = tf.ones([3]);
      await t.data();
      t.dispose();
    });
  });

  test('catches a planted leak and says how many tensors leaked', async () => {
    let planted: tf.Tensor | undefined;
    const leak = () => {
      planted = tf.ones([2, 2]);
    };
    await expect(expectNoTensorLeak(leak)).rejects.toThrow(TensorLeakError);
    planted?.dispose();
    await expect(expectNoTensorLeak(leak)).rejects.toThrow(/\(\+1\)/);
    planted?.dispose();
  });
});
