/**
 * AssemblyScript source of `src/normals-wasm.generated.ts` (compile with `node scripts/build-wasm.mjs`): Philox4x32-10
 * and the Box–Muller and uniform transforms of src/normals-js.ts, operation for operation, so both give the same
 * float32 numbers.
 * Element (i, j) of a draw is word j mod 4 of the transform of Philox4x32-10 of the counter (⌊j/4⌋, row0 + i, draw, 0).
 * Not TypeScript for tsc: `u32`, `f64`, `load`, `store` are AssemblyScript built-ins.
 */

// Philox4x32 multipliers and Weyl increments (Salmon et al. 2011, Table 2).
const M0: u64 = 0xd2511f53;
const M1: u64 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// Polynomial coefficients: the literals of src/normals-js.ts (Taylor series of sin, cos and atanh).
const S3: f64 = -0.16666666666666666;
const S5: f64 = 0.008333333333333333;
const S7: f64 = -0.0001984126984126984;
const S9: f64 = 0.0000027557319223985893;
const S11: f64 = -2.505210838544172e-8;
const S13: f64 = 1.6059043836821613e-10;
const S15: f64 = -7.647163731819816e-13;
const C2: f64 = -0.5;
const C4: f64 = 0.041666666666666664;
const C6: f64 = -0.001388888888888889;
const C8: f64 = 0.0000248015873015873;
const C10: f64 = -2.755731922398589e-7;
const C12: f64 = 2.08767569878681e-9;
const C14: f64 = -1.1470745597729725e-11;
const C16: f64 = 4.779477332387385e-14;
const A3: f64 = 0.3333333333333333;
const A5: f64 = 0.2;
const A7: f64 = 0.14285714285714285;
const A9: f64 = 0.1111111111111111;
const A11: f64 = 0.09090909090909091;
const A13: f64 = 0.07692307692307693;
const A15: f64 = 0.06666666666666667;
const A17: f64 = 0.058823529411764705;
const LN2: f64 = Math.LN2;
const SQRT2: f64 = Math.SQRT2;
const ANGLE_SCALE: f64 = 1.4629180792671596e-9;
const OCTANT: u32 = 0x20000000;
const TWO_POW_MINUS_24: f64 = 1.0 / 16777216.0;

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

@inline
function philox(c0: u32, c1: u32, c2: u32, k0: u32, k1: u32): void {
  let x0 = c0;
  let x1 = c1;
  let x2 = c2;
  let x3: u32 = 0;
  for (let round = 0; round < 10; round++) {
    const p0 = <u64>x0 * M0;
    const p1 = <u64>x2 * M1;
    x0 = <u32>(p1 >> 32) ^ x1 ^ k0;
    x1 = <u32>p1;
    x2 = <u32>(p0 >> 32) ^ x3 ^ k1;
    x3 = <u32>p0;
    k0 += W0;
    k1 += W1;
  }
  s0 = x0;
  s1 = x1;
  s2 = x2;
  s3 = x3;
}

const MANTISSA: u64 = 0x000fffffffffffff;
const ONE_BITS: u64 = 0x3ff0000000000000;
const SIGN_BIT: u64 = (<u64>1) << 63;

/** Box–Muller radii of the words in lanes 0 and 1 of w (the operations of `radius` in src/normals-js.ts). */
@inline
function radius2(w: v128): v128 {
  const v = f64x2.add(f64x2.convert_low_i32x4_u(w), f64x2.splat(0.5));
  let e = i64x2.sub(i64x2.shr_u(v, 52), i64x2.splat(1023));
  let m = v128.or(v128.and(v, i64x2.splat(MANTISSA)), i64x2.splat(ONE_BITS));
  const big = f64x2.gt(m, f64x2.splat(SQRT2));
  m = v128.bitselect(f64x2.mul(m, f64x2.splat(0.5)), m, big);
  e = i64x2.sub(e, big);
  const exponent = f64x2.convert_low_i32x4_s(i32x4.sub(i32x4.shuffle(e, e, 0, 2, 0, 2), i32x4.splat(32)));
  const s = f64x2.div(f64x2.sub(m, f64x2.splat(1.0)), f64x2.add(m, f64x2.splat(1.0)));
  const z = f64x2.mul(s, s);
  let p = f64x2.add(f64x2.splat(A15), f64x2.mul(z, f64x2.splat(A17)));
  p = f64x2.add(f64x2.splat(A13), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(A11), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(A9), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(A7), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(A5), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(A3), f64x2.mul(z, p));
  p = f64x2.add(f64x2.splat(1.0), f64x2.mul(z, p));
  const log = f64x2.add(
    f64x2.mul(exponent, f64x2.splat(LN2)),
    f64x2.mul(f64x2.mul(f64x2.splat(2.0), s), p),
  );
  return f64x2.sqrt(f64x2.mul(f64x2.splat(-2.0), log));
}

