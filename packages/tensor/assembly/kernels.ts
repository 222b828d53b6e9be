/**
 * AssemblyScript source of the host kernels beside the draws (compiled with assembly/normals.ts into
 * `src/host-wasm.generated.ts` by `node scripts/build-wasm.mjs`): the fused noisy update, a non-finite count and a
 * row selection, each over float32 arrays in this module's memory. IEEE float32 arithmetic in the order the comments
 * give, so the results equal those of the TensorFlow.js ops they replace, bit for bit.
 * Not TypeScript for tsc: `f32x4`, `v128`, `load`, `store` are AssemblyScript built-ins.
 */
import { normals } from './normals';

/** 1 in the lanes of t that are NaN or ±Inf (t − t is NaN exactly there), as i32x4 counts to subtract. */
@inline
function nonFiniteLanes(t: v128): v128 {
  const difference = f32x4.sub(t, t);
  return f32x4.ne(difference, difference);
}

@inline
function isNonFinite(t: f32): bool {
  const difference = t - t;
  return difference != difference;
}

/**
 * Writes rows × d numbers at `out`: with z the normal draw `draw` of the stream (k0, k1) at rows row0 …
 * (the numbers `normals` writes), each element is, rounded to float32 after every operation,
 *   t = x (+ s · b when s ≠ 0);   mode 1: t = t / q;   t = t + z · sigma;   mode 2: t = t / q.
 * Returns how many of the results are NaN or ±Inf.
 */
export function noisyUpdate(
  k0: u32,
  k1: u32,
  draw: u32,
  row0: u32,
  rows: i32,
  d: i32,
  x: usize,
  s: usize,
  b: f32,
  mode: i32,
  q: f32,
  sigma: f32,
  out: usize,
): i32 {
  normals(k0, k1, draw, row0, rows, d, out);
  const total = rows * d;
  const bv = f32x4.splat(b);
  const qv = f32x4.splat(q);
  const sv = f32x4.splat(sigma);
  let bad = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= total; i += 4) {
    const at = <usize>i << 2;
    let t = v128.load(x + at);
    if (s !== 0) t = f32x4.add(t, f32x4.mul(v128.load(s + at), bv));
    if (mode === 1) t = f32x4.div(t, qv);
    t = f32x4.add(t, f32x4.mul(v128.load(out + at), sv));
    if (mode === 2) t = f32x4.div(t, qv);
    v128.store(out + at, t);
    bad = i32x4.sub(bad, nonFiniteLanes(t));
  }
  let count =
    i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; i < total; i++) {
    const at = <usize>i << 2;
    let t = load<f32>(x + at);
    if (s !== 0) t = t + load<f32>(s + at) * b;
    if (mode === 1) t = t / q;
    t = t + load<f32>(out + at) * sigma;
    if (mode === 2) t = t / q;
    store<f32>(out + at, t);
    if (isNonFinite(t)) count++;
  }
  return count;
}

/** How many of the `count` float32 numbers at `values` are NaN or ±Inf. */
export function countNonFinite(values: usize, count: i32): i32 {
  let bad = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) bad = i32x4.sub(bad, nonFiniteLanes(v128.load(values + (<usize>i << 2))));
  let total =
    i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; i < count; i++) if (isNonFinite(load<f32>(values + (<usize>i << 2)))) total++;
  return total;
}

/**
 * Row i of `out` (rows × d float32) is a copy of row i of `a` where mask[i] ≠ 0 (a NaN mask counts as ≠ 0, like
 * `tf.notEqual`), else of row i of `b`. Returns how many rows of `out` hold a NaN or ±Inf. Copies `b` whole, then
 * the chosen rows of `a` (runs of consecutive chosen rows in one copy); rows are counted one by one only when the
 * block holds a non-finite value at all.
 */
export function selectRows(mask: usize, a: usize, b: usize, out: usize, rows: i32, d: i32): i32 {
  const rowBytes = <usize>d << 2;
  memory.copy(out, b, <usize>rows * rowBytes);
  let i = 0;
  while (i < rows) {
    if (load<f32>(mask + (<usize>i << 2)) == 0) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < rows && load<f32>(mask + (<usize>end << 2)) != 0) end++;
    const offset = <usize>i * rowBytes;
    memory.copy(out + offset, a + offset, <usize>(end - i) * rowBytes);
    i = end;
  }
  if (countNonFinite(out, rows * d) === 0) return 0;
  let badRows = 0;
  for (let row = 0; row < rows; row++) if (countNonFinite(out + <usize>row * rowBytes, d) > 0) badRows++;
  return badRows;
}

