/**
 * A seeded, splittable, counter-based random number generator.
 *
 * Every number is a pure function of (seed, fork path, draw index, row, column): element (i, j) of the k-th draw of a
 * stream is Philox4x32-10 of the counter (⌊j/4⌋, i, k, 0) under the stream's key. So drawing 10 000 rows at once, or
 * as 2 × 5 000 rows with `rowOffset`, gives identical numbers, and the numbers are made outside TensorFlow.js (float64
 * arithmetic rounded once to float32, by a WebAssembly SIMD module or by JavaScript: the same bits, see normals.ts)
 * so they are the same on every TensorFlow.js backend.
 *
 * The only state is the draw counter `draws`, which each `normal` / `uniform` call advances by one, so two calls
 * give two different draws. `fork(label)` is a pure function of the stream and the label: it does not depend on, nor
 * change, the parent's counter.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValidationError } from './errors.js';
import { float32Above, float32Below } from './float32.js';
import { hostTensor } from './host.js';
import { type NoisyUpdate, noisyUpdateOf } from './noisy-update.js';
import { fillNormals, fillUniforms } from './normals.js';
import { hashLabel, philox4x32 } from './philox.js';

/** Options of a draw. */
export interface DrawOptions {
  /**
   * Index of the first row of this draw within the full (virtual) batch; default: the stream's `rowOffset` (0 unless
   * set with `atRows`). Drawing rows [s, e) with `rowOffset: s` gives exactly rows s…e−1 of the whole draw.
   */
  readonly rowOffset?: number;
}

/** Options of a uniform draw: the interval, open at both ends. */
export interface UniformOptions extends DrawOptions {
  /** Lower end, default 0. */
  readonly low?: number;
  /** Upper end, default 1. */
  readonly high?: number;
}

/** Shape of a draw: `[n]` (one number per row) or `[n, d]`. */
export type DrawShape = readonly [number] | readonly [number, number];

/** Largest number of rows (and of draws per stream) the 32-bit counter words address. */
export const RNG_MAX_ROWS = 2 ** 32;

/** Counter word that separates key derivation (forks, seeding) from draws. */
const DERIVE_DOMAIN = 0x666f726b;

/** A seeded stream of random numbers. Create one with {@link createRng}. */
export class Rng {
  /** The seed the root stream was created from. */
  readonly seed: number;
  /** Labels of the forks that lead from the root stream to this one. */
  readonly path: readonly string[];
  /**
   * Default `rowOffset` of this stream's draws (see {@link Rng.atRows}); inherited by forks. A sampler that draws rows
   * [s, e) of a run hands its kernels `rng.atRows(s)`, and every draw below it is row-aligned with the full run.
   */
  readonly rowOffset: number;
  readonly #key0: number;
  readonly #key1: number;
  #draws: number;

  /** @internal Use {@link createRng}, {@link Rng.fork} or {@link Rng.atRows}. */
  constructor(seed: number, path: readonly string[], key0: number, key1: number, rowOffset = 0, draws = 0) {
    this.seed = seed;
    this.path = path;
    this.rowOffset = rowOffset;
    this.#key0 = key0;
    this.#key1 = key1;
    this.#draws = draws;
  }

