import { fc, test } from '@fast-check/vitest';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect } from 'vitest';
import { empiricalModel } from './empirical.js';
import { mixtureModel } from './mixture.js';

const dataSet = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 3 }) })
  .chain(({ n, d }) =>
    fc.array(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true, noDefaultInfinity: true }), {
        minLength: d,
        maxLength: d,
      }),
      {
        minLength: n,
        maxLength: n,
      },
    ),
  )
  // float32 copies of the points, so the mixture (float64 spec) and the empirical model (float32 data) share them.
  .map((rows) => rows.map((row) => row.map(Math.fround)));

describe('empiricalModel', () => {
  test.prop([
    dataSet,
    fc.double({ min: 1e-6, max: 0.999, noNaN: true }),
    fc.integer({ min: 0, max: 2 ** 31 }),
  ])(
    'equals the mixture of its points with zero covariance (here 1e−30, which a Σ + 1 − a cannot tell from 0)',
    async (data, a, seed) => {
      const empirical = empiricalModel(data);
      const mixture = mixtureModel({
        weights: data.map(() => 1 / data.length),
        means: data,
        covariances: data.map(() => 1e-30),
      });
      const x = tf.mul(createRng(seed).normal([6, data[0]!.length]), 2) as tf.Tensor2D;
      const pairs = [
        [empirical.score(x, a), mixture.score(x, a)],
        [empirical.logDensity(x, a), mixture.logDensity(x, a)],
        [empirical.responsibilities(x, a), mixture.responsibilities(x, a)],
      ] as const;
      for (const [left, right] of pairs) {
        // Same arithmetic up to the 1e−30 term and the rounding of 1/N: equal to float32 precision.
        const scale = tf.tidy(() => tf.max(tf.abs(right)).dataSync()[0]!);
        expect(tf.tidy(() => tf.max(tf.abs(tf.sub(left, right))).dataSync()[0]!)).toBeLessThanOrEqual(
          1e-5 * (1 + scale),
        );
        tf.dispose([left, right]);
      }
      expect(empirical.curvatureBound(a)).toBeCloseTo(1 / (1 - a), 6);
      x.dispose();
    },
  );

  test('a = 1 is singular: a clear error; curvatureBound(1) = ∞', () => {
    const model = empiricalModel([
      [0, 0],
      [1, 1],
    ]);
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => model.score(x, 1)).toThrow(/singular at a = 1.*end the grid at 1 − δ/);
    expect(() => model.logDensity(x, 1)).toThrow(/singular at a = 1/);
    expect(() => model.responsibilities(x, 1)).toThrow(/singular at a = 1/);
    expect(model.curvatureBound(1)).toBe(Number.POSITIVE_INFINITY);
    x.dispose();
  });

  test('as a → 1 the score is finite and tends to (sqrt(a) x_nearest − x)/(1 − a)', async () => {
    const data = [
      [0, 0],
      [1, 1],
      [3, -1],
    ];
    const model = empiricalModel(data);
    const x = tf.tensor2d([
      [0.2, 0.1],
      [2.4, -0.5],
      [1, 1],
    ]);
    for (const a of [1 - 1e-4, 1 - 1e-7]) {
      const score = (await model.score(x, a).array()) as number[][];
      const nearest = [data[0]!, data[2]!, data[1]!];
      const rows = (await x.array()) as number[][];
      rows.forEach((row, i) => {
        row.forEach((v, j) => {
          const expected = (Math.sqrt(a) * nearest[i]![j]! - v) / (1 - a);
          expect(Number.isFinite(score[i]![j]!)).toBe(true);
          // The other points' responsibilities are ≤ e^{−(gap of squared distances)/(2(1 − a))} ≈ 0 here.
          expect(Math.abs(score[i]![j]! - expected)).toBeLessThanOrEqual(1e-3 * (1 + Math.abs(expected)));
        });
      });
    }
    x.dispose();
  });

  test('a tensor and rows give the same model; the caller may dispose the tensor; samples are data points', async () => {
    const rows = [
      [0, 1],
      [2, 3],
      [4, 5],
    ];
    const tensor = tf.tensor2d(rows);
    const model = empiricalModel(tensor);
    tensor.dispose();
    expect(model.size).toBe(3);
    const x = tf.tensor2d([[1, 1]]);
    const [a, b] = [model.score(x, 0.5), empiricalModel(rows).score(x, 0.5)];
    expect(await a.array()).toEqual(await b.array());
    const sample = (await model.sample(50, createRng(9)).array()) as number[][];
    for (const row of sample) expect(rows.some((r) => r[0] === row[0] && r[1] === row[1])).toBe(true);
    await expectNoTensorLeak(() => {
      tf.dispose([
        model.score(x, 0.5),
        model.logDensity(x, 0.5),
        model.responsibilities(x, 0.5),
        model.sample(5, createRng(1)),
      ]);
    });
    tf.dispose([a, b, x]);
  });

  test('bad data: empty, ragged, non-finite', () => {
    expect(() => empiricalModel([])).toThrow(/non-empty/);
    expect(() => empiricalModel([[1, 2], [3]])).toThrow(/row 1 has 1/);
    expect(() => empiricalModel([[1, Number.NaN]])).toThrow(/finite.*row 0, column 1/);
  });
});
