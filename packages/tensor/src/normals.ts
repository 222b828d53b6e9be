/**
 * The bulk fills behind `Rng.normalArray` and `Rng.uniformArray`: Philox4x32-10 of the counter (⌊j/4⌋, row, draw, 0)
 * for element (row, j), then Box–Muller (normals) or (w >>> 8 + ½) 2^−24 (uniforms).
 *
 * Two engines give the same float32 numbers: a WebAssembly SIMD module (assembly/normals.ts, compiled by AssemblyScript
 * and embedded as base64; four Philox blocks per SIMD lane group, the transform in f64x2) and plain JavaScript. Both
 * compute Box–Muller's log, cos and sin with the same float64 polynomials in the same order of operations (IEEE
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
import { NORMALS_WASM_BASE64 } from './normals-wasm.generated.js';

/** Which engine fills the arrays. */
export type RngEngine = 'wasm-simd' | 'js';

interface NormalsModule {
  readonly memory: WebAssembly.Memory;
  normals(k0: number, k1: number, draw: number, row0: number, rows: number, d: number, out: number): void;
  uniforms(
    k0: number,
    k1: number,
    draw: number,
    row0: number,
    rows: number,
    d: number,
    low: number,
    width: number,
    out: number,
  ): void;
}

/** Floats computed per call into the module's memory (1 MiB), then copied out. */
const CHUNK_FLOATS = 2 ** 18;
const PAGE_BYTES = 65_536;
const OUTPUT_OFFSET = PAGE_BYTES;

/** undefined: not tried yet; null: unavailable (no WebAssembly, no SIMD, or a synchronous compile refused). */
let wasmModule: NormalsModule | null | undefined;
let preferJs = false;

function loadWasm(): NormalsModule | null {
  if (wasmModule !== undefined) return wasmModule;
  wasmModule = null;
  if (typeof WebAssembly === 'undefined' || typeof atob === 'undefined') return null;
  const bytes = Uint8Array.from(atob(NORMALS_WASM_BASE64), (c) => c.charCodeAt(0));
  const imports = {
    env: {
      abort: () => {
        throw new Error('rng: the normals WebAssembly module aborted');
      },
    },
  };
  try {
    wasmModule = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports)
      .exports as unknown as NormalsModule;
  } catch {
    // Some browsers refuse synchronous compilation (or instantiation) of modules over 4 KB on the main thread:
    // do both in the background and use JavaScript (same numbers) until it is ready. No SIMD: JavaScript stays.
    WebAssembly.instantiate(bytes, imports)
      .then(({ instance }) => {
        wasmModule = instance.exports as unknown as NormalsModule;
      })
      .catch(() => undefined);
  }
  return wasmModule;
}

/** The engine that fills arrays now: `wasm-simd` when WebAssembly SIMD is available, else `js`. */
export function rngEngine(): RngEngine {
  return !preferJs && loadWasm() !== null ? 'wasm-simd' : 'js';
}

/**
 * Forces the JavaScript engine (`'js'`) or restores the default (`'auto'`). For tests and benchmarks: both engines
 * give the same numbers.
 *
 * @internal
 */
export function setRngEngine(engine: 'js' | 'auto'): void {
  preferJs = engine === 'js';
}

/**
 * `floats` numbers of the module's memory from {@link OUTPUT_OFFSET} on, grown as needed. The first page stays the
 * module's own (AssemblyScript places static data there; this module has none today).
 */
function wasmFloats(module: NormalsModule, floats: number): Float32Array {
  const bytes = OUTPUT_OFFSET + floats * 4;
  const have = module.memory.buffer.byteLength;
  if (have < bytes) module.memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
  return new Float32Array(module.memory.buffer, OUTPUT_OFFSET, floats);
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
  const module = preferJs ? null : loadWasm();
  if (module === null) {
    normalsJs(out, k0, k1, draw, row0, n, d);
    return;
  }
  const rows = Math.max(1, Math.floor(CHUNK_FLOATS / d));
  const memory = wasmFloats(module, Math.min(n, rows) * d);
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    module.normals(k0, k1, draw, row0 + start, count, d, OUTPUT_OFFSET);
    out.set(memory.subarray(0, count * d), start * d);
  }
}

