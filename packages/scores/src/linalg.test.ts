import { fc, test } from '@fast-check/vitest';
import { inverseSpd, cholesky as referenceCholesky } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { cholesky, inverseFromCholesky, logDetFromCholesky, smallestEigenvalue } from './linalg.js';

/** Σ = B Bᵀ + 0.1 I for a random B: symmetric positive definite, condition number ≲ 10³ for |B_ij| ≤ 3, d ≤ 6. */
const spd = fc
  .integer({ min: 1, max: 6 })
  .chain((d) =>
    fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d }), {
      minLength: d,
      maxLength: d,
    }),
  )
  .map((b) =>
    b.map((_, i) => b.map((_, j) => b[i]!.reduce((s, v, k) => s + v * b[j]![k]!, i === j ? 0.1 : 0))),
  );

const flat = (rows: number[][]) => ({ order: rows.length, values: Float64Array.from(rows.flat()) });

describe('float64 linear algebra', () => {
  test.prop([spd])(
    'cholesky, inverse and log-determinant agree with test-utils (an independent implementation)',
    (matrix) => {
      const d = matrix.length;
      const factor = cholesky(flat(matrix));
      if (!('lower' in factor)) throw new Error('expected a factor');
      const expected = referenceCholesky(matrix);
      // Backward-stable in float64: errors ≈ d ε cond(Σ) ≤ 6 · 2.2e−16 · 1e3 ≈ 1e−12 relative to the largest entry.
      const scale = Math.max(...matrix.flat().map(Math.abs));
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++)
          expect(Math.abs(factor.lower[i * d + j]! - expected[i]![j]!)).toBeLessThan(1e-9 * Math.sqrt(scale));
      const logDet = 2 * expected.reduce((s, row, i) => s + Math.log(row[i]!), 0);
      expect(logDetFromCholesky(factor.lower, d)).toBeCloseTo(logDet, 9);
      const inverse = inverseFromCholesky(factor.lower, d);
      const reference = inverseSpd(matrix);
      const inverseScale = Math.max(...reference.flat().map(Math.abs));
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          expect(inverse[i * d + j]).toBe(inverse[j * d + i]); // exactly symmetric
          expect(Math.abs(inverse[i * d + j]! - reference[i]![j]!)).toBeLessThan(1e-8 * inverseScale);
        }
      }
    },
  );

  test('cholesky reports the first non-positive pivot', () => {
    expect(
      cholesky(
        flat([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toEqual({ failedPivot: 1, pivot: -3 });
    expect(cholesky(flat([[0]]))).toEqual({ failedPivot: 0, pivot: 0 });
  });

  test('smallestEigenvalue: diagonal and 2 × 2 closed forms', () => {
    expect(
      smallestEigenvalue(
        flat([
          [3, 0, 0],
          [0, 0.5, 0],
          [0, 0, 2],
        ]),
      ),
    ).toBeCloseTo(0.5, 12);
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    expect(
      smallestEigenvalue(
        flat([
          [2, 1],
          [1, 2],
        ]),
      ),
    ).toBeCloseTo(1, 12);
  });
});
