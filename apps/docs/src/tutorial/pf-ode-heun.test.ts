/**
 * The tutorial's test for its new sampler: the shared contract (determinism, exact NFE, no leaks) and the property
 * that makes Heun worth two evaluations a step: second-order convergence to the exact flow on a Gaussian target.
 */
import { customGrid, type Grid } from '@rtk-diffusion/schedules';
import { gaussianModel } from '@rtk-diffusion/scores';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, test } from 'vitest';
import { pfOdeHeun } from './pf-ode-heun.js';

const mean = [1.5, -1];
const variance = [0.25, 2];
const model = gaussianModel({ mean, covariance: variance });

/** Levels uniform in OU time t ∈ [0.01, 4], noisiest first. */
function ouGrid(steps: number): Grid {
  return customGrid(Array.from({ length: steps + 1 }, (_, i) => Math.exp(-2 * (4 - (3.99 * i) / steps))));
}

/** RMS distance to the exact flow x' = √a' μ + √(c(a')/c(a)) (x − √a μ), c(a) = a v + 1 − a, same initial noise. */
async function flowError(steps: number): Promise<number> {
  const grid = ouGrid(steps);
  const [a, aEnd] = [grid.levels[0]!, grid.levels.at(-1)!];
  const initial = createRng(1).normal([200, 2]);
  const result = await pfOdeHeun.sample({ model, n: 200, grid, rng: createRng(2), initial });
  const [x, got] = [await initial.data(), await result.x.data()];
  tf.dispose([initial, result.x]);
  let sum = 0;
  for (let i = 0; i < got.length; i++) {
    const [m, v] = [mean[i % 2]!, variance[i % 2]!];
    const exact =
      Math.sqrt(aEnd) * m + Math.sqrt((aEnd * v + 1 - aEnd) / (a * v + 1 - a)) * (x[i]! - Math.sqrt(a) * m);
    sum += (got[i]! - exact) ** 2;
  }
  return Math.sqrt(sum / got.length);
}

describe('pf-ode-heun', () => {
  test('same seed ⇒ same samples, NFE as declared, no leaked tensors', async () => {
    await expectNoTensorLeak(async () => {
      const first = await pfOdeHeun.sample({ model, n: 16, nfe: 40, rng: createRng(3) });
      const second = await pfOdeHeun.sample({ model, n: 16, nfe: 40, rng: createRng(3) });
      expect([...(await first.x.data())]).toEqual([...(await second.x.data())]);
      expect(first.nfe).toBe(40); // 20 steps × 2 evaluations
      tf.dispose([first.x, second.x]);
    });
  });

  test('converges with order 2 against the exact Gaussian flow', async () => {
    // Order from the last doubling, log2(e(32) / e(64)); the band is the theoretical 2 ± 0.4 (as for accel-det and
    // dpmpp-2m in the package's own tests). Errors are float32 results against float64: e(64) is far above rounding.
    const errors = [await flowError(16), await flowError(32), await flowError(64)];
    expect(errors[1]!).toBeLessThan(errors[0]!);
    const order = Math.log2(errors[1]! / errors[2]!);
    expect(order).toBeGreaterThan(1.6);
    expect(order).toBeLessThan(2.4);
  });
});