/** Fills `out` (n × d) with uniforms low + width · u, u = ((w >>> 8) + ½) 2^−24, of draw `draw`. */
export function fillUniforms(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
  low: number,
  width: number,
): void {
  const module = preferJs ? null : loadWasm();
  if (module === null) {
    uniformsJs(out, k0, k1, draw, row0, n, d, low, width);
    return;
  }
  const rows = Math.max(1, Math.floor(CHUNK_FLOATS / d));
  const memory = wasmFloats(module, Math.min(n, rows) * d);
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    module.uniforms(k0, k1, draw, row0 + start, count, d, low, width, OUTPUT_OFFSET);
    out.set(memory.subarray(0, count * d), start * d);
  }
}

// Philox4x32 multipliers (as 16-bit halves) and Weyl increments (Salmon et al. 2011, Table 2).
const M0 = 0xd2511f53 | 0;
const M1 = 0xcd9e8d57 | 0;
const M0_LOW = 0xd2511f53 & 0xffff;
const M0_HIGH = 0xd2511f53 >>> 16;
const M1_LOW = 0xcd9e8d57 & 0xffff;
const M1_HIGH = 0xcd9e8d57 >>> 16;
const W0 = 0x9e3779b9 | 0;
const W1 = 0xbb67ae85 | 0;

// Polynomial coefficients (the literals of assembly/normals.ts): Taylor series of sin, cos and atanh.
const S3 = -0.16666666666666666;
const S5 = 0.008333333333333333;
const S7 = -0.0001984126984126984;
const S9 = 0.0000027557319223985893;
const S11 = -2.505210838544172e-8;
const S13 = 1.6059043836821613e-10;
const S15 = -7.647163731819816e-13;
const C2 = -0.5;
const C4 = 0.041666666666666664;
const C6 = -0.001388888888888889;
const C8 = 0.0000248015873015873;
const C10 = -2.755731922398589e-7;
const C12 = 2.08767569878681e-9;
const C14 = -1.1470745597729725e-11;
const C16 = 4.779477332387385e-14;
const A3 = 0.3333333333333333;
const A5 = 0.2;
const A7 = 0.14285714285714285;
const A9 = 0.1111111111111111;
const A11 = 0.09090909090909091;
const A13 = 0.07692307692307693;
const A15 = 0.06666666666666667;
const A17 = 0.058823529411764705;
const LN2 = Math.LN2;
const SQRT2 = Math.SQRT2;
/** (π/4) 2^−29: the angle of one step of the low 29 bits. */
const ANGLE_SCALE = 1.4629180792671596e-9;
const OCTANT = 0x20000000;
const TWO_POW_MINUS_24 = 2 ** -24;
/** 2^−e for e = 0 … 31, by exact halving. */
const POW2_NEG = Float64Array.from({ length: 32 }, (_, e) => 0.5 ** e);

/** High 32 bits (as int32) of the unsigned 64-bit product of a (int32 bits) and the constant bHigh·2^16 + bLow. */
function mulhi(a: number, bLow: number, bHigh: number): number {
  const aLow = a & 0xffff;
  const aHigh = a >>> 16;
  const lowHigh = aLow * bHigh;
  const highLow = aHigh * bLow;
  const middle = ((aLow * bLow) >>> 16) + (lowHigh & 0xffff) + (highLow & 0xffff);
  return (aHigh * bHigh + (lowHigh >>> 16) + (highLow >>> 16) + (middle >>> 16)) | 0;
}

/** Philox4x32-10 of (c0, c1, c2, 0) under (k0, k1), into `words` (int32 bits). */
function philoxBlock(c0: number, c1: number, c2: number, k0: number, k1: number, words: Int32Array): void {
  let x0 = c0 | 0;
  let x1 = c1 | 0;
  let x2 = c2 | 0;
  let x3 = 0;
  let key0 = k0 | 0;
  let key1 = k1 | 0;
  for (let round = 0; round < 10; round++) {
    const high0 = mulhi(x0, M0_LOW, M0_HIGH);
    const low0 = Math.imul(M0, x0);
    const high1 = mulhi(x2, M1_LOW, M1_HIGH);
    const low1 = Math.imul(M1, x2);
    x0 = high1 ^ x1 ^ key0;
    x1 = low1;
    x2 = high0 ^ x3 ^ key1;
    x3 = low0;
    key0 = (key0 + W0) | 0;
    key1 = (key1 + W1) | 0;
  }
  words[0] = x0;
  words[1] = x1;
  words[2] = x2;
  words[3] = x3;
}