let cosine2: v128 = i64x2.splat(0);
let sine2: v128 = i64x2.splat(0);

/** cos and sin of the angles of the words in lanes 0 and 1 of w (the operations of `angle` in src/normals-js.ts). */
@inline
function angle2(w: v128): void {
  const octant = i32x4.shr_u(w, 29);
  const f = v128.and(w, i32x4.splat(OCTANT - 1));
  const odd = i32x4.ne(v128.and(octant, i32x4.splat(1)), i32x4.splat(0));
  const u = v128.bitselect(i32x4.sub(i32x4.splat(OCTANT), f), f, odd);
  const t = f64x2.mul(f64x2.convert_low_i32x4_u(u), f64x2.splat(ANGLE_SCALE));
  const z = f64x2.mul(t, t);
  let ps = f64x2.add(f64x2.splat(S13), f64x2.mul(z, f64x2.splat(S15)));
  ps = f64x2.add(f64x2.splat(S11), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S9), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S7), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S5), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(S3), f64x2.mul(z, ps));
  ps = f64x2.add(f64x2.splat(1.0), f64x2.mul(z, ps));
  const sinT = f64x2.mul(t, ps);
  let pc = f64x2.add(f64x2.splat(C14), f64x2.mul(z, f64x2.splat(C16)));
  pc = f64x2.add(f64x2.splat(C12), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C10), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C8), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C6), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C4), f64x2.mul(z, pc));
  pc = f64x2.add(f64x2.splat(C2), f64x2.mul(z, pc));
  const cosT = f64x2.add(f64x2.splat(1.0), f64x2.mul(z, pc));
  const odd64 = i64x2.extend_low_i32x4_s(odd);
  const sinPhi = v128.bitselect(cosT, sinT, odd64);
  const cosPhi = v128.bitselect(sinT, cosT, odd64);
  const quarter = i64x2.extend_low_i32x4_s(i32x4.ne(v128.and(octant, i32x4.splat(2)), i32x4.splat(0)));
  const half = i64x2.extend_low_i32x4_s(i32x4.ne(v128.and(octant, i32x4.splat(4)), i32x4.splat(0)));
  const sign = v128.and(half, i64x2.splat(SIGN_BIT));
  cosine2 = v128.xor(v128.bitselect(f64x2.neg(sinPhi), cosPhi, quarter), sign);
  sine2 = v128.xor(v128.bitselect(cosPhi, sinPhi, quarter), sign);
}

/** Products r · (cos, sin) for lanes 0–3 of the words (radius words, angle words) as float32 vectors. */
@inline
function pairs(radiusWords: v128, angleWords: v128): void {
  const rLow = radius2(radiusWords);
  angle2(angleWords);
  const cLow = f32x4.demote_f64x2_zero(f64x2.mul(rLow, cosine2));
  const sLow = f32x4.demote_f64x2_zero(f64x2.mul(rLow, sine2));
  const rHigh = radius2(i32x4.shuffle(radiusWords, radiusWords, 2, 3, 0, 1));
  angle2(i32x4.shuffle(angleWords, angleWords, 2, 3, 0, 1));
  const cHigh = f32x4.demote_f64x2_zero(f64x2.mul(rHigh, cosine2));
  const sHigh = f32x4.demote_f64x2_zero(f64x2.mul(rHigh, sine2));
  pairCos = i32x4.shuffle(cLow, cHigh, 0, 1, 4, 5);
  pairSin = i32x4.shuffle(sLow, sHigh, 0, 1, 4, 5);
}

let pairCos: v128 = i64x2.splat(0);
let pairSin: v128 = i64x2.splat(0);

let lane0: v128 = i64x2.splat(0);
let lane1: v128 = i64x2.splat(0);
let lane2: v128 = i64x2.splat(0);
let lane3: v128 = i64x2.splat(0);

/** Philox4x32-10 of the four counters (c0, c1, draw, 0), one per lane; the words in lane0 … lane3. */
@inline
function philox4(c0: v128, c1: v128, draw: u32, k0: u32, k1: u32): void {
  let x0 = c0;
  let x1 = c1;
  let x2 = i32x4.splat(<i32>draw);
  let x3 = i32x4.splat(0);
  let key0 = k0;
  let key1 = k1;
  for (let round = 0; round < 10; round++) {
    const m0 = i32x4.splat(<i32>M0);
    const m1 = i32x4.splat(<i32>M1);
    const p0Low = i64x2.extmul_low_i32x4_u(x0, m0);
    const p0High = i64x2.extmul_high_i32x4_u(x0, m0);
    const p1Low = i64x2.extmul_low_i32x4_u(x2, m1);
    const p1High = i64x2.extmul_high_i32x4_u(x2, m1);
    const hi0 = i32x4.shuffle(p0Low, p0High, 1, 3, 5, 7);
    const lo0 = i32x4.shuffle(p0Low, p0High, 0, 2, 4, 6);
    const hi1 = i32x4.shuffle(p1Low, p1High, 1, 3, 5, 7);
    const lo1 = i32x4.shuffle(p1Low, p1High, 0, 2, 4, 6);
    x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(<i32>key0));
    x1 = lo1;
    x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(<i32>key1));
    x3 = lo0;
    key0 += W0;
    key1 += W1;
  }
  lane0 = x0;
  lane1 = x1;
  lane2 = x2;
  lane3 = x3;
}

