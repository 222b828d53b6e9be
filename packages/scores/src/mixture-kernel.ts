/**
 * Fused WebAssembly SIMD kernels for the score of a mixture whose components are isotropic or diagonal (ALGORITHMS.md §3;
 * the formulas of mixture-terms.ts, row by row in one pass instead of ≈ 20 TensorFlow.js ops): source
 * assembly/mixture.ts, compiled by AssemblyScript into the committed mixture-kernel-wasm.generated.ts.
 *
 * Used on the `wasm` and `cpu` backends, where reading a tensor's values is a memory copy (on `webgl` or `webgpu` it
 * would be a GPU round trip, so those keep the tensor ops), for d ≤ 32 and K ≤ 1024. Float32 like the tensor path, in
 * another order of operations: tests bound the difference.
 */
import { hostTensor, hostValues, lazyWasmModule, tf } from '@rtk-diffusion/tensor';
import { type Components, type DiagonalGroup, fullLevel, LOG_TWO_PI } from './components.js';
import { MIXTURE_WASM_BASE64 } from './mixture-kernel-wasm.generated.js';

interface MixtureModule {
  readonly memory: WebAssembly.Memory;
  isotropicScore(
    rows: number,
    d: number,
    k: number,
    kp: number,
    oneMinusRootA: number,
    center: number,
    centredT: number,
    scale: number,
    half: number,
    constant: number,
    precision: number,
    means: number,
    x: number,
    out: number,
    scratch: number,
    density: number,
  ): void;
  fullScore(
    rows: number,
    d: number,
    k: number,
    kp: number,
    oneMinusRootA: number,
    precision: number,
    means: number,
    constant: number,
    x: number,
    out: number,
    scratch: number,
    density: number,
  ): void;
  diagonalScore(
    rows: number,
    d: number,
    k: number,
    kp: number,
    oneMinusRootA: number,
    center: number,
    crossT: number,
    squareT: number,
    constant: number,
    precision: number,
    scaledMeans: number,
    x: number,
    out: number,
    scratch: number,
    density: number,
  ): void;
}

/** Most components the kernel takes (its per-call copy of the means is K × d floats). */
const MAX_COMPONENTS = 1024;
/**
 * Largest dimension for the kernel. Above it the tensor path's blocked matrix products (XNNPACK) win: measured on
 * wasm (CPU ms, fused vs tensor ops) at n = 10 000, K = 16: d = 32 2.8 vs 3.6, d = 48 4.7 vs 4.2, d = 128 13.9 vs
 * 11.5; at n = 1000, d = 784, K = 10: 7.9 vs 5.9.
 */
const MAX_DIM = 32;
/** Rows per kernel call: about 2^18 floats of x and as many of the output in the module's memory. */
const CHUNK_FLOATS = 2 ** 18;
const PAGE_BYTES = 65_536;

const loadWasm = lazyWasmModule<MixtureModule>(MIXTURE_WASM_BASE64, 'scores');
let disabled = false;

/**
 * Turns the fused kernel off (`'tfjs'`) or back on (`'auto'`). For tests and benchmarks.
 *
 * @internal
 */
export function setMixtureKernel(kernel: 'tfjs' | 'auto'): void {
  disabled = kernel === 'tfjs';
}

/**
 * The score s(x, a) by a fused kernel (isotropic, diagonal, or dense precisions when a component is full), or null
 * where none applies (d > 32, more than 1024 components, a GPU backend, no WebAssembly SIMD). Validates nothing:
 * the caller has.
 *
 * @internal
 */
export function fusedScore(components: Components, x: tf.Tensor2D, a: number): tf.Tensor2D | null {
  return fused(components, x, a, 'score') as tf.Tensor2D | null;
}

/**
 * log p_a(x) by the same kernels (the logits' log-sum-exp), or null where they do not apply.
 *
 * @internal
 */
export function fusedLogDensity(components: Components, x: tf.Tensor2D, a: number): tf.Tensor1D | null {
  return fused(components, x, a, 'logDensity') as tf.Tensor1D | null;
}

type Want = 'score' | 'logDensity';

