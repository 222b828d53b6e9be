/**
 * `@rtk-diffusion/tensor`: TensorFlow.js core for rtk-diffusion. Every package computes with the `tf` namespace
 * exported here, so the whole repo shares one `@tensorflow/tfjs-core` instance.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';

export type { Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, TensorLike } from '@tensorflow/tfjs-core';
export type { BackendInfo, BackendName, BackendOptions } from './backend.js';
export { BACKEND_NAMES, initBackend, TFJS_VERSION } from './backend.js';
export { assertBatch, rowDot, rowLogSumExp, rowSquaredNorms } from './batch.js';
export type { RtkErrorCode } from './errors.js';
export {
  BackendError,
  isRtkError,
  RtkError,
  ShapeError,
  TensorLeakError,
  ValidationError,
} from './errors.js';
export { allFinite, finiteFlag, knownNonFiniteRows } from './finite.js';
export { hostBackend, hostTensor, hostValues } from './host.js';
export { lazyWasmModule } from './host-module.js';
export type { NoisyUpdate } from './noisy-update.js';
export type { RngEngine } from './normals.js';
export { rngEngine } from './normals.js';
export { hashLabel, philox4x32 } from './philox.js';
export type { ResidualRowSumsOptions } from './residuals.js';
export { addScaledResidual, residualRowSums } from './residuals.js';
export type { DrawOptions, DrawShape, UniformOptions } from './rng.js';
export { createRng, RNG_MAX_ROWS, Rng } from './rng.js';
export { selectRowsOnHost } from './select-rows.js';
/** The TensorFlow.js core namespace (`@tensorflow/tfjs-core`, one pinned version for the whole repo). */
export { tf };
