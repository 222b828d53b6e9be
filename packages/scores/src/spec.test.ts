import { isRtkError, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { mixtureSpecSchema, parseGaussianSpec, parseMixtureSpec } from './spec.js';

const valid = {
  weights: [0.2, 0.3, 0.5],
  means: [
    [0, 0],
    [1, 1],
    [-1, 2],
  ],
  covariances: [
    0.5,
    [0.2, 0.3],
    [
      [1, 0.5],
      [0.5, 1],
    ],
  ],
};

function messageOf(json: unknown): string {
  try {
    parseMixtureSpec(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

describe('parseMixtureSpec', () => {
  test('accepts isotropic, diagonal and full covariances and returns the spec', () => {
    expect(parseMixtureSpec(valid)).toEqual(valid);
    expect(parseMixtureSpec(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    // Six printed digits of 1/3 still sum to one within the tolerance.
    expect(() =>
      parseMixtureSpec({
        weights: [0.333333, 0.333333, 0.333334],
        means: [[0], [1], [2]],
        covariances: [1, 1, 1],
      }),
    ).not.toThrow();
  });

  test.each([
    ['a missing field', { weights: [1], means: [[0]] }, /covariances/],
    ['an extra field', { ...valid, variance: 1 }, /variance/],
    [
      'fewer means than weights',
      { ...valid, means: valid.means.slice(0, 2) },
      /means: must have one mean per weight \(3\), got 2/,
    ],
    [
      'fewer covariances than weights',
      { ...valid, covariances: valid.covariances.slice(1) },
      /covariances: must have one covariance per weight \(3\), got 2/,
    ],
    [
      'means of different lengths',
      { ...valid, means: [[0, 0], [1], [-1, 2]] },
      /means\[1\]: every mean must have the dimension of means\[0\] \(2\), got 1/,
    ],
    [
      'a diagonal of the wrong length',
      { ...valid, covariances: [0.5, [0.2], valid.covariances[2]] },
      /covariances\[1\]: must have 2 rows or entries/,
    ],
    [
      'a ragged full matrix',
      { ...valid, covariances: [0.5, [0.2, 0.3], [[1, 0.5], [0.5]]] },
      /covariances\[2\]\[1\]: row must have 2 entries/,
    ],
    [
      'a negative variance',
      { ...valid, covariances: [-0.5, [0.2, 0.3], valid.covariances[2]] },
      /covariances\[0\]: a variance must be positive, got -0.5/,
    ],
    [
      'a zero diagonal entry',
      { ...valid, covariances: [0.5, [0.2, 0], valid.covariances[2]] },
      /covariances\[1\]\[1\]: a diagonal variance must be positive, got 0/,
    ],
    [
      'a full matrix entry that is not a number',
      {
        ...valid,
        covariances: [
          0.5,
          [0.2, 0.3],
          [
            [1, 0],
            [0, 'a'],
          ],
        ],
      },
      /covariances\[2\]: \[1\]\[1\]: must be a number, got "a"/,
    ],
    [
      'a covariance that is neither number, diagonal nor matrix',
      { ...valid, covariances: ['wide', [0.2, 0.3], valid.covariances[2]] },
      /covariances\[0\]: a covariance is a variance v > 0 .*; got "wide"/,
    ],
    [
      'a diagonal mixing numbers and rows',
      { ...valid, covariances: [0.5, [0.2, [0.3]], valid.covariances[2]] },
      /covariances\[1\]: \[1\]: a diagonal covariance holds numbers .*, got an array of 1/,
    ],
    [
      'a non-symmetric matrix',
      {
        ...valid,
        covariances: [
          0.5,
          [0.2, 0.3],
          [
            [1, 0.5],
            [0.4, 1],
          ],
        ],
      },
      /covariances\[2\]\[1\]\[0\]: covariance must be symmetric/,
    ],
    [
      'a non-positive-definite matrix',
      {
        ...valid,
        covariances: [
          0.5,
          [0.2, 0.3],
          [
            [1, 2],
            [2, 1],
          ],
        ],
      },
      /covariances\[2\]: covariance must be positive definite.*pivot 1/,
    ],
    [
      'weights that do not sum to one',
      { ...valid, weights: [0.2, 0.3, 0.6] },
      /weights: must sum to 1 \(within 0.000001\), but they sum to 1.1/,
    ],
    ['a zero weight', { ...valid, weights: [0, 0.5, 0.5] }, /weights\[0\]/],
    [
      'a NaN mean',
      {
        ...valid,
        means: [
          [0, Number.NaN],
          [1, 1],
          [-1, 2],
        ],
      },
      /means\[0\]\[1\]/,
    ],
    [
      'an infinite mean',
      {
        ...valid,
        means: [
          [0, Number.POSITIVE_INFINITY],
          [1, 1],
          [-1, 2],
        ],
      },
      /means\[0\]\[1\]/,
    ],
    ['no components', { weights: [], means: [], covariances: [] }, /weights/],
    ['not an object', 'mixture.json', /\(root\)/],
  ])('refuses %s, naming the field', (_what, json, message) => {
    const text = messageOf(json);
    expect(text).toMatch(/^invalid mixture spec:/);
    expect(text).toMatch(message);
  });

  test('lists every problem at once, with the issues in details', () => {
    try {
      parseMixtureSpec({
        ...valid,
        weights: [0.2, 0.3, 0.6],
        covariances: [0.5, [0.2], valid.covariances[2]],
      });
    } catch (error) {
      const details = (error as ValidationError).details as { issues: { path: string }[] };
      expect(details.issues.map((issue) => issue.path).sort()).toEqual(['covariances[1]', 'weights']);
    }
  });

  test('the schema exports a JSON Schema for documentation and the CLI', () => {
    const schema = z.toJSONSchema(mixtureSpecSchema, { unrepresentable: 'any' }) as { properties?: object };
    expect(Object.keys(schema.properties ?? {})).toEqual(['weights', 'means', 'covariances']);
  });
});

describe('parseGaussianSpec', () => {
  test('accepts a full covariance, refuses a wrong size or a non-PD matrix', () => {
    expect(
      parseGaussianSpec({
        mean: [0, 1],
        covariance: [
          [2, 1],
          [1, 2],
        ],
      }).mean,
    ).toEqual([0, 1]);
    expect(() => parseGaussianSpec({ mean: [0, 1], covariance: [1, 2, 3] })).toThrow(
      /covariance: must have 2 rows or entries/,
    );
    expect(() =>
      parseGaussianSpec({
        mean: [0, 1],
        covariance: [
          [1, 0],
          [0, -1],
        ],
      }),
    ).toThrow(/positive definite/);
    expect(() => parseGaussianSpec({ mean: [], covariance: 1 })).toThrow(/invalid gaussian spec:\n {2}mean/);
  });
});
