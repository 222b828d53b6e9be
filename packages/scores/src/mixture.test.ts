import { fc, test } from '@fast-check/vitest';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import {
  cholesky,
  finiteDifferenceGradient,
  inverseSpd,
  isotropicMixtureTarget,
} from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { gaussianModel } from './gaussian.js';
import { mixtureModel } from './mixture.js';
import type { Covariance, MixtureSpec } from './spec.js';

/** The covariance as a full float64 matrix. */
function fullOf(covariance: Covariance, d: number): number[][] {
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => {
      if (typeof covariance === 'number') return i === j ? covariance : 0;
      if (!Array.isArray(covariance[0])) return i === j ? (covariance as readonly number[])[i]! : 0;
      return (covariance as readonly (readonly number[])[])[i]![j]!;
    }),
  );
}

/**
 * Float64 reference of ALGORITHMS.md §3 written independently of the package: dense C_i = aΣ_i + (1 − a)I, its
 * inverse and log-determinant from test-utils, responsibilities by log-sum-exp, row by row.
 */
function reference(spec: MixtureSpec, rows: number[][], a: number) {
  const d = spec.means[0]!.length;
  const parts = spec.covariances.map((covariance, i) => {
    const c = fullOf(covariance, d).map((row, r) => row.map((v, s) => a * v + (r === s ? 1 - a : 0)));
    const logDet = 2 * cholesky(c).reduce((sum, row, r) => sum + Math.log(row[r]!), 0);
    return { m: spec.means[i]!.map((v) => Math.sqrt(a) * v), precision: inverseSpd(c), logDet };
  });
  return rows.map((x) => {
    const terms = parts.map(({ m, precision, logDet }, i) => {
      const diff = m.map((v, j) => v - x[j]!);
      const pull = precision.map((row) => row.reduce((s, p, j) => s + p * diff[j]!, 0)); // C⁻¹(m − x)
      const quadratic = diff.reduce((s, v, j) => s + v * pull[j]!, 0);
      return {
        pull,
        logit: Math.log(spec.weights[i]!) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + quadratic),
      };
    });
    const max = Math.max(...terms.map((t) => t.logit));
    const total = terms.reduce((s, t) => s + Math.exp(t.logit - max), 0);
    const r = terms.map((t) => Math.exp(t.logit - max) / total);
    return {
      logDensity: max + Math.log(total),
      responsibilities: r,
      score: Array.from({ length: d }, (_, j) => terms.reduce((s, t, i) => s + r[i]! * t.pull[j]!, 0)),
    };
  });
}

/** A random mixture: K ≤ 3 components in d ≤ 3, each covariance isotropic, diagonal or full (Σ = B Bᵀ + 0.05 I). */
const mixtureSpec = fc
  .record({ k: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 3 }) })
  .chain(({ k, d }) => {
    const value = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    const covariance: fc.Arbitrary<Covariance> = fc.oneof(
      value(0.05, 2),
      fc.array(value(0.05, 2), { minLength: d, maxLength: d }),
      fc
        .array(fc.array(value(-1, 1), { minLength: d, maxLength: d }), { minLength: d, maxLength: d })
        .map((b) =>
          b.map((_, i) => b.map((_, j) => b[i]!.reduce((s, v, t) => s + v * b[j]![t]!, i === j ? 0.05 : 0))),
        ),
    );
    return fc.record({
      weights: fc.array(value(0.1, 1), { minLength: k, maxLength: k }).map((w) => {
        const sum = w.reduce((s, v) => s + v, 0);
        return w.map((v) => v / sum);
      }),
      means: fc.array(fc.array(value(-3, 3), { minLength: d, maxLength: d }), { minLength: k, maxLength: k }),
      covariances: fc.array(covariance, { minLength: k, maxLength: k }),
    });
  });

const level = fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom(1, 1e-9, 0.999999));
const seed = fc.integer({ min: 0, max: 2 ** 31 });

async function rowsOf(t: tf.Tensor): Promise<number[][]> {
  const values = (await t.array()) as number[] | number[][];
  return values.map((v) => (Array.isArray(v) ? v : [v]));
}

