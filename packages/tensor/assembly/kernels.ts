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
 * `tf.notEqual`), else of row i of `b`. Returns how many rows of `out` hold a NaN or ±Inf.
 */
export function selectRows(mask: usize, a: usize, b: usize, out: usize, rows: i32, d: i32): i32 {
  const rowBytes = <usize>d << 2;
  let badRows = 0;
  for (let i = 0; i < rows; i++) {
    const offset = <usize>i * rowBytes;
    const source = load<f32>(mask + (<usize>i << 2)) != 0 ? a : b;
    memory.copy(out + offset, source + offset, rowBytes);
    if (countNonFinite(out + offset, d) > 0) badRows++;
  }
  return badRows;
}

/** r = (a − b·beta) (− c·gamma when c ≠ 0), w = r·r / delta: one term of a row sum, in float32 in this order. */
@inline
function residualTerm(a: usize, b: usize, c: usize, at: usize, beta: f32, gamma: f32, delta: f32): f32 {
  let r = load<f32>(a + at) - load<f32>(b + at) * beta;
  if (c !== 0) r = r - load<f32>(c + at) * gamma;
  return (r * r) / delta;
}

/**
 * Per row i of rows × d arrays, Σ_j w_ij with w = ((a − b·beta) − c·gamma)² / delta (the c term only when c ≠ 0),
 * each operation rounded to float32, summed from j = 0 up in float32 (`wide` = 0: tfjs-wasm's `Sum`) or in float64
 * rounded once at the end (`wide` = 1: tfjs-cpu's `sum`). Writes one float32 per row at `out`. Four rows at a time
 * (independent sums, so the additions overlap).
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
  out: usize,
): void {
  const rowBytes = <usize>d << 2;
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const base = <usize>i * rowBytes;
    let s0: f32 = 0;
    let s1: f32 = 0;
    let s2: f32 = 0;
    let s3: f32 = 0;
    let t0: f64 = 0;
    let t1: f64 = 0;
    let t2: f64 = 0;
    let t3: f64 = 0;
    for (let j = 0; j < d; j++) {
      const at = base + (<usize>j << 2);
      const w0 = residualTerm(a, b, c, at, beta, gamma, delta);
      const w1 = residualTerm(a, b, c, at + rowBytes, beta, gamma, delta);
      const w2 = residualTerm(a, b, c, at + 2 * rowBytes, beta, gamma, delta);
      const w3 = residualTerm(a, b, c, at + 3 * rowBytes, beta, gamma, delta);
      if (wide !== 0) {
        t0 += <f64>w0;
        t1 += <f64>w1;
        t2 += <f64>w2;
        t3 += <f64>w3;
      } else {
        s0 += w0;
        s1 += w1;
        s2 += w2;
        s3 += w3;
      }
    }
    const at = out + (<usize>i << 2);
    store<f32>(at, wide !== 0 ? <f32>t0 : s0);
    store<f32>(at + 4, wide !== 0 ? <f32>t1 : s1);
    store<f32>(at + 8, wide !== 0 ? <f32>t2 : s2);
    store<f32>(at + 12, wide !== 0 ? <f32>t3 : s3);
  }
  for (; i < rows; i++) {
    const base = <usize>i * rowBytes;
    let s: f32 = 0;
    let t: f64 = 0;
    for (let j = 0; j < d; j++) {
      const w = residualTerm(a, b, c, base + (<usize>j << 2), beta, gamma, delta);
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
