/**
 * The fused update of the stochastic samplers, x' = combine(x, s) + σ z with z a fresh normal draw, in one pass over
 * the batch instead of five tfjs kernels and a separate draw (see {@link Rng.noisyUpdate}).
 *
 * Element by element, each operation rounded to float32 in this order (the tfjs ops it replaces, bit for bit):
 *   t = x (+ s · b);   'before-noise': t = t / q;   t = t + z · σ;   'after-noise': t = t / q,
 * i.e. `tf.add(tf.div(tf.add(x, tf.mul(s, b)), q), tf.mul(z, σ))` and its variants, with b, q and σ rounded to float32
 * as tfjs rounds a number operand. z is exactly `rng.normal([n, d])` (the same Philox words and Box–Muller transform,
 * computed by the same WebAssembly function into the kernel's buffer), so the result does not depend on the path, the
 * batch split or the backend. IEEE float32 +, ×, ÷ are correctly rounded everywhere: WebAssembly f32x4 here, XNNPACK
 * on the wasm backend, float64 arithmetic rounded once to float32 on the cpu backend (exact for one operation, since
 * 53 ≥ 2 · 24 + 2 bits) and Math.fround in the JavaScript fallback.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValidationError } from './errors.js';
import { recordFinite } from './finite.js';
import { hostTensor, hostValues } from './host.js';
import { floats, hostModule, regions, rowsPerChunk } from './host-module.js';
import { fillNormals } from './normals.js';
import { normalsJs } from './normals-js.js';

/** The coefficients of a noisy update (see the module comment for the exact order of operations). */
export interface NoisyUpdate {
  /** s: a batch of the same shape as x (a score or a gradient); omit for x + σ z. */
  readonly drift?: tf.Tensor2D;
  /** b, the factor of the drift: t = x + s · b (required with `drift`). */
  readonly driftScale?: number;
  /** q, a divisor: before or after the noise is added (see `divide`); omit for none. */
  readonly divisor?: number;
  /** When to divide by q: `'before-noise'` ((x + s b) / q + σ z) or `'after-noise'` ((x + s b + σ z) / q). */
  readonly divide?: 'before-noise' | 'after-noise';
  /** σ, the factor of the noise. */
  readonly noiseScale: number;
}

/** Where z comes from: the stream's key, the draw index and the first row. */
export interface NormalStream {
  readonly k0: number;
  readonly k1: number;
  readonly draw: number;
  readonly rowOffset: number;
}

/** Rows × d floats per region of the module's memory for one kernel call (3 regions of 128 KiB). */
const CHUNK_FLOATS = 2 ** 15;

const MODES = { none: 0, 'before-noise': 1, 'after-noise': 2 } as const;

/** Validated coefficients as float32 numbers. */
interface Coefficients {
  readonly b: number;
  readonly q: number;
  readonly sigma: number;
  readonly mode: 0 | 1 | 2;
}

function coefficients(x: tf.Tensor2D, update: NoisyUpdate): Coefficients {
  const { drift, driftScale, divisor, divide, noiseScale } = update;
  if (drift !== undefined) {
    if (
      drift.dtype !== 'float32' ||
      drift.rank !== 2 ||
      drift.shape[0] !== x.shape[0] ||
      drift.shape[1] !== x.shape[1]
    ) {
      throw new ShapeError(
        `noisyUpdate: drift must be float32 of shape [${x.shape}], got ${drift.dtype} [${drift.shape}]`,
      );
    }
    if (typeof driftScale !== 'number')
      throw new ValidationError('noisyUpdate: a drift needs its driftScale');
  }
  if ((divisor === undefined) !== (divide === undefined)) {
    throw new ValidationError('noisyUpdate: give divisor and divide together, or neither');
  }
  if (divide !== undefined && divide !== 'before-noise' && divide !== 'after-noise') {
    throw new ValidationError(
      `noisyUpdate: divide must be 'before-noise' or 'after-noise', got '${String(divide)}'`,
    );
  }
  if (typeof noiseScale !== 'number') throw new ValidationError('noisyUpdate: noiseScale must be a number');
  return {
    b: Math.fround(driftScale ?? 0),
    q: Math.fround(divisor ?? 1),
    sigma: Math.fround(noiseScale),
    mode: MODES[divide ?? 'none'],
  };
}

