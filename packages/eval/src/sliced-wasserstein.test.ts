import { fc, test } from '@fast-check/vitest';
import { createRng, type Rng, ShapeError, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect } from 'vitest';
import { slicedWasserstein, wasserstein2Squared } from './sliced-wasserstein.js';

describe('1-D Wasserstein-2 of sorted samples', () => {
  test('hand-computed value with unequal sizes', () => {
    // Quantiles of {0, 1} and {0, ½, 1} differ by ½ on (1/3, 2/3): W₂² = ¼ · ⅓ = 1/12.
    expect(wasserstein2Squared(Float64Array.of(0, 1), Float64Array.of(0, 0.5, 1))).toBeCloseTo(1 / 12, 15);
  });

  test.prop([fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 30 })])(
    'equal sizes: the mean squared difference of sorted values; a shift by c costs c²',
    (values) => {
      const a = Float64Array.from(values).sort();
      const b = a.map((v, i) => v * 0.5 + i);
      const direct = a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;
      expect(wasserstein2Squared(a, b.sort())).toBeCloseTo(direct, 9);
      expect(
        wasserstein2Squared(
          a,
          a.map((v) => v + 1.5),
        ),
      ).toBeCloseTo(2.25, 9);
    },
  );

  test.prop([
    fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }),
    fc.integer({ min: 2, max: 4 }),
  ])('repeating every value k times does not change the law, nor W₂', (values, k) => {
    const a = Float64Array.from(values).sort();
    const b = Float64Array.from(values.map((v) => v + 0.25))
      .sort()
      .map((v) => v * 2);
    const repeated = Float64Array.from(Array.from(b).flatMap((v) => new Array<number>(k).fill(v)));
    expect(wasserstein2Squared(a, repeated)).toBeCloseTo(wasserstein2Squared(a, b), 9);
  });
});

describe('sliced Wasserstein-2', () => {
  const sample = (rng: Rng, n: number, d: number, shift = 0) => ({
    values: rng.normalArray(n, d).map((v) => v + shift),
    d,
  });

  test('identical samples give exactly 0; the same rng gives the same directions', async () => {
    const rng = createRng(1);
    const x = sample(rng, 100, 4);
    const y = sample(rng, 80, 4, 0.3);
    expect((await slicedWasserstein(x, x, { rng })).value).toBe(0);
    const first = await slicedWasserstein(x, y, { rng, projections: 16 });
    const second = await slicedWasserstein(x, y, { rng, projections: 16 });
    expect(second).toEqual(first);
    const other = await slicedWasserstein(x, y, { rng: createRng(2), projections: 16 });
    expect(other.value).not.toBe(first.value);
  });

  test('in one dimension every direction is ±1, so it is the exact W₂ (no Monte Carlo error)', async () => {
    const x = { values: Float64Array.of(0, 1), d: 1 };
    const y = { values: Float64Array.of(1, 0.5, 0), d: 1 };
    const result = await slicedWasserstein(x, y, { rng: createRng(3), projections: 5 });
    expect(result.squared).toBeCloseTo(1 / 12, 7);
    expect(result.value).toBeCloseTo(Math.sqrt(1 / 12), 7);
    expect(result.projectionError).toBeCloseTo(0, 7);
  });

  test('a translation by δ of the same sample gives SW₂² = ‖δ‖²/d in expectation over directions', async () => {
    // Projections of x + δ are projections of x shifted by θ·δ, so W₂²(θ) = (θ·δ)² exactly and E(θ·δ)² = ‖δ‖²/d.
    // With L = 2000 directions the Monte Carlo error is below 4 % here (Var (θ·δ)² = 2‖δ‖⁴(d−1)/(d²(d+2))).
    const rng = createRng(4);
    const x = sample(rng, 200, 3);
    const y = { values: x.values.map((v, k) => v + (k % 3 === 0 ? 2 : 0)), d: 3 };
    const result = await slicedWasserstein(x, y, { rng, projections: 2000 });
    expect(Math.abs(result.squared - 4 / 3)).toBeLessThan(5 * result.projectionError);
    expect(result.projectionError).toBeLessThan(0.03);
  });

  test('typed errors', async () => {
    const x = [[0], [1]];
    await expect(slicedWasserstein(x, x, undefined as unknown as { rng: Rng })).rejects.toThrow(
      /options\.rng/,
    );
    await expect(slicedWasserstein(x, x, { rng: createRng(0), projections: 0 })).rejects.toThrow(
      ValidationError,
    );
    await expect(slicedWasserstein(x, [[0, 1]], { rng: createRng(0) })).rejects.toThrow(ShapeError);
    await expect(slicedWasserstein([], x, { rng: createRng(0) })).rejects.toThrow(/empty/);
  });
});
