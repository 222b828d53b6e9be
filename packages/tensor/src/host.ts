/**
 * Direct access to tensor values on the backends that keep them in host memory: `wasm` (the backend's WebAssembly
 * heap) and `cpu` (JavaScript typed arrays). Reading a tensor there with `dataSync` makes a fresh copy (wasm), and a
 * fresh multi-megabyte array costs about 2 ms per 4 MB in page faults alone (measured in Node 20: a new
 * Float32Array(10⁶) filled by `set` took 1.7–2.2 ms, a reused one 0.09 ms), so kernels that run on the host (the
 * package's WebAssembly module, the score kernels of `@rtk-diffusion/scores`) read and write through these views
 * instead. Other backends (tensorflow, webgl, webgpu) get `null` and keep their tensor ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors.js';

/** The two host-memory backends' methods used here (tfjs-backend-wasm 4.22 `BackendWasm`). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The active backend when it keeps values in host memory (`wasm` or `cpu`), else null. */
export function hostBackend(): 'wasm' | 'cpu' | null {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : null;
}

function checkFloat32(t: tf.Tensor, what: string): void {
  if (t.dtype !== 'float32') throw new ShapeError(`${what}: need a float32 tensor, got ${t.dtype}`);
}

/**
 * The values of a float32 tensor without a copy, or null off the host backends. Read-only (tensors are immutable),
 * and valid only until the next tensor is allocated: on wasm an allocation can grow the heap and detach the view.
 */
export function hostValues(t: tf.Tensor): Float32Array | null {
  checkFloat32(t, 'hostValues');
  const backend = hostBackend();
  if (backend === null) return null;
  if (backend === 'cpu') return t.dataSync() as Float32Array;
  return (tf.backend() as unknown as WasmBackendLike).typedArrayFromHeap(t);
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes into the backend's own memory (no intermediate array on
 * wasm; on cpu a new array that the backend then keeps), or null off the host backends. `fill` must not allocate
 * tensors (it may read others with {@link hostValues}: views made inside `fill` stay valid while it runs).
 */
export function hostTensor(shape: readonly number[], fill: (out: Float32Array) => void): tf.Tensor | null {
  const backend = hostBackend();
  if (backend === null) return null;
  const size = shape.reduce((product, length) => product * length, 1);
  if (backend === 'cpu') {
    const values = new Float32Array(size);
    fill(values);
    return tf.tensor(values, [...shape], 'float32');
  }
  const wasm = tf.backend() as unknown as WasmBackendLike;
  const info = wasm.makeOutput([...shape], 'float32');
  const result = tf.engine().makeTensorFromTensorInfo(info);
  try {
    fill(wasm.typedArrayFromHeap(info));
  } catch (error) {
    result.dispose();
    throw error;
  }
  return result;
}
