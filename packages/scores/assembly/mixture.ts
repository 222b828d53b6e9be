/**
 * AssemblyScript source of `src/mixture-kernel-wasm.generated.ts` (compile with `node scripts/build-wasm.mjs`): the
 * exact score of an isotropic Gaussian mixture at one level, fused row by row (ALGORITHMS.md §3, the same formulas
 * as src/mixture-terms.ts), in float32 with SIMD over the components:
 *   xc = x − sqrt(a) μ̄,  logit_k = s_k (xc · μc_k) + q_k ‖xc‖² + c_k,  r = softmax(logit),
 *   w_k = r_k p_k,  A = Σ_k w_k,  μ̃ = Σ_k (w_k / A) μ_k,  score = A ((μ̃ − x) − (1 − sqrt(a)) μ̃).
 * Each kernel also writes the pair (max, Σ e^(logit − max)) per row at `density` unless it is 0 (the caller takes
 * log p_a(x) = max + log Σ in float64; no math library here, so the module has no data segment), and skips the score
 * when `out` is 0.
 * Not TypeScript for tsc: `f32`, `usize`, `v128`, `load`, `store` are AssemblyScript built-ins.
 */

const LOG2E: f32 = 1.442695;
const LN2_HIGH: f32 = 0.693145751953125;
const LN2_LOW: f32 = 1.428606765330187e-6;
const EXP_FLOOR: f32 = -87.3;