  /**
   * The same stream (same key, same draw counter at this moment) whose draws start at row `offset` of the full
   * batch by default: `rng.atRows(s).normal([m, d])` equals rows s…s+m−1 of `rng.normal([n, d])`. The two objects
   * count draws independently from here on.
   */
  atRows(offset: number): Rng {
    checkDraw(0, 1, offset, 0);
    return new Rng(this.seed, this.path, this.#key0, this.#key1, offset, this.#draws);
  }

  /** Number of draws made from this stream so far (the index the next draw will use). */
  get draws(): number {
    return this.#draws;
  }

  /** An independent child stream, a pure function of this stream and `label`. */
  fork(label: string | number): Rng {
    const text = String(label);
    const words = new Uint32Array(4);
    philox4x32(hashLabel(text), text.length, 0, DERIVE_DOMAIN, this.#key0, this.#key1, words);
    return new Rng(this.seed, [...this.path, text], words[0]!, words[1]!, this.rowOffset);
  }

  /** Standard normal draws N(0, 1) as a float32 tensor of the given shape. */
  normal(shape: readonly [number], options?: DrawOptions): tf.Tensor1D;
  normal(shape: readonly [number, number], options?: DrawOptions): tf.Tensor2D;
  normal(shape: DrawShape, options: DrawOptions = {}): tf.Tensor1D | tf.Tensor2D {
    const [n, d] = checkShape(shape);
    const rowOffset = checkDraw(n, d, options.rowOffset ?? this.rowOffset, this.#draws);
    const draw = this.#draws++;
    const fill = (out: Float32Array) => fillNormals(out, this.#key0, this.#key1, draw, rowOffset, n, d);
    // On wasm and cpu the numbers go straight into the backend's memory (no intermediate array).
    const direct = hostTensor(shape, fill);
    if (direct !== null) return direct as tf.Tensor1D | tf.Tensor2D;
    const values = new Float32Array(n * d);
    fill(values);
    return shape.length === 1 ? tf.tensor1d(values, 'float32') : tf.tensor2d(values, [n, d], 'float32');
  }

  /**
   * x' = combine(x, s) + σ z in one pass, where z is this stream's next normal draw `normal([n, d])` (it advances the
   * draw counter the same way): t = x (+ s · b), then t / q before or after adding σ z, each operation rounded to
   * float32 in that order, so the result equals the tfjs ops
   * `tf.add(tf.div(tf.add(x, tf.mul(s, b)), q), tf.mul(rng.normal([n, d]), σ))` (or their variant) bit for bit, on
   * every backend and for every batch split (noisy-update.ts). On wasm and cpu one WebAssembly SIMD kernel computes it
   * and records whether the result is all finite (see {@link allFinite}).
   *
   * @example
   * // DDPM: x' = (x + β s) / √α + σ z
   * const next = rng.noisyUpdate(x, { drift: s, driftScale: beta, divisor: Math.sqrt(alpha), divide: 'before-noise', noiseScale: sigma });
   */
  noisyUpdate(x: tf.Tensor2D, update: NoisyUpdate, options: DrawOptions = {}): tf.Tensor2D {
    const [n, d] = x.shape;
    const rowOffset = checkDraw(n, d, options.rowOffset ?? this.rowOffset, this.#draws);
    const result = noisyUpdateOf(x, update, { k0: this.#key0, k1: this.#key1, draw: this.#draws, rowOffset });
    this.#draws++;
    return result;
  }

  /** Uniform draws on the open interval (low, high), default (0, 1), as a float32 tensor of the given shape. */
  uniform(shape: readonly [number], options?: UniformOptions): tf.Tensor1D;
  uniform(shape: readonly [number, number], options?: UniformOptions): tf.Tensor2D;
  uniform(shape: DrawShape, options: UniformOptions = {}): tf.Tensor1D | tf.Tensor2D {
    const [n, d] = checkShape(shape);
    const values = this.uniformArray(n, d, options);
    return shape.length === 1 ? tf.tensor1d(values, 'float32') : tf.tensor2d(values, [n, d], 'float32');
  }

  /** Standard normal draws as a row-major Float32Array of n × d numbers (advances the draw counter). */
  normalArray(n: number, d: number, options: DrawOptions = {}): Float32Array {
    const rowOffset = checkDraw(n, d, options.rowOffset ?? this.rowOffset, this.#draws);
    const draw = this.#draws++;
    const out = new Float32Array(n * d);
    fillNormals(out, this.#key0, this.#key1, draw, rowOffset, n, d);
    return out;
  }

  /**
   * Uniform draws on (low, high) as a row-major Float32Array of n × d numbers (advances the draw counter). Every
   * number is a float32 strictly inside the interval (the interval must contain one).
   */
  uniformArray(n: number, d: number, options: UniformOptions = {}): Float32Array {
    const low = options.low ?? 0;
    const high = options.high ?? 1;
    if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
      throw new ValidationError(`uniform: need finite low < high, got low = ${low}, high = ${high}`, {
        low,
        high,
      });
    }
    // Float32 rounding can land on an end of the interval: clamp to the float32 numbers strictly inside it.
    const bottom = float32Above(low);
    const top = float32Below(high);
    if (!(bottom <= top)) {
      throw new ValidationError(`uniform: no float32 number lies strictly between ${low} and ${high}`, {
        low,
        high,
      });
    }
    const rowOffset = checkDraw(n, d, options.rowOffset ?? this.rowOffset, this.#draws);
    const draw = this.#draws++;
    const out = new Float32Array(n * d);
    fillUniforms(out, this.#key0, this.#key1, draw, rowOffset, n, d, { low, width: high - low, bottom, top });
    return out;
  }
}

/**
 * Creates the root stream for a seed: a non-negative safe integer. Equal seeds give equal streams on every backend.
 *
 * @example
 * const rng = createRng(42);
 * const z = rng.normal([1000, 2]);       // draw 0
 * const u = rng.uniform([1000]);         // draw 1
 * const child = rng.fork('chain-3');     // independent stream
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new ValidationError(`createRng: seed must be a non-negative safe integer, got ${seed}`, { seed });
  }
  const words = new Uint32Array(4);
  const low = seed % 2 ** 32;
  const high = Math.floor(seed / 2 ** 32);
  philox4x32(0, 0, 0, DERIVE_DOMAIN, low, high, words);
  return new Rng(seed, [], words[0]!, words[1]!);
}

function checkShape(shape: DrawShape): [number, number] {
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 2)) {
    throw new ValidationError(`rng: shape must be [n] or [n, d], got ${JSON.stringify(shape)}`, { shape });
  }
  return [shape[0], shape.length === 2 ? shape[1] : 1];
}

function checkDraw(n: number, d: number, rowOffset: number, draws: number): number {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 1) {
    throw new ValidationError(`rng: need integers n ≥ 0 and d ≥ 1, got n = ${n}, d = ${d}`, { n, d });
  }
  if (!Number.isInteger(rowOffset) || rowOffset < 0 || rowOffset + n > RNG_MAX_ROWS) {
    throw new ValidationError(
      `rng: rowOffset must be an integer with 0 ≤ rowOffset and rowOffset + n ≤ 2^32, got ${rowOffset}`,
      { rowOffset, n },
    );
  }
  if (draws >= RNG_MAX_ROWS) {
    throw new ValidationError('rng: this stream has made 2^32 draws; fork a new stream', { draws });
  }
  return rowOffset;
}
