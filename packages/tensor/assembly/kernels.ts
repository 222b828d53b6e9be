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
