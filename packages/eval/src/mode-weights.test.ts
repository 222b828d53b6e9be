import { ShapeError, tf, ValidationError } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { type MixtureComponents, modeWeightError } from './mode-weights.js';

const twoModes: MixtureComponents = {
  weights: [0.25, 0.75],
  means: [
    [-2, 0],
    [2, 0],
  ],
  covariances: [1, 1],
};

describe('per-mode weight error', () => {
  test('assigns to the nearest mode and reports counts, weights and errors', async () => {
    const x = [
      [-2.5, 0.3],
      [-1.5, 0],
      [1.9, -1],
      [3, 0],
    ];
    const result = await modeWeightError(x, twoModes);
    expect(result.counts).toEqual([2, 2]);
    expect(result.weights).toEqual([0.5, 0.5]);
    expect(result.absoluteErrors).toEqual([0.25, 0.25]);
    expect(result.totalVariation).toBe(0.25);
    expect(result.maxError).toBe(0.25);
    expect(result.standardErrors[0]).toBeCloseTo(Math.sqrt((0.25 * 0.75) / 4), 12);
  });

  test('responsibilities weigh in the log-weights and log-determinants, not only the distance', async () => {
    // x = 0 is equidistant from ±2: the heavier weight wins; with equal weights, the wider component wins.
    expect((await modeWeightError([[0, 0]], twoModes)).counts).toEqual([0, 1]);
    const wide = { ...twoModes, weights: [1, 1], covariances: [4, 1] };
    expect((await modeWeightError([[0, 0]], wide)).counts).toEqual([1, 0]);
  });

  test('isotropic, diagonal and full covariances that are equal give equal assignments', async () => {
    const x = tf.tidy(() => tf.mul(tf.randomNormal([200, 2], 0, 1, 'float32', 3), 2)) as tf.Tensor2D;
    const anisotropic = (covariances: MixtureComponents['covariances']) => ({
      weights: [1, 2],
      means: [
        [-1, 0],
        [1, 1],
      ],
      covariances,
    });
    const diagonal = await modeWeightError(x, anisotropic([[0.5, 2], 1]));
    const full = await modeWeightError(
      x,
      anisotropic([
        [
          [0.5, 0],
          [0, 2],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ]),
    );
    expect(full.counts).toEqual(diagonal.counts);
    expect(diagonal.counts[0]! + diagonal.counts[1]!).toBe(200);
    x.dispose();
  });

  test('a correlated covariance changes the assignment the way its Mahalanobis distance says', async () => {
    // Component 0 stretched along (1, 1): the point (1.5, 1.5) is far in Euclidean terms but close in its metric.
    const mixture: MixtureComponents = {
      weights: [1, 1],
      means: [
        [0, 0],
        [2.5, 0],
      ],
      covariances: [
        [
          [1, 0.95],
          [0.95, 1],
        ],
        0.5,
      ],
    };
    expect((await modeWeightError([[1.5, 1.5]], mixture)).counts).toEqual([1, 0]);
    expect((await modeWeightError([[1.5, -1.5]], mixture)).counts).toEqual([0, 1]);
  });

  test('weights are normalised; inconsistent mixtures are typed errors', async () => {
    const x = [[0, 0]];
    const unnormalised = await modeWeightError([[-2, 0]], { ...twoModes, weights: [1, 3] });
    expect(unnormalised.absoluteErrors).toEqual([0.75, 0.75]);
    await expect(modeWeightError(x, { ...twoModes, weights: [1] })).rejects.toThrow(/K ≥ 1 components/);
    await expect(modeWeightError(x, { ...twoModes, weights: [-1, 2] })).rejects.toThrow(ValidationError);
    await expect(modeWeightError(x, { ...twoModes, weights: [0, 0] })).rejects.toThrow(/not all 0/);
    await expect(modeWeightError(x, { ...twoModes, means: [[0], [1]] })).rejects.toThrow(/means\[0\]/);
    await expect(modeWeightError(x, { ...twoModes, covariances: [0, 1] })).rejects.toThrow(
      /positive variance/,
    );
    await expect(modeWeightError(x, { ...twoModes, covariances: [[1, -1], 1] })).rejects.toThrow(/diagonal/);
    await expect(modeWeightError(x, { ...twoModes, covariances: [[1, 2, 3], 1] })).rejects.toThrow(
      /2 entries/,
    );
    const notPositive = [
      [1, 2],
      [2, 1],
    ];
    const notSymmetric = [
      [1, 0.5],
      [0, 1],
    ];
    await expect(modeWeightError(x, { ...twoModes, covariances: [notPositive, 1] })).rejects.toThrow(
      /positive-definite/,
    );
    await expect(modeWeightError(x, { ...twoModes, covariances: [notSymmetric, 1] })).rejects.toThrow(
      /positive-definite/,
    );
    await expect(modeWeightError([[0, 0, 0]], twoModes)).rejects.toThrow(/means\[0\] must have 3/);
    await expect(modeWeightError([], twoModes)).rejects.toThrow(/empty/);
    await expect(modeWeightError([[0], [0, 1]], twoModes)).rejects.toThrow(ShapeError);
  });
});
