/**
 * Seeded weight initialisation (the layers are built with zero initialisers, so tfjs's own unseeded random
 * initialisers never run): Glorot-uniform kernels, W ~ U(−r, r) with r = sqrt(6 / (fan_in + fan_out)) (Glorot &
 * Bengio 2010), where for a kernel of shape [k_1, …, k_m, in, out] fan_in = k_1⋯k_m · in and fan_out = k_1⋯k_m · out;
 * zero biases; zero output layers (names ending in `_out`), so an untrained network predicts 0.
 * Weight i is drawn from `rng.fork('weight-i')`, one row per row of the kernel seen as a [size / out, out] matrix.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { tf } from '@rtk-diffusion/tensor';
import type { tfl } from './layers.js';

/** The initial values of the weights of `model`, in `model.weights` order (host arrays). */
export function initialWeightValues(model: tfl.LayersModel, rng: Rng): Float32Array[] {
  return model.weights.map((weight, index) => {
    const shape = weight.shape as number[];
    const size = shape.reduce((p, s) => p * s, 1);
    const isBias = shape.length < 2;
    const isOutput = /_out\/kernel/.test(weight.originalName);
    if (isBias || isOutput) return new Float32Array(size);
    const out = shape[shape.length - 1]!;
    const receptive = shape.slice(0, -2).reduce((p, s) => p * s, 1);
    const fanIn = receptive * shape[shape.length - 2]!;
    const fanOut = receptive * out;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return rng.fork(`weight-${index}`).uniformArray(size / out, out, { low: -limit, high: limit });
  });
}

/** Sets the weights of `model` from host arrays in `model.weights` order. */
export function setWeightValues(model: tfl.LayersModel, values: readonly Float32Array[]): void {
  const tensors = model.weights.map((weight, i) =>
    tf.tensor(values[i]!, weight.shape as number[], 'float32'),
  );
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}

/** The weights of `model` as host arrays, in `model.weights` order. */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((weight) => weight.read().dataSync() as Float32Array).map((v) => v.slice());
}
