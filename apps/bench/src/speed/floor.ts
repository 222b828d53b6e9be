/**
 * The floor of a score evaluation (roofline style): how many floating-point operations and bytes one evaluation of
 * the isotropic-mixture score needs, how fast the backend can go at best (a large matrix product for GFLOP/s, a large
 * element-wise sum for GB/s), and what fraction of that our evaluation reaches.
 *
 * Counting (float32, n rows, dimension d, K components; ALGORITHMS.md §3, as packages/scores/src/mixture-terms.ts
 * evaluates it with m_i = √a μ_i, c_i = a v_i + 1 − a):
 *   cross terms x μᵢᵀ for all i (one [n, d] × [d, K] product)     2ndK
 *   ‖x‖² per row                                                    2nd
 *   logits const_i + √a/c_i · cross_i − ‖x‖²/(2c_i)                 4nK
 *   softmax (max, subtract, exp, sum, divide; exp counted as 1)     5nK
 *   w_i = r_i / c_i and A = Σ_i w_i                                 2nK
 *   B = Σ_i w_i m_i (one [n, K] × [K, d] product)                   2ndK
 *   score B − A x                                                   2nd
 *   total F = n (4dK + 4d + 11K)
 * Compulsory traffic: read x and write the score (4 bytes each per entry) and read the means: Q = 4 (2nd + dK + 3K).
 * The arithmetic intensity F / Q ≈ K/2 flop per byte, so a fused kernel would be compute-bound wherever the backend's
 * ridge point (peak GFLOP/s ÷ GB/s) is below K/2. The executed kernels (tf.profile) move far more than Q: every
 * element-wise kernel reads and writes whole [n, d] or [n, K] tensors.
 */
import { tf } from '@rtk-diffusion/tensor';
import type { SpeedSize } from './sizes.js';
import { summarize, type TimingSummary } from './stats.js';

/** Floating-point operations of one score evaluation of the isotropic mixture: n (4dK + 4d + 11K). */
export function scoreFlops(size: SpeedSize): number {
  const { n, d, k } = size;
  return n * (4 * d * k + 4 * d + 11 * k);
}

/** Compulsory bytes of one score evaluation (float32): x in, score out, means and per-component constants in. */
export function scoreBytes(size: SpeedSize): number {
  const { n, d, k } = size;
  return 4 * (2 * n * d + d * k + 3 * k);
}

/** One executed kernel of a profiled evaluation. */
export interface KernelRecord {
  readonly name: string;
  /** Kernel time reported by the backend's timer (ms; wasm and cpu time the synchronous call). */
  readonly ms: number;
  /** Bytes of its inputs and outputs (float32 / int32: 4 per element). */
  readonly bytes: number;
  /** Floating-point operations: 2 m k n for a product, 5 per element for softmax, else one per element. */
  readonly flops: number;
}

/** What tf.profile saw of one evaluation. */
export interface KernelProfile {
  readonly kernels: readonly KernelRecord[];
  /** Sum of the kernels' input and output bytes: the traffic of the unfused evaluation. */
  readonly bytes: number;
  readonly flops: number;
  /** Sum of the kernel times (ms). */
  readonly ms: number;
}

const elements = (shape: readonly number[]) => shape.reduce((p, v) => p * v, 1);

/** Flops of one kernel from its shapes (see {@link KernelRecord.flops}). */
export function kernelFlops(
  name: string,
  inputShapes: readonly (readonly number[])[],
  outputShapes: readonly (readonly number[])[],
): number {
  const out = outputShapes.reduce((s, shape) => s + elements(shape), 0);
  const inputs = inputShapes.map(elements);
  if (/MatMul/i.test(name) && inputs.length >= 2 && out > 0) {
    // [m, k] × [k, p] → [m, p]: size(A) · size(B) / size(C) = k², whatever the transposes.
    const inner = Math.sqrt((inputs[0]! * inputs[1]!) / out);
    return 2 * out * inner;
  }
  if (/Softmax/i.test(name)) return 5 * out;
  if (/^(Sum|Max|Min|Mean|Prod|All|Any)$/.test(name)) return inputs[0] ?? 0;
  return out;
}

/** Profiles one call of `fn` (which returns a tensor it owns: disposed here) with tf.profile. */
export async function profileKernels(fn: () => tf.Tensor): Promise<KernelProfile> {
  const info = await tf.profile(() => fn());
  tf.dispose(info.result as tf.Tensor);
  const kernels = info.kernels.map((kernel): KernelRecord => {
    const inputShapes = kernel.inputShapes.map((s) => s ?? []);
    const outputShapes = kernel.outputShapes.map((s) => s ?? []);
    const bytes = 4 * [...inputShapes, ...outputShapes].reduce((s, shape) => s + elements(shape), 0);
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : Number.NaN;
    return { name: kernel.name, ms, bytes, flops: kernelFlops(kernel.name, inputShapes, outputShapes) };
  });
  return {
    kernels,
    bytes: kernels.reduce((s, k) => s + k.bytes, 0),
    flops: kernels.reduce((s, k) => s + k.flops, 0),
    ms: kernels.reduce((s, k) => s + (Number.isFinite(k.ms) ? k.ms : 0), 0),
  };
}

