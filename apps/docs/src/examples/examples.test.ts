/**
 * The guide's code examples run here, so they cannot rot: each is a module that the guide includes verbatim.
 */
import { describe, expect, test } from 'vitest';

describe('guide examples', () => {
  test('first samples: RTK-MALA on a two-mode mixture is accurate at NFE 100', async () => {
    const { accuracy } = await import('./first-samples.js');
    // Two exact samples of n = 1000 in 2-D with 50 bins score about 0.9 against each other (the floor of the
    // plug-in estimator); a sampler that lost a mode or blurred them would fall far below 0.8.
    expect(accuracy).toBeGreaterThan(0.8);
  });

  test('wrapping an ε-prediction network: the samples have the data variance', async () => {
    const { variance } = await import('./wrap-network.js');
    // n = 4000: the sample variance has sd 0.25·√(2/n) ≈ 0.0056; 5 sd plus 0.01 of discretisation at NFE 20.
    for (const v of variance) expect(Math.abs(v - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / 4000) + 0.01);
  });
});
