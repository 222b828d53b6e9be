/**
 * Two fused row kernels of the Langevin and RTK updates on the host backends (wasm, cpu), each bit for bit the tfjs
 * ops it replaces on the backend it runs on:
 *
 * - {@link residualRowSums}: Σ_j ((a − b β) − c γ)² / δ per row, i.e.
 *   `tf.sum(tf.div(tf.square(tf.sub(tf.sub(a, tf.mul(b, β)), tf.mul(c, γ))), δ), 1)` (log q of a Langevin proposal:
 *   a = x', b = x, β = 1, c = ∇log π(x), γ = τ, δ = 4τ; the RTK target's Gaussian term: a = y, b = x, β = √r, no c).
 *   tfjs sums a row differently per backend (wasm: float32 additions from the first column on; cpu: float64, rounded
 *   once), and so does this kernel, so the sums match too. Multiplying by β = 1 and dividing by δ = 1 change no bit.
 * - {@link addScaledResidual}: s + (a − b β) γ element-wise, i.e. `tf.add(s, tf.mul(tf.sub(a, tf.mul(b, β)), γ))`
 *   (the RTK target's gradient s(x, a') + √r (y − √r x)/(1 − r)).
 *
 * β, γ, δ are rounded to float32 as tfjs rounds a number operand. Off the host backends both return null: use the ops.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from './errors.js';
import { hostBackend, hostTensor, hostValues } from './host.js';
import { floats, hostModule, regions, rowsPerChunk } from './host-module.js';

/** Rows × d floats per region of the module's memory for one kernel call (128 KiB). */
const CHUNK_FLOATS = 2 ** 15;

/** The optional terms of {@link residualRowSums}. */
export interface ResidualRowSumsOptions {
  /** β, the factor of b (default 1). */
  readonly bScale?: number;
  /** c, a third batch subtracted after b (with its factor γ). */
  readonly c?: tf.Tensor2D;
  readonly cScale?: number;
  /** δ, the divisor of every squared term (default 1). */
  readonly divisor?: number;
}

function checkSame(what: string, x: tf.Tensor2D, ...others: (tf.Tensor2D | undefined)[]): void {
  for (const other of others) {
    if (other === undefined) continue;
    if (x.rank !== 2 || other.rank !== 2 || other.shape[0] !== x.shape[0] || other.shape[1] !== x.shape[1]) {
      throw new ShapeError(
        `${what}: need batches of one shape [n, d], got [${x.shape}] and [${other.shape}]`,
      );
    }
  }
}

function allFloat32(...tensors: (tf.Tensor | undefined)[]): boolean {
  return tensors.every((t) => t === undefined || t.dtype === 'float32');
}

/**
 * Σ_j ((a − b β) − c γ)² / δ for every row (see the module comment), or null off the host backends or for
 * non-float32 inputs.
 *
 * @throws {@link ShapeError} when the batches differ in shape.
 */
export function residualRowSums(
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  options: ResidualRowSumsOptions = {},
): tf.Tensor1D | null {
  const { c } = options;
  checkSame('residualRowSums', a, b, c);
  const backend = hostBackend();
  if (backend === null || !allFloat32(a, b, c)) return null;
  const [n, d] = a.shape;
  const f = Math.fround;
  const [beta, gamma, delta] = [f(options.bScale ?? 1), f(options.cScale ?? 0), f(options.divisor ?? 1)];
  const wide = backend === 'cpu';
  return hostTensor([n], (out) => {
    const [av, bv, cv] = [hostValues(a)!, hostValues(b)!, c === undefined ? null : hostValues(c)!];
    const module = hostModule();
    if (module === null) {
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = i * d; j < (i + 1) * d; j++) {
          let r = f(av[j]! - f(bv[j]! * beta));
          if (cv !== null) r = f(r - f(cv[j]! * gamma));
          const w = f(f(r * r) / delta);
          sum = wide ? sum + w : f(sum + w);
        }
        out[i] = sum;
      }
      return;
    }
    const rows = rowsPerChunk(n, d, CHUNK_FLOATS);
    const at = regions(module, {
      a: rows * d,
      b: rows * d,
      c: cv === null ? 0 : rows * d,
      scratch: rows * d,
      out: rows,
    });
    const [ain, bin, cin] = [
      floats(module, at.a, rows * d),
      floats(module, at.b, rows * d),
      floats(module, at.c, rows * d),
    ];
    const sums = floats(module, at.out, rows);
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const [from, to] = [start * d, (start + count) * d];
      ain.set(av.subarray(from, to));
      bin.set(bv.subarray(from, to));
      if (cv !== null) cin.set(cv.subarray(from, to));
      module.residualRowSums(
        at.a,
        at.b,
        cv === null ? 0 : at.c,
        count,
        d,
        beta,
        gamma,
        delta,
        wide ? 1 : 0,
        at.scratch,
        at.out,
      );
      out.set(sums.subarray(0, count), start);
    }
  }) as tf.Tensor1D | null;
}

/**
 * s + (a − b β) γ element-wise (see the module comment), or null off the host backends or for non-float32 inputs.
 *
 * @throws {@link ShapeError} when the batches differ in shape.
 */
export function addScaledResidual(
  s: tf.Tensor2D,
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  bScale: number,
  scale: number,
): tf.Tensor2D | null {
  checkSame('addScaledResidual', s, a, b);
  if (hostBackend() === null || !allFloat32(s, a, b)) return null;
  const [n, d] = s.shape;
  const f = Math.fround;
  const [beta, gamma] = [f(bScale), f(scale)];
  return hostTensor([n, d], (out) => {
    const [sv, av, bv] = [hostValues(s)!, hostValues(a)!, hostValues(b)!];
    const module = hostModule();
    if (module === null) {
      for (let j = 0; j < n * d; j++) out[j] = f(sv[j]! + f(f(av[j]! - f(bv[j]! * beta)) * gamma));
      return;
    }
    const chunk = Math.min(n * d, CHUNK_FLOATS);
    const at = regions(module, { s: chunk, a: chunk, b: chunk, out: chunk });
    const views = [
      floats(module, at.s, chunk),
      floats(module, at.a, chunk),
      floats(module, at.b, chunk),
    ] as const;
    const result = floats(module, at.out, chunk);
    for (let start = 0; start < n * d; start += chunk) {
      const count = Math.min(chunk, n * d - start);
      views[0].set(sv.subarray(start, start + count));
      views[1].set(av.subarray(start, start + count));
      views[2].set(bv.subarray(start, start + count));
      module.addScaledResidual(at.s, at.a, at.b, count, beta, gamma, at.out);
      out.set(result.subarray(0, count), start);
    }
  }) as tf.Tensor2D | null;
}