/** The kernels grouped by name, most time first: `[name, ms, share of the total]`. */
export function kernelShares(profile: KernelProfile): { name: string; ms: number; share: number }[] {
  const byName = new Map<string, number>();
  for (const k of profile.kernels)
    byName.set(k.name, (byName.get(k.name) ?? 0) + (Number.isFinite(k.ms) ? k.ms : 0));
  return [...byName]
    .map(([name, ms]) => ({ name, ms, share: profile.ms > 0 ? ms / profile.ms : 0 }))
    .sort((p, q) => q.ms - p.ms);
}

/** The backend's measured peak. */
export interface BackendPeak {
  /** Side m of the m × m × m matrix product. */
  readonly matmulSize: number;
  readonly matmulMs: TimingSummary;
  /** 2m³ / median time: the same statistic as the score times placed under it (the fastest repeat is in matmulMs). */
  readonly gflops: number;
  /** Elements of each operand of the element-wise sum. */
  readonly addElements: number;
  readonly addMs: TimingSummary;
  /** 12 · elements / median time: two float32 reads and one write per element. */
  readonly bandwidthGBs: number;
}

/** Times `fn` (which returns a tensor it owns) once as warm-up, then `repeats` times. */
function timeTensor(fn: () => tf.Tensor, repeats: number): TimingSummary {
  tf.dispose(fn());
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const out = fn();
    times.push(performance.now() - start);
    out.dispose();
  }
  return summarize(times);
}

/**
 * Measures the current backend's peak: an m × m by m × m matMul (GFLOP/s) and the sum of two vectors of `elements`
 * float32 numbers (GB/s), each from its median repeat (like the score times it is compared with). The operands are made
 * once, outside the timing. (wasm, cpu and tensorflow run kernels
 * synchronously, so the clock stops when the op returns; nothing is downloaded.)
 */
export function measurePeak(options: { matmulSize: number; elements: number; repeats: number }): BackendPeak {
  const { matmulSize: m, elements: e, repeats } = options;
  const [a, b] = [tf.randomNormal([m, m], 0, 1, 'float32', 1), tf.randomNormal([m, m], 0, 1, 'float32', 2)];
  const matmulMs = timeTensor(() => tf.matMul(a, b), repeats);
  tf.dispose([a, b]);
  const [u, v] = [tf.randomNormal([e], 0, 1, 'float32', 3), tf.randomNormal([e], 0, 1, 'float32', 4)];
  const addMs = timeTensor(() => tf.add(u, v), repeats);
  tf.dispose([u, v]);
  return {
    matmulSize: m,
    matmulMs,
    gflops: (2 * m ** 3) / (matmulMs.median * 1e6),
    addElements: e,
    addMs,
    bandwidthGBs: (12 * e) / (addMs.median * 1e6),
  };
}

/** Times the score's dominant product alone at this size: [n, d] × [d, K] (what the best matMul does here). */
export function measureShapeProduct(size: SpeedSize, repeats: number): TimingSummary {
  const x = tf.randomNormal([size.n, size.d], 0, 1, 'float32', 5);
  const w = tf.randomNormal([size.d, size.k], 0, 1, 'float32', 6);
  const ms = timeTensor(() => tf.matMul(x, w), repeats);
  tf.dispose([x, w]);
  return ms;
}

/** Our score against the floor at one size on one backend. */
export interface Roofline {
  readonly flops: number;
  readonly compulsoryBytes: number;
  /** F / Q (flop per byte). */
  readonly intensity: number;
  /** Peak GFLOP/s ÷ GB/s: intensities below it are memory-bound. */
  readonly ridge: number;
  readonly bound: 'compute' | 'memory';
  /** min(peak, intensity × bandwidth) in GFLOP/s: the best a fused evaluation could do. */
  readonly attainableGflops: number;
  /** F / our median time. */
  readonly achievedGflops: number;
  readonly fractionOfPeak: number;
  readonly fractionOfAttainable: number;
  /** Lower bound on the time (ms): F / attainable. */
  readonly floorMs: number;
}

/** Places a measured score time (ms) on the roofline of a backend's peak. */
export function roofline(
  size: SpeedSize,
  scoreMs: number,
  peak: Pick<BackendPeak, 'gflops' | 'bandwidthGBs'>,
): Roofline {
  const flops = scoreFlops(size);
  const compulsoryBytes = scoreBytes(size);
  const intensity = flops / compulsoryBytes;
  const ridge = peak.gflops / peak.bandwidthGBs;
  const attainableGflops = Math.min(peak.gflops, intensity * peak.bandwidthGBs);
  const achievedGflops = flops / (scoreMs * 1e6);
  return {
    flops,
    compulsoryBytes,
    intensity,
    ridge,
    bound: intensity >= ridge ? 'compute' : 'memory',
    attainableGflops,
    achievedGflops,
    fractionOfPeak: achievedGflops / peak.gflops,
    fractionOfAttainable: achievedGflops / attainableGflops,
    floorMs: flops / (attainableGflops * 1e6),
  };
}
