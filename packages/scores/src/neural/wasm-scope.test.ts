import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, it } from 'vitest';
import { mlpArchitecture } from './architecture.js';
import { dataSet } from './data.js';
import { trainScoreNetwork } from './train.js';
import { installWasmTrainingKernels, withWasmTrainingKernels } from './wasm-kernels.js';

const NAMES = ['Conv2DBackpropInput', 'Conv2DBackpropFilter', 'BatchMatMul', '_FusedMatMul'];
const kernels = () => NAMES.map((name) => tf.getKernel(name, 'wasm'));

/** A product with a transposed operand (the case the training kernels change) and its exact bits. */
function transposedProduct(): Float32Array {
  return tf.tidy(() => {
    const rng = createRng(9);
    const a = rng.fork('a').normal([37, 53]);
    const b = rng.fork('b').normal([29, 53]);
    return tf.matMul(a, b, false, true).dataSync() as Float32Array;
  });
}

describe.runIf(tf.getBackend() === 'wasm')('the wasm training kernels are scoped to training steps', () => {
  it('training leaves the registered kernels and the results of other code exactly as they were', async () => {
    const before = kernels();
    const product = transposedProduct();
    expect(before[1]).toBeUndefined(); // stock wasm has no Conv2DBackpropFilter
    const inside = withWasmTrainingKernels(() => kernels());
    expect(inside[1]).toBeDefined();
    expect(inside[2]).not.toBe(before[2]);
    const rng = createRng(3);
    const { network } = await trainScoreNetwork({
      network: { architecture: mlpArchitecture(2, { hidden: 8, depth: 2, embeddingSize: 8 }) },
      data: dataSet(rng.fork('data').normalArray(64, 2), 64, 2),
      steps: 3,
      batchSize: 16,
      rng: rng.fork('train'),
    });
    network.dispose();
    expect(kernels()).toEqual(before);
    for (const [i, kernel] of kernels().entries()) expect(kernel).toBe(before[i]);
    expect(transposedProduct()).toEqual(product);
    expect(() => withWasmTrainingKernels(() => Promise.resolve(1))).toThrow(/synchronous/);
    expect(kernels()).toEqual(before);
    // Negative control: installed for good, the product kernel is another one (and may round differently).
    installWasmTrainingKernels();
    expect(kernels()[2]).not.toBe(before[2]);
  });
});