/**
 * `normals` for rows of fewer than four blocks (d ≤ 12): the lanes take four consecutive rows at the same block, so
 * a whole block is four float32 vectors transposed into four rows.
 */
function normalsNarrow(k0: u32, k1: u32, draw: u32, row0: u32, rows: i32, d: i32, out: usize): void {
  const blocks = (d + 3) >> 2;
  const fullBlocks = d >> 2;
  const rowBytes = <usize>d << 2;
  for (let r = 0; r < rows; r += 4) {
    const first = row0 + <u32>r;
    const counterRows = i32x4(<i32>first, <i32>(first + 1), <i32>(first + 2), <i32>(first + 3));
    const base = out + <usize>r * rowBytes;
    for (let block = 0; block < blocks; block++) {
      philox4(i32x4.splat(block), counterRows, draw, k0, k1);
      const w0 = lane0;
      const w1 = lane1;
      const w2 = lane2;
      const w3 = lane3;
      pairs(w0, w1);
      const v0 = pairCos;
      const v1 = pairSin;
      // A block that ends the row with one or two columns (d mod 4 = 1 or 2) stores no number of its second pair.
      let v2 = v0;
      let v3 = v1;
      if (d - (block << 2) > 2) {
        pairs(w2, w3);
        v2 = pairCos;
        v3 = pairSin;
      }
      const at = base + (<usize>block << 4);
      if (block < fullBlocks && r + 4 <= rows) {
        const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
        const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
        const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
        v128.store(at, i64x2.shuffle(t0, t1, 0, 2));
        v128.store(at + rowBytes, i64x2.shuffle(t0, t1, 1, 3));
        v128.store(at + 2 * rowBytes, i64x2.shuffle(t2, t3, 0, 2));
        v128.store(at + 3 * rowBytes, i64x2.shuffle(t2, t3, 1, 3));
        continue;
      }
      storeLane(out, d, r, block, f32x4.extract_lane(v0, 0), f32x4.extract_lane(v1, 0), f32x4.extract_lane(v2, 0), f32x4.extract_lane(v3, 0));
      if (r + 1 < rows) storeLane(out, d, r + 1, block, f32x4.extract_lane(v0, 1), f32x4.extract_lane(v1, 1), f32x4.extract_lane(v2, 1), f32x4.extract_lane(v3, 1));
      if (r + 2 < rows) storeLane(out, d, r + 2, block, f32x4.extract_lane(v0, 2), f32x4.extract_lane(v1, 2), f32x4.extract_lane(v2, 2), f32x4.extract_lane(v3, 2));
      if (r + 3 < rows) storeLane(out, d, r + 3, block, f32x4.extract_lane(v0, 3), f32x4.extract_lane(v1, 3), f32x4.extract_lane(v2, 3), f32x4.extract_lane(v3, 3));
    }
  }
}

/**
 * Writes rows × d standard normals (float32, row-major) at `out`, four Philox blocks at a time in SIMD lanes: the
 * (row, block) pairs in row-major order, lane l taking the l-th next pair.
 */