function fused(components: Components, x: tf.Tensor2D, a: number, want: Want): tf.Tensor | null {
  const k = components.count;
  const [n, d] = x.shape;
  if (disabled || k > MAX_COMPONENTS || d > MAX_DIM) return null;
  const backend = tf.getBackend();
  if (backend !== 'wasm' && backend !== 'cpu') return null;
  const module = loadWasm();
  if (module === null) return null;
  const group = components.diagonal;
  if (components.full !== null || group === null) return denseScore(module, components, x, a, want);
  const kp = Math.ceil(k / 4) * 4;
  const rootA = Math.sqrt(a);
  const rows = rowsPerCall(n, d);
  // Float32 regions of the module's memory, each 16-byte aligned.
  const sizes: [string, number][] = group.isotropic
    ? [
        ['center', d],
        ['centredT', d * kp],
        ['scale', kp],
        ['half', kp],
        ['constant', kp],
        ['precision', kp],
        ['means', k * d],
      ]
    : [
        ['center', d],
        ['crossT', d * kp],
        ['squareT', d * kp],
        ['constant', kp],
        ['precision', k * d],
        ['scaledMeans', k * d],
      ];
  sizes.push(['scratch', d + kp], ['x', rows * d], ['out', rows * d], ['density', 2 * rows]);
  const { at, view } = layout(module, sizes);
  view('center', d).set(Float32Array.from(components.center, (v) => rootA * v));
  const constant = view('constant', kp);
  constant.fill(Number.NEGATIVE_INFINITY);
  if (group.isotropic) writeIsotropic(components, group, a, d, k, kp, view, constant);
  else writeDiagonal(components, group, a, d, k, kp, view, constant);
  const oneMinusRootA = (1 - a) / (1 + rootA);
  return byChunks(x, rows, view, want, (count) => {
    if (group.isotropic) {
      module.isotropicScore(
        count,
        d,
        k,
        kp,
        oneMinusRootA,
        at.center!,
        at.centredT!,
        at.scale!,
        at.half!,
        at.constant!,
        at.precision!,
        at.means!,
        at.x!,
        want === 'score' ? at.out! : 0,
        at.scratch!,
        want === 'score' ? 0 : at.density!,
      );
    } else {
      module.diagonalScore(
        count,
        d,
        k,
        kp,
        oneMinusRootA,
        at.center!,
        at.crossT!,
        at.squareT!,
        at.constant!,
        at.precision!,
        at.scaledMeans!,
        at.x!,
        want === 'score' ? at.out! : 0,
        at.scratch!,
        want === 'score' ? 0 : at.density!,
      );
    }
  });
}

type View = (name: string, size: number) => Float32Array;

function rowsPerCall(n: number, d: number): number {
  return Math.max(1, Math.min(n, Math.floor(CHUNK_FLOATS / d)));
}

/** Places float32 regions of the given sizes in the module's memory (16-byte aligned, grown as needed). */
function layout(
  module: MixtureModule,
  sizes: readonly [string, number][],
): { at: Record<string, number>; view: View } {
  const at: Record<string, number> = {};
  // The first page stays the module's own (AssemblyScript places static data there; these kernels have none today).
  let offset = PAGE_BYTES;
  for (const [name, size] of sizes) {
    at[name] = offset;
    offset += Math.ceil(size / 4) * 16;
  }
  const have = module.memory.buffer.byteLength;
  if (have < offset) module.memory.grow(Math.ceil((offset - have) / PAGE_BYTES));
  const heap = new Float32Array(module.memory.buffer);
  return { at, view: (name, size) => heap.subarray(at[name]! / 4, at[name]! / 4 + size) };
}

/**
 * Runs `kernel(count)` on chunks of rows copied through the `x` region, collecting the `out` region (scores, [n, d])
 * or the `density` region (per row the logits' max and Σ e^(logit − max): log p = max + log Σ) into a tensor. x is read
 * and the result written in the backend's own memory (`hostValues`, `hostTensor`): no fresh [n, d] arrays, which cost
 * ≈ 2 ms per 4 MB in page faults (dataSync's copy of x and the result array before).
 */
function byChunks(
  x: tf.Tensor2D,
  rows: number,
  view: View,
  want: Want,
  kernel: (count: number) => void,
): tf.Tensor2D | tf.Tensor1D {
  const [n, d] = x.shape;
  const input = view('x', rows * d);
  const output = want === 'score' ? view('out', rows * d) : view('density', 2 * rows);
  // fused() runs only on the wasm and cpu backends, where hostTensor and hostValues always apply.
  const result = hostTensor(want === 'score' ? [n, d] : [n], (out) => {
    const values = hostValues(x)!;
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      input.set(values.subarray(start * d, (start + count) * d));
      kernel(count);
      if (want === 'score') out.set(output.subarray(0, count * d), start * d);
      else for (let i = 0; i < count; i++) out[start + i] = output[2 * i]! + Math.log(output[2 * i + 1]!);
    }
  })!;
  return result as tf.Tensor2D | tf.Tensor1D;
}

/**
 * Every component as a dense precision C_k⁻¹ (full ones from the per-level Cholesky cache, diagonal ones as
 * diagonal matrices), evaluated in the direct form of mixture-terms.ts' full group.
 */
