/**
 * The bulk fills behind `Rng.normalArray` and `Rng.uniformArray`: Philox4x32-10 of the counter (⌊j/4⌋, row, draw, 0)
 * for element (row, j), then Box–Muller (normals) or ((w >>> 8) + ½) 2^−24 (uniforms, clamped to the float32 numbers
 * strictly inside the interval: see `uniformOf` in normals-js.ts).
 *
 * Two engines give the same float32 numbers: a WebAssembly SIMD module (assembly/normals.ts, compiled by AssemblyScript
 * with assembly/kernels.ts and embedded as base64, see host-module.ts; four Philox blocks per SIMD lane group, the
 * transform in f64x2) and plain JavaScript (normals-js.ts). Both compute Box–Muller's log, cos and sin with the same float64 polynomials in the same order of operations (IEEE
 * arithmetic is exact to the bit in both), instead of Math.log/cos/sin, whose last bits may differ between JavaScript
 * engines: so the numbers no longer depend on the engine either. The polynomials are accurate to ≈ 1e−16, so the
 * float32 results equal those of Math.log/cos/sin (a test checks this on 10^5 numbers).
 *
 *   log u, u = (w + ½) 2^−32:  w + ½ = 2^e m exactly, m ∈ [1/√2, √2]; log u = (e − 32) ln 2 + 2 atanh s,
 *                               s = (m − 1)/(m + 1), atanh by its Taylor series to s^17 (|s| ≤ 0.172).
 *   cos, sin of 2π w 2^−32:    octant q = w >>> 29 and t ∈ [0, π/4] from the low 29 bits (reflected in odd octants),
 *                               both exact on the integer; sin t, cos t by Taylor series to t^15, t^16; then the
 *                               exact symmetries of the octant.
 */
import { floats, hostModule, regions, rowsPerChunk, setHostEngine } from './host-module.js';
import { normalsJs, type UniformInterval, uniformOf, uniformsJs } from './normals-js.js';

/** Which engine fills the arrays. */
export type RngEngine = 'wasm-simd' | 'js';

/** Floats computed per call into the module's memory (1 MiB), then copied out. */
const CHUNK_FLOATS = 2 ** 18;

/** The engine that fills arrays now: `wasm-simd` when WebAssembly SIMD is available, else `js`. */
export function rngEngine(): RngEngine {
  return hostModule() !== null ? 'wasm-simd' : 'js';
}

/**
 * Forces the JavaScript engine (`'js'`) or restores the default (`'auto'`). For tests and benchmarks: both engines
 * give the same numbers (this switches every kernel of the package's WebAssembly module, see host-module.ts).
 *
 * @internal
 */
export function setRngEngine(engine: 'js' | 'auto'): void {
  setHostEngine(engine);
}

/** Fills `out` (n × d, row-major) with rows row0 … row0 + n − 1 of normal draw `draw` of the stream (k0, k1). */
export function fillNormals(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
): void {
  const module = hostModule();
  if (module === null) {
    normalsJs(out, k0, k1, draw, row0, n, d);
    return;
  }
  const rows = rowsPerChunk(n, d, CHUNK_FLOATS);
  const { output } = regions(module, { output: rows * d });
  const memory = floats(module, output, rows * d);
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    module.normals(k0, k1, draw, row0 + start, count, d, output);
    out.set(memory.subarray(0, count * d), start * d);
  }
}

/**
 * Fills `out` (n × d) with uniforms low + width · u, u = ((w >>> 8) + ½) 2^−24, of draw `draw`, clamped to
 * [bottom, top]: the smallest and largest float32 numbers strictly inside the interval.
 */
export function fillUniforms(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
  interval: UniformInterval,
): void {
  const module = hostModule();
  if (module === null) {
    uniformsJs(out, k0, k1, draw, row0, n, d, interval);
    return;
  }
  const rows = rowsPerChunk(n, d, CHUNK_FLOATS);
  const { output } = regions(module, { output: rows * d });
  const memory = floats(module, output, rows * d);
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    const { low, width, bottom, top } = interval;
    module.uniforms(k0, k1, draw, row0 + start, count, d, low, width, bottom, top, output);
    out.set(memory.subarray(0, count * d), start * d);
  }
}

/**
 * The uniform of one Philox word w by the engine in use (`uniformOf` of normals-js.ts or of assembly/normals.ts), so
 * tests can check both engines at words a draw rarely reaches.
 *
 * @internal
 */
export function uniformOfWord(w: number, interval: UniformInterval): number {
  const module = hostModule();
  if (module === null) return uniformOf(w, interval);
  return module.uniformOfWord(w, interval.low, interval.width, interval.bottom, interval.top);
}