/**
 * sqrt(−2 log((w + ½) 2^−32)) for an unsigned word w (the operations of `radius2` in assembly/normals.ts).
 *
 * @internal
 */
export function radius(w: number): number {
  let e = -1;
  let m = 1;
  if (w !== 0) {
    e = 31 - Math.clz32(w);
    m = (w + 0.5) * POW2_NEG[e]!;
  }
  if (m > SQRT2) {
    m = m * 0.5;
    e = e + 1;
  }
  const s = (m - 1) / (m + 1);
  const z = s * s;
  const series = 1 + z * (A3 + z * (A5 + z * (A7 + z * (A9 + z * (A11 + z * (A13 + z * (A15 + z * A17)))))));
  return Math.sqrt(-2 * ((e - 32) * LN2 + 2 * s * series));
}

/**
 * [cos, sin] of 2π w 2^−32 into `out` (the operations of `angle2` in assembly/normals.ts).
 *
 * @internal
 */
export function angle(w: number, out: Float64Array): void {
  const octant = w >>> 29;
  const f = w & (OCTANT - 1);
  const odd = (octant & 1) !== 0;
  const t = (odd ? OCTANT - f : f) * ANGLE_SCALE;
  const z = t * t;
  const sinT = t * (1 + z * (S3 + z * (S5 + z * (S7 + z * (S9 + z * (S11 + z * (S13 + z * S15)))))));
  const cosT = 1 + z * (C2 + z * (C4 + z * (C6 + z * (C8 + z * (C10 + z * (C12 + z * (C14 + z * C16)))))));
  const sinPhi = odd ? cosT : sinT;
  const cosPhi = odd ? sinT : cosT;
  const quadrant = octant >>> 1;
  if (quadrant === 0) {
    out[0] = cosPhi;
    out[1] = sinPhi;
  } else if (quadrant === 1) {
    out[0] = -sinPhi;
    out[1] = cosPhi;
  } else if (quadrant === 2) {
    out[0] = -cosPhi;
    out[1] = -sinPhi;
  } else {
    out[0] = sinPhi;
    out[1] = -cosPhi;
  }
}

function normalsJs(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
) {
  const words = new Int32Array(4);
  const trig = new Float64Array(2);
  const blocks = Math.ceil(d / 4);
  for (let i = 0; i < n; i++) {
    const row = row0 + i;
    const base = i * d;
    for (let block = 0; block < blocks; block++) {
      philoxBlock(block, row, draw, k0, k1, words);
      const column = block * 4;
      const remaining = d - column;
      const r0 = radius(words[0]! >>> 0);
      angle(words[1]! >>> 0, trig);
      out[base + column] = r0 * trig[0]!;
      if (remaining > 1) out[base + column + 1] = r0 * trig[1]!;
      if (remaining > 2) {
        const r1 = radius(words[2]! >>> 0);
        angle(words[3]! >>> 0, trig);
        out[base + column + 2] = r1 * trig[0]!;
        if (remaining > 3) out[base + column + 3] = r1 * trig[1]!;
      }
    }
  }
}

function uniformsJs(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
  low: number,
  width: number,
) {
  const words = new Int32Array(4);
  const blocks = Math.ceil(d / 4);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let block = 0; block < blocks; block++) {
      philoxBlock(block, row0 + i, draw, k0, k1, words);
      const column = block * 4;
      const count = Math.min(4, d - column);
      for (let k = 0; k < count; k++) {
        out[base + column + k] = low + width * ((words[k]! >>> 8) + 0.5) * TWO_POW_MINUS_24;
      }
    }
  }
}
