/**
 * Test helpers (subpath `@rtk-diffusion/tensor/testing`). They do not depend on a test framework: they throw.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TensorLeakError } from './errors.js';

export type { ReadmeExampleOptions } from './readme-examples.js';
export { README_EXAMPLES_DIRECTORY, runReadmeExamples } from './readme-examples.js';

/**
 * Runs `fn` and throws a {@link TensorLeakError} if the number of live tensors (`tf.memory().numTensors`) is not the
 * same afterwards. `fn` must dispose everything it creates, including its result.
 *
 * @example
 * await expectNoTensorLeak(() => rowSquaredNorms(x).dispose());
 */
export async function expectNoTensorLeak(fn: () => unknown): Promise<void> {
  const before = tf.memory().numTensors;
  const result = fn();
  if (result instanceof Promise) await result;
  const after = tf.memory().numTensors;
  if (after !== before) {
    throw new TensorLeakError(
      `expected no tensor leak, but the live tensor count went from ${before} to ${after} (${after - before > 0 ? '+' : ''}${after - before})`,
      { before, after },
    );
  }
}