/** e^v for v ≤ 0 in four lanes: v = n ln 2 + r, |r| ≤ ½ ln 2, Taylor series of e^r to r^7 (error < 1e−8). */
@inline
function exp4(v: v128): v128 {
  const x = f32x4.max(v, f32x4.splat(EXP_FLOOR));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HIGH))), f32x4.mul(n, f32x4.splat(LN2_LOW)));
  let p = f32x4.add(f32x4.splat(1.0 / 720.0), f32x4.mul(r, f32x4.splat(1.0 / 5040.0)));
  p = f32x4.add(f32x4.splat(1.0 / 120.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 24.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0 / 6.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(0.5), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  p = f32x4.add(f32x4.splat(1.0), f32x4.mul(r, p));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline
function sum4(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
  );
}

/**
 * Scores of `rows` rows of x [rows, d] into out [rows, d]. K is padded to kp (a multiple of 4): centredT [d, kp]
 * (μ_k − μ̄, zero in padded columns), scale, half (q), constant (−∞ padded), precision (0 padded) [kp], means
 * [K, d]; center = sqrt(a) μ̄ [d]; scratch holds d + kp floats.
 */
export function isotropicScore(
  rows: i32,
  d: i32,
  k: i32,
  kp: i32,
  oneMinusRootA: f32,
  center: usize,
  centredT: usize,
  scale: usize,
  half: usize,
  constant: usize,
  precision: usize,
  means: usize,
  x: usize,
  out: usize,
  scratch: usize,
  density: usize,
): void {
  const groups = kp >> 2;
  const xc = scratch;
  const logits = scratch + (<usize>d << 2);
  const average = xc; // xc is dead once the logits are known
  const d4 = d & ~3;
  const c4 = f32x4.splat(oneMinusRootA);
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * <usize>d) << 2);
    const oi = out + ((<usize>i * <usize>d) << 2);
    // 1. xc and ‖xc‖².
    let norm: f32 = 0;
    for (let j = 0; j < d; j++) {
      const v = load<f32>(xi + (<usize>j << 2)) - load<f32>(center + (<usize>j << 2));
      store<f32>(xc + (<usize>j << 2), v);
      norm += v * v;
    }
    // 2. Logits, four components per lane group (four groups per pass: independent accumulators), and their maximum.
    let top = f32x4.splat(-Infinity);
    for (let g0 = 0; g0 < groups; g0 += 4) {
      const count = min(4, groups - g0);
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      let column = centredT + (<usize>g0 << 4);
      const stride = <usize>kp << 2;
      if (count === 4) {
        for (let j = 0; j < d; j++) {
          const v = f32x4.splat(load<f32>(xc + (<usize>j << 2)));
          acc0 = f32x4.add(acc0, f32x4.mul(v, v128.load(column)));
          acc1 = f32x4.add(acc1, f32x4.mul(v, v128.load(column, 16)));
          acc2 = f32x4.add(acc2, f32x4.mul(v, v128.load(column, 32)));
          acc3 = f32x4.add(acc3, f32x4.mul(v, v128.load(column, 48)));
          column += stride;
        }
      } else {
        // Fewer than four groups left: split the sum over j into even and odd terms for two chains per group.
        for (let j = 0; j < d; j++) {
          const v = f32x4.splat(load<f32>(xc + (<usize>j << 2)));
          if ((j & 1) === 0) {
            acc0 = f32x4.add(acc0, f32x4.mul(v, v128.load(column)));
            if (count > 1) acc1 = f32x4.add(acc1, f32x4.mul(v, v128.load(column, 16)));
            if (count > 2) acc2 = f32x4.add(acc2, f32x4.mul(v, v128.load(column, 32)));
          } else {
            acc3 = f32x4.add(acc3, f32x4.mul(v, v128.load(column)));
            if (count > 1) acc1 = f32x4.add(acc1, f32x4.mul(v, v128.load(column, 16)));
            if (count > 2) acc2 = f32x4.add(acc2, f32x4.mul(v, v128.load(column, 32)));
          }
          column += stride;
        }
        acc0 = f32x4.add(acc0, acc3);
      }
      for (let g = 0; g < count; g++) {
        const dot = g === 0 ? acc0 : g === 1 ? acc1 : g === 2 ? acc2 : acc3;
        const at = <usize>(g0 + g) << 4;
        const logit = f32x4.add(
          f32x4.add(f32x4.mul(dot, v128.load(scale + at)), f32x4.mul(f32x4.splat(norm), v128.load(half + at))),
          v128.load(constant + at),
        );
        v128.store(logits + at, logit);
        top = f32x4.max(top, logit);
      }
    }
    const m = max(max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)), max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)));
    // 3. Softmax, then w = r p and A = Σ w.
    let total = f32x4.splat(0);
    for (let g = 0; g < groups; g++) {
      const at = logits + (<usize>g << 4);
      const e = exp4(f32x4.sub(v128.load(at), f32x4.splat(m)));
      v128.store(at, e);
      total = f32x4.add(total, e);
    }
    const sum = sum4(total);
    if (density !== 0) {
      store<f32>(density + (<usize>i << 3), m);
      store<f32>(density + (<usize>i << 3) + 4, sum);
    }
    if (out === 0) continue;
    const inverse = f32x4.splat(1.0 / sum);
    let weight = f32x4.splat(0);
    for (let g = 0; g < groups; g++) {
      const at = logits + (<usize>g << 4);
      const w = f32x4.mul(f32x4.mul(v128.load(at), inverse), v128.load(precision + (<usize>g << 4)));
      v128.store(at, w);
      weight = f32x4.add(weight, w);
    }
    const a = sum4(weight);
    const normaliser: f32 = 1.0 / max<f32>(a, 1e-30);
    // 4. μ̃ = Σ_k (w_k / A) μ_k (four chains over k per column block), then the score.
    for (let kk = 0; kk < k; kk++) {
      const at = logits + (<usize>kk << 2);
      store<f32>(at, load<f32>(at) * normaliser);
    }
    const rowStride = <usize>d << 2;
    const k4 = k & ~3;
    for (let j = 0; j < d4; j += 4) {
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      let row = means + (<usize>j << 2);
      let kk = 0;
      for (; kk < k4; kk += 4) {
        const w = v128.load(logits + (<usize>kk << 2));
        acc0 = f32x4.add(acc0, f32x4.mul(f32x4.splat(f32x4.extract_lane(w, 0)), v128.load(row)));
        acc1 = f32x4.add(acc1, f32x4.mul(f32x4.splat(f32x4.extract_lane(w, 1)), v128.load(row + rowStride)));
        acc2 = f32x4.add(acc2, f32x4.mul(f32x4.splat(f32x4.extract_lane(w, 2)), v128.load(row + 2 * rowStride)));
        acc3 = f32x4.add(acc3, f32x4.mul(f32x4.splat(f32x4.extract_lane(w, 3)), v128.load(row + 3 * rowStride)));
        row += 4 * rowStride;
      }
      for (; kk < k; kk++) {
        acc0 = f32x4.add(acc0, f32x4.mul(f32x4.splat(load<f32>(logits + (<usize>kk << 2))), v128.load(row)));
        row += rowStride;
      }
      v128.store(average + (<usize>j << 2), f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
    }
    for (let j = d4; j < d; j++) {
      let sum0: f32 = 0;
      let sum1: f32 = 0;
      let row = means + (<usize>j << 2);
      let kk = 0;
      for (; kk + 1 < k; kk += 2) {
        sum0 += load<f32>(logits + (<usize>kk << 2)) * load<f32>(row);
        sum1 += load<f32>(logits + (<usize>(kk + 1) << 2)) * load<f32>(row + rowStride);
        row += 2 * rowStride;
      }
      if (kk < k) sum0 += load<f32>(logits + (<usize>kk << 2)) * load<f32>(row);
      store<f32>(average + (<usize>j << 2), sum0 + sum1);
    }
    const a4 = f32x4.splat(a);
    let j = 0;
    for (; j < d4; j += 4) {
      const mu = v128.load(average + (<usize>j << 2));
      const diff = f32x4.sub(f32x4.sub(mu, v128.load(xi + (<usize>j << 2))), f32x4.mul(mu, c4));
      v128.store(oi + (<usize>j << 2), f32x4.mul(a4, diff));
    }
    for (; j < d; j++) {
      const mu = load<f32>(average + (<usize>j << 2));
      store<f32>(oi + (<usize>j << 2), a * (mu - load<f32>(xi + (<usize>j << 2)) - mu * oneMinusRootA));
    }
  }
}

