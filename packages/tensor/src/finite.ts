/**
 * Whether a tensor is all finite (no NaN, no ±Inf): the check behind the samplers' per-step NaN detection.
 *
 * On the host backends (wasm, cpu) the values are scanned where they lie, by the package's WebAssembly module (SIMD)
 * or JavaScript, with no tfjs kernel and no fresh array; the kernels of this package that produce a tensor (the noisy
 * update, the row selection) count the non-finite values as they write them and record the answer, so checking their
 * output costs nothing. Elsewhere (tensorflow, webgl, webgpu) `tf.all(tf.isFinite(x))` runs on the device and one
 * boolean is read back; {@link finiteFlag} keeps that boolean on the device for callers that read many at once.
 */
import * as tf from '@tensorflow/tfjs-core';
import { hostValues } from './host.js';
import { floats, hostModule, regions } from './host-module.js';

/** Floats scanned per call of the module (256 KiB). */
const CHUNK_FLOATS = 2 ** 16;

/** What a kernel counted as it wrote a tensor: all finite or not, and for a batch the rows holding a NaN or ±Inf. */
interface Counted {
  readonly finite: boolean;
  readonly badRows?: number;
}

/** Known answers, by the tensor's data (tensors are immutable, and clones share their data). */
const known = new WeakMap<object, Counted>();

/**
 * Records that `t`'s values are (or are not) all finite, and optionally how many of its rows hold a NaN or ±Inf, as a
 * kernel that wrote them counted.
 *
 * @internal
 */
export function recordFinite(t: tf.Tensor, finite: boolean, badRows?: number): void {
  known.set(t.dataId, badRows === undefined ? { finite } : { finite, badRows });
}

/**
 * The number of rows of `t` that hold a NaN or ±Inf when the kernel that wrote `t` counted them (the row selection
 * does), else undefined.
 */
export function knownNonFiniteRows(t: tf.Tensor): number | undefined {
  return known.get(t.dataId)?.badRows;
}

/** How many of `values` are NaN or ±Inf. */
export function countNonFinite(values: Float32Array): number {
  const module = hostModule();
  if (module === null) {
    let bad = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0) bad++;
    }
    return bad;
  }
  const chunk = Math.min(values.length, CHUNK_FLOATS);
  const { input } = regions(module, { input: chunk });
  const view = floats(module, input, chunk);
  let bad = 0;
  for (let start = 0; start < values.length; start += chunk) {
    const count = Math.min(chunk, values.length - start);
    view.set(values.subarray(start, start + count));
    bad += module.countNonFinite(input, count);
  }
  return bad;
}

/** True when every value of the float32 tensor `t` is finite (exact; see the module comment for how). */
export function allFinite(t: tf.Tensor): boolean {
  const cached = known.get(t.dataId);
  if (cached !== undefined) return cached.finite;
  const values = hostValues(t);
  const finite =
    values === null
      ? tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0] === 1)
      : countNonFinite(values) === 0;
  known.set(t.dataId, { finite });
  return finite;
}

/**
 * `tf.all(tf.isFinite(t))` as a boolean scalar on the device, not read back: for backends where a read is a
 * synchronisation (tensorflow, webgl, webgpu), so a loop can read the flags of many steps at once. The caller owns it.
 */
export function finiteFlag(t: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.all(tf.isFinite(t)));
}