/**
 * x' = combine(x, s) + σ z with z the normal draw `stream` (see the module comment). Use it through
 * {@link Rng.noisyUpdate}, which supplies the stream and advances the draw counter.
 *
 * @internal
 */
export function noisyUpdateOf(x: tf.Tensor2D, update: NoisyUpdate, stream: NormalStream): tf.Tensor2D {
  if (x.dtype !== 'float32' || x.rank !== 2) {
    throw new ShapeError(`noisyUpdate: x must be a float32 batch [n, d], got ${x.dtype} [${x.shape}]`);
  }
  const c = coefficients(x, update);
  const [n, d] = x.shape;
  let bad = 0;
  const result = hostTensor([n, d], (out) => {
    bad =
      hostModule() === null
        ? updateJs(x, update.drift, c, stream, out)
        : updateWasm(x, update.drift, c, stream, out);
  });
  if (result !== null) {
    recordFinite(result, bad === 0);
    return result as tf.Tensor2D;
  }
  // Device backends: the same operations as tfjs kernels, on the same normals.
  const z = new Float32Array(n * d);
  fillNormals(z, stream.k0, stream.k1, stream.draw, stream.rowOffset, n, d);
  return tf.tidy(() => {
    let t: tf.Tensor = x;
    if (update.drift !== undefined) t = tf.add(t, tf.mul(update.drift, c.b));
    if (c.mode === 1) t = tf.div(t, c.q);
    t = tf.add(t, tf.mul(tf.tensor2d(z, [n, d], 'float32'), c.sigma));
    if (c.mode === 2) t = tf.div(t, c.q);
    return t as tf.Tensor2D;
  });
}

/** The kernel of the WebAssembly module, chunk by chunk through its memory; returns the non-finite count. */
function updateWasm(
  x: tf.Tensor2D,
  drift: tf.Tensor2D | undefined,
  c: Coefficients,
  stream: NormalStream,
  out: Float32Array,
): number {
  const module = hostModule()!;
  const [n, d] = x.shape;
  const rows = rowsPerChunk(n, d, CHUNK_FLOATS);
  const at = regions(module, { x: rows * d, s: drift === undefined ? 0 : rows * d, out: rows * d });
  const xs = hostValues(x)!;
  const ss = drift === undefined ? null : hostValues(drift)!;
  const [xIn, sIn, result] = [
    floats(module, at.x, rows * d),
    floats(module, at.s, rows * d),
    floats(module, at.out, rows * d),
  ];
  let bad = 0;
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    const [from, to] = [start * d, (start + count) * d];
    xIn.set(xs.subarray(from, to));
    if (ss !== null) sIn.set(ss.subarray(from, to));
    bad += module.noisyUpdate(
      stream.k0,
      stream.k1,
      stream.draw,
      stream.rowOffset + start,
      count,
      d,
      at.x,
      ss === null ? 0 : at.s,
      c.b,
      c.mode,
      c.q,
      c.sigma,
      at.out,
    );
    out.set(result.subarray(0, count * d), from);
  }
  return bad;
}

/** The same numbers in JavaScript (no WebAssembly SIMD): Math.fround after every operation. */
function updateJs(
  x: tf.Tensor2D,
  drift: tf.Tensor2D | undefined,
  c: Coefficients,
  stream: NormalStream,
  out: Float32Array,
): number {
  const [n, d] = x.shape;
  normalsJs(out, stream.k0, stream.k1, stream.draw, stream.rowOffset, n, d);
  const xs = hostValues(x)!;
  const ss = drift === undefined ? null : hostValues(drift)!;
  const f = Math.fround;
  let bad = 0;
  for (let i = 0; i < n * d; i++) {
    let t = xs[i]!;
    if (ss !== null) t = f(t + f(ss[i]! * c.b));
    if (c.mode === 1) t = f(t / c.q);
    t = f(t + f(out[i]! * c.sigma));
    if (c.mode === 2) t = f(t / c.q);
    out[i] = t;
    if (t - t !== 0) bad++;
  }
  return bad;
}
