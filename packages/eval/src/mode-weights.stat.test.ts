/**
 * Mode weights of exact mixture samples: with well-separated components (closest means 5.7 σ from the midpoint, so a
 * misassignment has probability ≈ Φ(−5.7) ≈ 6e−9), the assigned counts are multinomial(n, w) and every ŵ_i is within
 * 5 multinomial standard errors of w_i.
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { modeWeightError } from './mode-weights.js';

const weights = [0.2, 0.3, 0.5];
const means = [
  [-4, 0],
  [4, 0],
  [0, 4],
];

describe('per-mode weight error on exact mixture samples', () => {
  test('recovers the weights within 5 standard errors; rejects equal weights (negative control)', async () => {
    const target = isotropicMixtureTarget({ weights, means, variance: 0.25 });
    const x = target.sample(4000, createRng(51));
    const result = await modeWeightError(x, { weights, means, covariances: [0.25, 0.25, 0.25] });
    result.absoluteErrors.forEach((error, i) => {
      expect(error).toBeLessThan(5 * result.standardErrors[i]!);
    });
    const equal = await modeWeightError(x, { weights: [1, 1, 1], means, covariances: [0.25, 0.25, 0.25] });
    expect(Math.max(...equal.absoluteErrors.map((e, i) => e / equal.standardErrors[i]!))).toBeGreaterThan(5);
    tf.dispose(x);
  });
});