export function normals(k0: u32, k1: u32, draw: u32, row0: u32, rows: i32, d: i32, out: usize): void {
  const blocks = (d + 3) >> 2;
  if (blocks < 4) {
    normalsNarrow(k0, k1, draw, row0, rows, d, out);
    return;
  }
  const total = rows * blocks;
  const fullBlocks = d >> 2;
  let row = 0;
  let block = 0;
  for (let start = 0; start < total; start += 4) {
    // Counters of the four lanes.
    const b0 = block;
    const r0 = row;
    let b1 = b0 + 1;
    let r1 = r0;
    if (b1 === blocks) {
      b1 = 0;
      r1++;
    }
    let b2 = b1 + 1;
    let r2 = r1;
    if (b2 === blocks) {
      b2 = 0;
      r2++;
    }
    let b3 = b2 + 1;
    let r3 = r2;
    if (b3 === blocks) {
      b3 = 0;
      r3++;
    }
    block = b3 + 1;
    row = r3;
    if (block === blocks) {
      block = 0;
      row++;
    }
    philox4(
      i32x4(b0, b1, b2, b3),
      i32x4(<i32>(row0 + <u32>r0), <i32>(row0 + <u32>r1), <i32>(row0 + <u32>r2), <i32>(row0 + <u32>r3)),
      draw,
      k0,
      k1,
    );
    const x0 = lane0;
    const x1 = lane1;
    const x2 = lane2;
    const x3 = lane3;
    pairs(x0, x1);
    const v0 = pairCos;
    const v1 = pairSin;
    pairs(x2, x3);
    const v2 = pairCos;
    const v3 = pairSin;
    if (r0 === r3 && b3 < fullBlocks && start + 4 <= total) {
      // Four whole blocks of one row: transpose the 4 × 4 and store 16 contiguous numbers.
      const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
      const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
      const at = out + ((<usize>r0 * <usize>d + (<usize>b0 << 2)) << 2);
      v128.store(at, i64x2.shuffle(t0, t1, 0, 2));
      v128.store(at, i64x2.shuffle(t0, t1, 1, 3), 16);
      v128.store(at, i64x2.shuffle(t2, t3, 0, 2), 32);
      v128.store(at, i64x2.shuffle(t2, t3, 1, 3), 48);
      continue;
    }
    storeLane(out, d, r0, b0, f32x4.extract_lane(v0, 0), f32x4.extract_lane(v1, 0), f32x4.extract_lane(v2, 0), f32x4.extract_lane(v3, 0));
    if (start + 1 < total) storeLane(out, d, r1, b1, f32x4.extract_lane(v0, 1), f32x4.extract_lane(v1, 1), f32x4.extract_lane(v2, 1), f32x4.extract_lane(v3, 1));
    if (start + 2 < total) storeLane(out, d, r2, b2, f32x4.extract_lane(v0, 2), f32x4.extract_lane(v1, 2), f32x4.extract_lane(v2, 2), f32x4.extract_lane(v3, 2));
    if (start + 3 < total) storeLane(out, d, r3, b3, f32x4.extract_lane(v0, 3), f32x4.extract_lane(v1, 3), f32x4.extract_lane(v2, 3), f32x4.extract_lane(v3, 3));
  }
}

/** Stores the (up to) four numbers of one block, cut at the row's end. */
@inline
function storeLane(out: usize, d: i32, row: i32, block: i32, a: f32, b: f32, c: f32, e: f32): void {
  const column = block << 2;
  const at = out + ((<usize>row * <usize>d + <usize>column) << 2);
  const remaining = d - column;
  store<f32>(at, a);
  if (remaining > 1) store<f32>(at + 4, b);
  if (remaining > 2) store<f32>(at + 8, c);
  if (remaining > 3) store<f32>(at + 12, e);
}

/**
 * The uniform of the word w: low + width ((w >>> 8) + ½) 2^−24 rounded to float32, clamped to [bottom, top] (the
 * float32 numbers strictly inside the interval; the operations of `uniformOf` in src/normals-js.ts).
 */
@inline
function uniformOf(w: u32, low: f64, width: f64, bottom: f32, top: f32): f32 {
  const value = <f32>(low + ((width * (<f64>(w >>> 8) + 0.5)) * TWO_POW_MINUS_24));
  return value > top ? top : value < bottom ? bottom : value;
}

/** `uniformOf` of one word, for tests of the transform at words a draw rarely reaches. */
export function uniformOfWord(w: u32, low: f64, width: f64, bottom: f32, top: f32): f32 {
  return uniformOf(w, low, width, bottom, top);
}

/**
 * Writes rows × d uniforms on (low, high) (float32, row-major) at `out`: low + width ((w >>> 8) + ½) 2^−24, clamped
 * to [bottom, top].
 */
export function uniforms(
  k0: u32,
  k1: u32,
  draw: u32,
  row0: u32,
  rows: i32,
  d: i32,
  low: f64,
  width: f64,
  bottom: f32,
  top: f32,
  out: usize,
): void {
  const blocks = (d + 3) >> 2;
  for (let i = 0; i < rows; i++) {
    const row = row0 + <u32>i;
    const base = out + ((<usize>i * <usize>d) << 2);
    for (let block = 0; block < blocks; block++) {
      philox(<u32>block, row, draw, k0, k1);
      const column = block << 2;
      const at = base + (<usize>column << 2);
      const remaining = d - column;
      store<f32>(at, uniformOf(s0, low, width, bottom, top));
      if (remaining > 1) store<f32>(at + 4, uniformOf(s1, low, width, bottom, top));
      if (remaining > 2) store<f32>(at + 8, uniformOf(s2, low, width, bottom, top));
      if (remaining > 3) store<f32>(at + 12, uniformOf(s3, low, width, bottom, top));
    }
  }
}