/**
 * Scores of `rows` rows for diagonal components (any mix of isotropic and diagonal), as mixture-terms.ts:
 *   logit_k = Σ_j xc_j S_jk + Σ_j xc_j² H_jk + c_k with S = (sqrt(a) μc ∘ P)ᵀ, H = −½ Pᵀ ([d, kp], zero padded),
 *   A_j = Σ_k r_k P_kj,  B_j = Σ_k r_k P_kj μ_kj,  μ̃ = B / max(A, 1e−30),  score = A ((μ̃ − x) − (1 − sqrt(a)) μ̃),
 * with P and PM = P ∘ M row-major [K, d]. scratch holds d + kp floats.
 */
export function diagonalScore(
  rows: i32,
  d: i32,
  k: i32,
  kp: i32,
  oneMinusRootA: f32,
  center: usize,
  crossT: usize,
  squareT: usize,
  constant: usize,
  precision: usize,
  scaledMeans: usize,
  x: usize,
  out: usize,
  scratch: usize,
  density: usize,
): void {
  const groups = kp >> 2;
  const xc = scratch;
  const logits = scratch + (<usize>d << 2);
  const stride = <usize>kp << 2;
  const rowStride = <usize>d << 2;
  const c4 = f32x4.splat(oneMinusRootA);
  const d4 = d & ~3;
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * <usize>d) << 2);
    const oi = out + ((<usize>i * <usize>d) << 2);
    for (let j = 0; j < d; j++) {
      store<f32>(xc + (<usize>j << 2), load<f32>(xi + (<usize>j << 2)) - load<f32>(center + (<usize>j << 2)));
    }
    // 1. Logits (two independent chains per group: the cross and the square terms) and their maximum.
    let top = f32x4.splat(-Infinity);
    for (let g = 0; g < groups; g++) {
      let cross = f32x4.splat(0);
      let square = f32x4.splat(0);
      let at = <usize>g << 4;
      for (let j = 0; j < d; j++) {
        const v = load<f32>(xc + (<usize>j << 2));
        cross = f32x4.add(cross, f32x4.mul(f32x4.splat(v), v128.load(crossT + at)));
        square = f32x4.add(square, f32x4.mul(f32x4.splat(v * v), v128.load(squareT + at)));
        at += stride;
      }
      const place = <usize>g << 4;
      const logit = f32x4.add(f32x4.add(cross, square), v128.load(constant + place));
      v128.store(logits + place, logit);
      top = f32x4.max(top, logit);
    }
    const m = max(
      max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)),
      max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)),
    );
    // 2. Responsibilities.
    let total = f32x4.splat(0);
    for (let g = 0; g < groups; g++) {
      const at = logits + (<usize>g << 4);
      const e = exp4(f32x4.sub(v128.load(at), f32x4.splat(m)));
      v128.store(at, e);
      total = f32x4.add(total, e);
    }
    const sum = sum4(total);
    if (density !== 0) {
      store<f32>(density + (<usize>i << 3), m);
      store<f32>(density + (<usize>i << 3) + 4, sum);
    }
    if (out === 0) continue;
    const inverse = f32x4.splat(1.0 / sum);
    for (let g = 0; g < groups; g++) {
      const at = logits + (<usize>g << 4);
      v128.store(at, f32x4.mul(v128.load(at), inverse));
    }
    // 3. A = r P and B = r (P ∘ M), column blocks of four, then the score.
    for (let j = 0; j < d4; j += 4) {
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let b0 = f32x4.splat(0);
      let b1 = f32x4.splat(0);
      let p = precision + (<usize>j << 2);
      let q = scaledMeans + (<usize>j << 2);
      let kk = 0;
      for (; kk + 1 < k; kk += 2) {
        const r0 = f32x4.splat(load<f32>(logits + (<usize>kk << 2)));
        const r1 = f32x4.splat(load<f32>(logits + (<usize>(kk + 1) << 2)));
        a0 = f32x4.add(a0, f32x4.mul(r0, v128.load(p)));
        b0 = f32x4.add(b0, f32x4.mul(r0, v128.load(q)));
        a1 = f32x4.add(a1, f32x4.mul(r1, v128.load(p + rowStride)));
        b1 = f32x4.add(b1, f32x4.mul(r1, v128.load(q + rowStride)));
        p += 2 * rowStride;
        q += 2 * rowStride;
      }
      if (kk < k) {
        const r0 = f32x4.splat(load<f32>(logits + (<usize>kk << 2)));
        a0 = f32x4.add(a0, f32x4.mul(r0, v128.load(p)));
        b0 = f32x4.add(b0, f32x4.mul(r0, v128.load(q)));
      }
      const a = f32x4.add(a0, a1);
      const mu = f32x4.div(f32x4.add(b0, b1), f32x4.max(a, f32x4.splat(1e-30)));
      const diff = f32x4.sub(f32x4.sub(mu, v128.load(xi + (<usize>j << 2))), f32x4.mul(mu, c4));
      v128.store(oi + (<usize>j << 2), f32x4.mul(a, diff));
    }
    for (let j = d4; j < d; j++) {
      let a: f32 = 0;
      let b: f32 = 0;
      let p = precision + (<usize>j << 2);
      let q = scaledMeans + (<usize>j << 2);
      for (let kk = 0; kk < k; kk++) {
        const r = load<f32>(logits + (<usize>kk << 2));
        a += r * load<f32>(p);
        b += r * load<f32>(q);
        p += rowStride;
        q += rowStride;
      }
      const mu = b / max<f32>(a, 1e-30);
      store<f32>(oi + (<usize>j << 2), a * (mu - load<f32>(xi + (<usize>j << 2)) - mu * oneMinusRootA));
    }
  }
}