describe('mixtureModel against a float64 reference', () => {
  test.prop([mixtureSpec, level, seed])('score, logDensity and responsibilities', async (spec, a, s) => {
    const model = mixtureModel(spec);
    const d = model.dim;
    const x = tf.mul(createRng(s).normal([6, d]), 2) as tf.Tensor2D;
    const rows = await rowsOf(x);
    const expected = reference(spec, rows, a);
    const [score, logDensity, r] = [model.score(x, a), model.logDensity(x, a), model.responsibilities(x, a)];
    const [scoreRows, densityValues, rRows] = [await rowsOf(score), await logDensity.data(), await rowsOf(r)];
    expected.forEach((e, i) => {
      // float32 evaluation: terms up to |C⁻¹| · |x − m| ≈ 20 · 10 and logits up to ≈ 10³ carry relative errors of a
      // few ulps (6e−8 each) through sums of ≤ 3d terms; 1e−3 relative to the scale is ≥ 10 × that budget.
      const scale = 1 + Math.max(...e.score.map(Math.abs));
      e.score.forEach((v, j) => {
        expect(Math.abs(scoreRows[i]![j]! - v)).toBeLessThan(1e-3 * scale);
      });
      expect(Math.abs(densityValues[i]! - e.logDensity)).toBeLessThan(1e-4 * (1 + Math.abs(e.logDensity)));
      e.responsibilities.forEach((v, j) => {
        expect(Math.abs(rRows[i]![j]! - v)).toBeLessThan(1e-3);
      });
    });
    tf.dispose([x, score, logDensity, r]);
  });

  test('the component order of responsibilities follows the spec when full and diagonal components mix', async () => {
    const spec = {
      weights: [0.2, 0.3, 0.5],
      means: [
        [-4, 0],
        [0, 0],
        [4, 0],
      ],
      covariances: [
        [
          [0.5, 0.1],
          [0.1, 0.5],
        ],
        0.5,
        [0.5, 0.4],
      ],
    };
    const x = tf.tensor2d([
      [-4, 0],
      [0, 0],
      [4, 0],
    ]);
    const r = await rowsOf(mixtureModel(spec).responsibilities(x, 1));
    r.forEach((row, i) => {
      expect(row.indexOf(Math.max(...row))).toBe(i);
    });
    x.dispose();
  });
});

