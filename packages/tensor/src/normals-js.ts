/**
 * The JavaScript engine of src/normals.ts: Philox4x32-10 on int32 words and the Box–Muller and uniform transforms,
 * operation for operation those of assembly/normals.ts (the WebAssembly engine), so both give the same float32 numbers.
 * Used where WebAssembly SIMD is missing, and by tests that compare the engines.
 */
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

/** `fillNormals` of src/normals.ts, in JavaScript. */
export function normalsJs(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
): void {
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

/** The interval of a uniform draw: numbers low + width u, clamped to [bottom, top]. */
export interface UniformInterval {
  readonly low: number;
  readonly width: number;
  /** The smallest float32 number strictly above low. */
  readonly bottom: number;
  /** The largest float32 number strictly below low + width. */
  readonly top: number;
}

/**
 * The uniform of the word w: low + width ((w >>> 8) + ½) 2^−24 in float64, rounded once to float32, clamped to
 * [bottom, top] (the operations of `uniformOf` in assembly/normals.ts). The rounding can land on an end of the
 * interval, e.g. on 1 for the top 24-bit word k = 2^24 − 1 (k + ½ = 2^24 − ½ is halfway between the float32 numbers
 * 1 − 2^−24 and 1, and ties go to the even 1); the clamp moves only such values, so every other number is unchanged.
 *
 * @internal
 */
export function uniformOf(w: number, { low, width, bottom, top }: UniformInterval): number {
  const value = Math.fround(low + width * ((w >>> 8) + 0.5) * TWO_POW_MINUS_24);
  return Math.min(Math.max(value, bottom), top);
}

/** `fillUniforms` of src/normals.ts, in JavaScript. */
export function uniformsJs(
  out: Float32Array,
  k0: number,
  k1: number,
  draw: number,
  row0: number,
  n: number,
  d: number,
  interval: UniformInterval,
): void {
  const words = new Int32Array(4);
  const blocks = Math.ceil(d / 4);
  for (let i = 0; i < n; i++) {
    const base = i * d;
    for (let block = 0; block < blocks; block++) {
      philoxBlock(block, row0 + i, draw, k0, k1, words);
      const column = block * 4;
      const count = Math.min(4, d - column);
      for (let k = 0; k < count; k++) {
        out[base + column + k] = uniformOf(words[k]!, interval);
      }
    }
  }
}