/**
 * Scores of `rows` rows for components with dense precisions C_k⁻¹ (full covariances; diagonal ones as diagonal
 * matrices), the direct form of mixture-terms.ts: y_k = (x − μ_k) + (1 − sqrt(a)) μ_k, z_k = y_k C_k⁻¹,
 * logit_k = c_k − ½ z_k · y_k, r = softmax(logit), score = −Σ_k r_k z_k. precision [K, d, d] row-major (symmetric),
 * means [K, d], constant [kp] (−∞ padded); scratch holds 2d + kp + K d floats.
 */
export function fullScore(
  rows: i32,
  d: i32,
  k: i32,
  kp: i32,
  oneMinusRootA: f32,
  precision: usize,
  means: usize,
  constant: usize,
  x: usize,
  out: usize,
  scratch: usize,
  density: usize,
): void {
  const groups = kp >> 2;
  const y = scratch;
  const logits = y + (<usize>d << 2);
  const z = logits + (<usize>kp << 2);
  const d4 = d & ~3;
  const rowStride = <usize>d << 2;
  for (let i = 0; i < rows; i++) {
    const xi = x + ((<usize>i * <usize>d) << 2);
    const oi = out + ((<usize>i * <usize>d) << 2);
    // 1. Per component: y, z = y C⁻¹ (rows of C⁻¹ scaled by y_i, four columns per lane), logit = c − ½ z · y.
    for (let kk = 0; kk < k; kk++) {
      const mean = means + <usize>kk * rowStride;
      for (let j = 0; j < d; j++) {
        const m = load<f32>(mean + (<usize>j << 2));
        store<f32>(y + (<usize>j << 2), load<f32>(xi + (<usize>j << 2)) - m + m * oneMinusRootA);
      }
      const zk = z + <usize>kk * rowStride;
      const matrix = precision + <usize>kk * <usize>d * rowStride;
      let j = 0;
      for (; j < d4; j += 4) {
        let acc0 = f32x4.splat(0);
        let acc1 = f32x4.splat(0);
        let column = matrix + (<usize>j << 2);
        let r = 0;
        for (; r + 1 < d; r += 2) {
          acc0 = f32x4.add(acc0, f32x4.mul(f32x4.splat(load<f32>(y + (<usize>r << 2))), v128.load(column)));
          acc1 = f32x4.add(
            acc1,
            f32x4.mul(f32x4.splat(load<f32>(y + (<usize>(r + 1) << 2))), v128.load(column + rowStride)),
          );
          column += 2 * rowStride;
        }
        if (r < d) acc0 = f32x4.add(acc0, f32x4.mul(f32x4.splat(load<f32>(y + (<usize>r << 2))), v128.load(column)));
        v128.store(zk + (<usize>j << 2), f32x4.add(acc0, acc1));
      }
      for (; j < d; j++) {
        let sum: f32 = 0;
        let entry = matrix + (<usize>j << 2);
        for (let r = 0; r < d; r++) {
          sum += load<f32>(y + (<usize>r << 2)) * load<f32>(entry);
          entry += rowStride;
        }
        store<f32>(zk + (<usize>j << 2), sum);
      }
      let quadratic: f32 = 0;
      for (let t = 0; t < d; t++) quadratic += load<f32>(zk + (<usize>t << 2)) * load<f32>(y + (<usize>t << 2));
      store<f32>(logits + (<usize>kk << 2), load<f32>(constant + (<usize>kk << 2)) - 0.5 * quadratic);
    }
    for (let kk = k; kk < kp; kk++) store<f32>(logits + (<usize>kk << 2), -Infinity);
    // 2. Responsibilities.
    let top = f32x4.splat(-Infinity);
    for (let g = 0; g < groups; g++) top = f32x4.max(top, v128.load(logits + (<usize>g << 4)));
    const m = max(
      max(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)),
      max(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)),
    );
    let total = f32x4.splat(0);
    for (let g = 0; g < groups; g++) {
      const at = logits + (<usize>g << 4);
      const e = exp4(f32x4.sub(v128.load(at), f32x4.splat(m)));
      v128.store(at, e);
      total = f32x4.add(total, e);
    }
    const sum = sum4(total);
    if (density !== 0) {
      store<f32>(density + (<usize>i << 3), m);
      store<f32>(density + (<usize>i << 3) + 4, sum);
    }
    if (out === 0) continue;
    const inverse: f32 = 1.0 / sum;
    // 3. score = −Σ_k r_k z_k.
    let j = 0;
    for (; j < d4; j += 4) {
      let acc = f32x4.splat(0);
      let zk = z + (<usize>j << 2);
      for (let kk = 0; kk < k; kk++) {
        acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(logits + (<usize>kk << 2))), v128.load(zk)));
        zk += rowStride;
      }
      v128.store(oi + (<usize>j << 2), f32x4.mul(acc, f32x4.splat(-inverse)));
    }
    for (; j < d; j++) {
      let sum: f32 = 0;
      let zk = z + (<usize>j << 2);
      for (let kk = 0; kk < k; kk++) {
        sum += load<f32>(logits + (<usize>kk << 2)) * load<f32>(zk);
        zk += rowStride;
      }
      store<f32>(oi + (<usize>j << 2), -inverse * sum);
    }
  }
}
