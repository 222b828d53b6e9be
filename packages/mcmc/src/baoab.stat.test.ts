/**
 * BAOAB samples the x-marginal of a Gaussian exactly at any stable step (Leimkuhler & Matthews 2013): at h = 0.5 on
 * a correlated Gaussian (precision eigenvalues 5 and 0.556, so h·sqrt(5) = 1.1 < 2), chains started at exact samples
 * keep the target's covariance along its stiff direction, while ULD's exponential integrator at the same h and γ
 * inflates it (negative control: the test resolves a biased integrator).
 */
import { createRng, tf } from '@rtk-diffusion/tensor';
import { gaussianTarget, sampleMoments } from '@rtk-diffusion/test-utils';
import { expect, test } from 'vitest';
import { baoab } from './baoab.js';
import { run } from './run.js';
import type { Kernel } from './types.js';
import { uld } from './uld.js';

const sigma = [
  [1, 0.8],
  [0.8, 1],
];
const target = gaussianTarget({ mean: [1, -1], covariance: sigma });

/** Sample covariance of x after 100 steps from n exact samples. */
async function covarianceAfter(kernel: Kernel, n: number): Promise<number[][]> {
  const x0 = target.sample(n, createRng(1));
  const { x } = await run(kernel, target, x0, { steps: 100, rng: createRng(2) });
  const { covariance } = sampleMoments(await x.data(), 2);
  tf.dispose([x0, x]);
  return covariance;
}

test('BAOAB keeps a Gaussian’s x-covariance at a large step; ULD at the same step does not', async () => {
  const n = 4000;
  // Variance along the stiff direction u = (1, −1)/√2: 0.2 under π; its standard error 0.2·sqrt(2/n) = 0.0045.
  const along = (c: number[][]) => (c[0]![0]! + c[1]![1]! - 2 * c[0]![1]!) / 2;
  const se = along(sigma) * Math.sqrt(2 / n);
  const exact = await covarianceAfter(baoab({ stepSize: 0.5, friction: 2 }), n);
  expect(Math.abs(along(exact) - along(sigma))).toBeLessThan(5 * se);
  for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 2; k++) {
      const entrySe = Math.sqrt((sigma[j]![k]! ** 2 + sigma[j]![j]! * sigma[k]![k]!) / n);
      expect(Math.abs(exact[j]![k]! - sigma[j]![k]!)).toBeLessThan(5 * entrySe);
    }
  }
  const biased = await covarianceAfter(uld({ stepSize: 0.5, friction: 2 }), n);
  expect(Math.abs(along(biased) - along(sigma))).toBeGreaterThan(5 * se);
});