describe('mixtureModel properties', () => {
  // d ≥ 2: test-utils' finiteDifferenceGradient builds its steps with tf.oneHot, which needs a depth ≥ 2.
  test.prop(
    [
      mixtureSpec.filter((spec) => spec.means[0]!.length >= 2),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }),
      seed,
    ],
    {
      numRuns: 40,
    },
  )('the score is the finite-difference gradient of logDensity', async (spec, a, s) => {
    const model = mixtureModel(spec);
    const x = createRng(s).normal([8, model.dim]);
    const score = model.score(x, a);
    const numeric = finiteDifferenceGradient((y) => model.logDensity(y, a), x, 1e-2);
    // O(h²) truncation: h² |∇³ log p| / 6 ≲ 1e−4 · 20³ / 6 for curvature ≤ 20; float32 rounding of log p (≲ 30)
    // over 2h: 30 · 6e−8 / 0.02 ≈ 1e−4. The sum is ≲ 0.14 at the sharpest mixtures generated; 5e−2 relative.
    const error = tf.tidy(() => tf.max(tf.abs(tf.sub(score, numeric))).dataSync()[0]!);
    const scale = tf.tidy(() => tf.max(tf.abs(score)).dataSync()[0]!);
    expect(error).toBeLessThan(5e-2 * (1 + scale));
    tf.dispose([x, score, numeric]);
  });

  test.prop([mixtureSpec, seed])('as a → 0 the model tends to N(0, I): score → −x', async (spec, s) => {
    const model = mixtureModel(spec);
    const x = createRng(s).normal([5, model.dim]);
    for (const a of [1e-4, 1e-8]) {
      const score = model.score(x, a);
      const gap = tf.tidy(() => tf.max(tf.abs(tf.add(score, x))).dataSync()[0]!);
      // |s + x| ≤ sqrt(a)|μ|/c + a|Σ − I||x| ≲ 4 sqrt(a) + 10 a, plus float32 rounding.
      expect(gap).toBeLessThan(4 * Math.sqrt(a) + 10 * a + 1e-5);
      score.dispose();
    }
    const a = 1e-12;
    const logDensity = await model.logDensity(x, a).data();
    const rows = await rowsOf(x);
    rows.forEach((row, i) => {
      const standard = -0.5 * (row.length * Math.log(2 * Math.PI) + row.reduce((t, v) => t + v * v, 0));
      // log p_a − log N(x; 0, I) is ≈ sqrt(a) Σ_j |μ_j x_j| ≤ sqrt(a) · 3 Σ_j |x_j|; float32 adds ≈ 1e−6 |log p|.
      const tolerance =
        Math.sqrt(a) * 3 * row.reduce((t, v) => t + Math.abs(v), 0) + 1e-5 * (1 + Math.abs(standard));
      expect(Math.abs(logDensity[i]! - standard)).toBeLessThan(tolerance);
    });
    x.dispose();
  });

  test.prop([mixtureSpec.filter((spec) => spec.weights.length === 1), level, seed])(
    'a mixture of one component equals the Gaussian model',
    async (spec, a, s) => {
      const mixture = mixtureModel(spec);
      const gaussian = gaussianModel({ mean: spec.means[0]!, covariance: spec.covariances[0]! });
      const x = createRng(s).normal([6, mixture.dim]);
      const [s1, s2] = [mixture.score(x, a), gaussian.score(x, a)];
      const [l1, l2] = [mixture.logDensity(x, a), gaussian.logDensity(x, a)];
      const scale = tf.tidy(() => tf.max(tf.abs(s2)).dataSync()[0]!);
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(s1, s2))).dataSync()[0]!)).toBeLessThan(1e-4 * (1 + scale));
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(l1, l2))).dataSync()[0]!)).toBeLessThan(1e-3);
      expect(mixture.curvatureBound(a)).toBeCloseTo(gaussian.curvatureBound(a), 9);
      tf.dispose([x, s1, s2, l1, l2]);
    },
  );

  test('at a = 1 it is p_0: agrees with test-utils’ isotropic mixture target (an independent implementation)', () => {
    const fixture = {
      weights: [0.25, 0.75],
      means: [
        [-1, 2],
        [1.5, 0],
      ],
      variance: 0.3,
    };
    const target = isotropicMixtureTarget(fixture);
    const model = mixtureModel({ weights: fixture.weights, means: fixture.means, covariances: [0.3, 0.3] });
    const x = createRng(3).normal([32, 2]);
    const gaps = tf.tidy(() => [
      tf.max(tf.abs(tf.sub(model.score(x, 1), target.grad(x)))).dataSync()[0]!,
      tf.max(tf.abs(tf.sub(model.logDensity(x, 1), target.logDensity(x)))).dataSync()[0]!,
    ]);
    expect(gaps[0]).toBeLessThan(1e-4);
    expect(gaps[1]).toBeLessThan(1e-4);
    x.dispose();
  });

  test.prop([mixtureSpec, fc.double({ min: 0.01, max: 1, noNaN: true }), seed], { numRuns: 30 })(
    'curvatureBound(a) = max 1/(a λ_min(Σ_i) + 1 − a) bounds the Hessian of −log p_a (finite differences)',
    async (spec, a, s) => {
      const model = mixtureModel(spec);
      const d = model.dim;
      const bound = model.curvatureBound(a);
      const smallest = Math.min(
        ...spec.covariances.map((c) => {
          const m = fullOf(c, d);
          // λ_min by the Rayleigh quotient of the inverse (test-utils' inverseSpd), power iteration in float64.
          const inv = inverseSpd(m);
          let v = new Array<number>(d).fill(1 / Math.sqrt(d));
          let lambda = 0;
          for (let it = 0; it < 2000; it++) {
            const w = inv.map((row) => row.reduce((t, p, k) => t + p * v[k]!, 0));
            lambda = Math.hypot(...w);
            v = w.map((value) => value / lambda);
          }
          return 1 / lambda;
        }),
      );
      expect(bound).toBeCloseTo(1 / (a * smallest + 1 - a), 4);
      // −∇² log p_a = −∂s/∂x: its largest eigenvalue along random unit directions u, by central differences of s.
      const x = createRng(s).normal([16, d]);
      const u = tf.tidy(() => {
        const raw = createRng(s).fork('u').normal([16, d]);
        return tf.div(raw, tf.norm(raw, 2, 1, true)) as tf.Tensor2D;
      });
      const h = 1e-3;
      const curvature = tf.tidy(() => {
        const plus = model.score(tf.add(x, tf.mul(u, h)) as tf.Tensor2D, a);
        const minus = model.score(tf.sub(x, tf.mul(u, h)) as tf.Tensor2D, a);
        return tf.max(tf.neg(tf.sum(tf.mul(tf.div(tf.sub(plus, minus), 2 * h), u), 1))).dataSync()[0]!;
      });
      // float32 differences of s (|s| ≲ 20/bound-scale) over 2h carry ≈ 20 · 6e−8 / 2e−3 ≈ 6e−4 · bound of noise.
      expect(curvature).toBeLessThanOrEqual(bound * (1 + 1e-2) + 1e-2);
      tf.dispose([x, u]);
    },
  );

  test('no tensor leaks from score, logDensity, responsibilities, sample', async () => {
    const model = mixtureModel({
      weights: [0.5, 0.5],
      means: [
        [0, 0],
        [1, 1],
      ],
      covariances: [
        [
          [1, 0.2],
          [0.2, 1],
        ],
        [0.5, 0.2],
      ],
    });
    const x = createRng(1).normal([10, 2]);
    await expectNoTensorLeak(() => {
      tf.dispose([model.score(x, 0.3), model.logDensity(x, 0.3), model.responsibilities(x, 0.3)]);
      model.sample(20, createRng(2)).dispose();
    });
    x.dispose();
  });

  test('bad inputs: wrong columns, a outside (0, 1], a bad spec', () => {
    const model = mixtureModel({ weights: [1], means: [[0, 0]], covariances: [1] });
    const x = tf.zeros([3, 3]) as tf.Tensor2D;
    expect(() => model.score(x, 0.5)).toThrow(/x must have 2 columns/);
    const y = tf.zeros([3, 2]) as tf.Tensor2D;
    for (const a of [0, -0.1, 1.5, Number.NaN])
      expect(() => model.score(y, a)).toThrow(/signal level a must be/);
    expect(() => model.curvatureBound(0)).toThrow(/signal level/);
    expect(() => model.sample(0, createRng(1))).toThrow(/n must be an integer ≥ 1/);
    try {
      mixtureModel({ weights: [0.5, 0.6], means: [[0], [1]], covariances: [1, 1] });
      expect.unreachable();
    } catch (error) {
      expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
      expect((error as Error).message).toMatch(/weights: must sum to 1/);
    }
    tf.dispose([x, y]);
  });
});