function denseScore(
  module: MixtureModule,
  components: Components,
  x: tf.Tensor2D,
  a: number,
  want: Want,
): tf.Tensor {
  const k = components.count;
  const [n, d] = x.shape;
  const kp = Math.ceil(k / 4) * 4;
  const rows = rowsPerCall(n, d);
  const { at, view } = layout(module, [
    ['precision', k * d * d],
    ['means', k * d],
    ['constant', kp],
    ['scratch', 2 * d + kp + k * d],
    ['x', rows * d],
    ['out', rows * d],
    ['density', 2 * rows],
  ]);
  const [precision, means, constant] = [
    view('precision', k * d * d),
    view('means', k * d),
    view('constant', kp),
  ];
  precision.fill(0);
  constant.fill(Number.NEGATIVE_INFINITY);
  let position = 0;
  const diagonal = components.diagonal;
  if (diagonal !== null) {
    diagonal.indices.forEach((i, row) => {
      let logDet = 0;
      for (let j = 0; j < d; j++) {
        const c = a * diagonal.variances[diagonal.isotropic ? row : row * d + j]! + (1 - a);
        precision[position * d * d + j * d + j] = 1 / c;
        logDet += Math.log(c);
      }
      means.set(diagonal.means.subarray(row * d, (row + 1) * d), position * d);
      constant[position] = components.logWeights[i]! - 0.5 * (d * LOG_TWO_PI + logDet);
      position++;
    });
  }
  const full = components.full;
  if (full !== null) {
    const level = fullLevel(full, d, a);
    full.indices.forEach((i, f) => {
      precision.set(level.precision.subarray(f * d * d, (f + 1) * d * d), position * d * d);
      means.set(full.means.subarray(f * d, (f + 1) * d), position * d);
      constant[position] = components.logWeights[i]! - 0.5 * (d * LOG_TWO_PI + level.logDet[f]!);
      position++;
    });
  }
  const oneMinusRootA = (1 - a) / (1 + Math.sqrt(a));
  return byChunks(x, rows, view, want, (count) =>
    module.fullScore(
      count,
      d,
      k,
      kp,
      oneMinusRootA,
      at.precision!,
      at.means!,
      at.constant!,
      at.x!,
      want === 'score' ? at.out! : 0,
      at.scratch!,
      want === 'score' ? 0 : at.density!,
    ),
  );
}

/** Per-level constants of all-isotropic components, as mixture-terms.ts (float64, then float32). */
function writeIsotropic(
  components: Components,
  group: DiagonalGroup,
  a: number,
  d: number,
  k: number,
  kp: number,
  view: View,
  constant: Float32Array,
): void {
  const rootA = Math.sqrt(a);
  const centredT = view('centredT', d * kp);
  centredT.fill(0);
  for (let j = 0; j < d; j++) centredT.set(group.centredTransposed.subarray(j * k, (j + 1) * k), j * kp);
  const [scale, half, precision] = [view('scale', kp), view('half', kp), view('precision', kp)];
  scale.fill(0);
  half.fill(0);
  precision.fill(0);
  group.indices.forEach((i, row) => {
    const c = a * group.variances[row]! + (1 - a);
    const p = 1 / c;
    precision[row] = p;
    scale[row] = rootA * p;
    half[row] = -0.5 * p;
    constant[row] =
      components.logWeights[i]! -
      0.5 * d * (LOG_TWO_PI + Math.log(c)) -
      0.5 * a * p * group.centredNorms[row]!;
  });
  view('means', k * d).set(group.means.subarray(0, k * d));
}

/** Per-level constants of diagonal components, as mixture-terms.ts (float64, then float32). */
function writeDiagonal(
  components: Components,
  group: DiagonalGroup,
  a: number,
  d: number,
  k: number,
  kp: number,
  view: View,
  constant: Float32Array,
): void {
  const rootA = Math.sqrt(a);
  const [crossT, squareT] = [view('crossT', d * kp), view('squareT', d * kp)];
  crossT.fill(0);
  squareT.fill(0);
  const [precision, scaledMeans] = [view('precision', k * d), view('scaledMeans', k * d)];
  group.indices.forEach((i, row) => {
    let logDet = 0;
    let quadratic = 0;
    for (let j = 0; j < d; j++) {
      const c = a * group.variances[row * d + j]! + (1 - a);
      const p = 1 / c;
      const centredMean = rootA * group.centred[row * d + j]!;
      precision[row * d + j] = p;
      squareT[j * kp + row] = -0.5 * p;
      crossT[j * kp + row] = centredMean * p;
      scaledMeans[row * d + j] = group.means[row * d + j]! * p;
      logDet += Math.log(c);
      quadratic += p * centredMean * centredMean;
    }
    constant[row] = components.logWeights[i]! - 0.5 * (d * LOG_TWO_PI + logDet) - 0.5 * quadratic;
  });
}
