/**
 * Test support (not built, not shipped): the stationarity test shared by the statistical tests of the Metropolis
 * kernels. Chains start at n exact samples of the target, run `steps` steps, and are compared with n fresh exact
 * samples by two-sample KS tests on 4 projections (the two marginals and the two diagonals) at a total level of 1e−3
 * (Bonferroni: 2.5e−4 each). If the kernel leaves the target invariant, the chains are n independent exact samples,
 * so the returned ratio (largest KS statistic over its critical value) exceeds 1 with probability below 1e−3. The
 * critical value is 2.12·sqrt(2/n), so the power grows like sqrt(n): choose n from the smallest departure the test
 * must see (mala.stat.test.ts derives its n from its weakest negative control).
 */
import { type Rng, tf } from '@rtk-diffusion/tensor';
import { type ExactTarget, ksCritical, ksTwoSample } from '@rtk-diffusion/test-utils';
import { run } from '../run.js';
import type { Kernel } from '../types.js';

/** Directions the 2-D samples are projected on. */
export const PROJECTIONS: readonly (readonly [number, number])[] = [
  [1, 0],
  [0, 1],
  [1, 1],
  [1, -1],
];

/** Total level of the test. */
export const STATIONARITY_LEVEL = 1e-3;

/** Largest KS statistic over its critical value, across the projections (> 1 rejects stationarity). */
export async function stationarityRatio(
  kernel: Kernel,
  target: ExactTarget,
  options: { n: number; steps: number; rng: Rng },
): Promise<number> {
  const { n, steps, rng } = options;
  const x0 = target.sample(n, rng.fork('start'));
  const fresh = target.sample(n, rng.fork('fresh'));
  const { x } = await run(kernel, target, x0, { steps, rng: rng.fork('run') });
  const [a, b] = [await x.data(), await fresh.data()];
  tf.dispose([x0, fresh, x]);
  const critical = ksCritical(STATIONARITY_LEVEL / PROJECTIONS.length, n, n);
  const project = (values: ArrayLike<number>, [u, v]: readonly [number, number]) =>
    Float64Array.from({ length: n }, (_, i) => u * values[2 * i]! + v * values[2 * i + 1]!);
  return Math.max(...PROJECTIONS.map((p) => ksTwoSample(project(a, p), project(b, p)) / critical));
}