/**
 * Per row i of rows × d arrays, Σ_j w_ij with w = ((a − b·beta) − c·gamma)² / delta (the c term only when c ≠ 0),
 * each operation rounded to float32, summed from j = 0 up in float32 (`wide` = 0: tfjs-wasm's `Sum`) or in float64
 * rounded once at the end (`wide` = 1: tfjs-cpu's `sum`). Writes one float32 per row at `out`. Two passes: the terms
 * w in SIMD lanes into `scratch` (rows × d floats), then the row sums, four rows at a time (independent sums, so the
 * additions overlap). Multiplying by beta = 1 and dividing by delta = 1 change no bit, so they are skipped.
 */
export function residualRowSums(
  a: usize,
  b: usize,
  c: usize,
  rows: i32,
  d: i32,
  beta: f32,
  gamma: f32,
  delta: f32,
  wide: i32,
  scratch: usize,
  out: usize,
): void {
  const total = rows * d;
  const bv = f32x4.splat(beta);
  const gv = f32x4.splat(gamma);
  const dv = f32x4.splat(delta);
  const scaleB = beta != 1;
  const divide = delta != 1;
  let k = 0;
  for (; k + 4 <= total; k += 4) {
    const at = <usize>k << 2;
    const bk = v128.load(b + at);
    let r = f32x4.sub(v128.load(a + at), scaleB ? f32x4.mul(bk, bv) : bk);
    if (c !== 0) r = f32x4.sub(r, f32x4.mul(v128.load(c + at), gv));
    const q = f32x4.mul(r, r);
    v128.store(scratch + at, divide ? f32x4.div(q, dv) : q);
  }
  for (; k < total; k++) {
    const at = <usize>k << 2;
    let r = load<f32>(a + at) - load<f32>(b + at) * beta;
    if (c !== 0) r = r - load<f32>(c + at) * gamma;
    store<f32>(scratch + at, (r * r) / delta);
  }
  const rowBytes = <usize>d << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const at0 = scratch + <usize>i * rowBytes;
    const at1 = at0 + rowBytes;
    const at2 = at1 + rowBytes;
    const at3 = at2 + rowBytes;
    const at = out + (<usize>i << 2);
    if (wide !== 0) {
      let t0: f64 = 0;
      let t1: f64 = 0;
      let t2: f64 = 0;
      let t3: f64 = 0;
      for (let j: usize = 0; j < rowBytes; j += 4) {
        t0 += <f64>load<f32>(at0 + j);
        t1 += <f64>load<f32>(at1 + j);
        t2 += <f64>load<f32>(at2 + j);
        t3 += <f64>load<f32>(at3 + j);
      }
      store<f32>(at, <f32>t0);
      store<f32>(at + 4, <f32>t1);
      store<f32>(at + 8, <f32>t2);
      store<f32>(at + 12, <f32>t3);
    } else {
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      for (let j: usize = 0; j < rowBytes; j += 4) {
        s0 += load<f32>(at0 + j);
        s1 += load<f32>(at1 + j);
        s2 += load<f32>(at2 + j);
        s3 += load<f32>(at3 + j);
      }
      store<f32>(at, s0);
      store<f32>(at + 4, s1);
      store<f32>(at + 8, s2);
      store<f32>(at + 12, s3);
    }
  }
  for (; i < rows; i++) {
    const base = scratch + <usize>i * rowBytes;
    let s: f32 = 0;
    let t: f64 = 0;
    for (let j: usize = 0; j < rowBytes; j += 4) {
      const w = load<f32>(base + j);
      if (wide !== 0) t += <f64>w;
      else s += w;
    }
    store<f32>(out + (<usize>i << 2), wide !== 0 ? <f32>t : s);
  }
}

/** out = s + (a − b·beta)·gamma over `count` float32 numbers, each operation rounded to float32 in this order. */
export function addScaledResidual(s: usize, a: usize, b: usize, count: i32, beta: f32, gamma: f32, out: usize): void {
  const bv = f32x4.splat(beta);
  const gv = f32x4.splat(gamma);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const at = <usize>i << 2;
    const r = f32x4.sub(v128.load(a + at), f32x4.mul(v128.load(b + at), bv));
    v128.store(out + at, f32x4.add(v128.load(s + at), f32x4.mul(r, gv)));
  }
  for (; i < count; i++) {
    const at = <usize>i << 2;
    store<f32>(out + at, load<f32>(s + at) + (load<f32>(a + at) - load<f32>(b + at) * beta) * gamma);
  }
}
