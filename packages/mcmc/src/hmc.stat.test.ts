/**
 * HMC leaves the target invariant: chains started at exact samples of a 2-D unequal-weight mixture stay distributed
 * as it (test-support/stationarity.ts: KS on 4 projections, level 1e−3). Negative control: the same kernel with its
 * Metropolis step disabled (every trajectory accepted) fails the same test. At ε = 0.8 on components of precision 2,
 * leapfrog's energy error is large (its shadow Hamiltonian inflates each component's variance by about
 * 1/(1 − ε²λ/4) ≈ 1.5), so only the accept/reject step keeps the law.
 */
import { createRng, type Rng, tf } from '@rtk-diffusion/tensor';
import { isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { expect, test } from 'vitest';
import { type HmcInfo, type HmcState, hmc } from './hmc.js';
import { stationarityRatio } from './test-support/stationarity.js';
import type { Kernel } from './types.js';

const target = isotropicMixtureTarget({
  weights: [0.25, 0.75],
  means: [
    [-1.5, 0],
    [1, 1],
  ],
  variance: 0.5,
});

/** The kernel with every proposal accepted: its 'accept' uniforms are all 0 (log 0 = −∞ < any log ratio). */
function withoutMetropolis(kernel: Kernel<HmcState, HmcInfo>): Kernel<HmcState, HmcInfo> {
  return {
    ...kernel,
    name: `${kernel.name}-always-accept`,
    step: (state, on, rng) => {
      const zeros = { uniform: (shape: readonly [number]) => tf.zeros(shape as [number]) };
      const forced = { fork: (label: string | number) => (label === 'accept' ? zeros : rng.fork(label)) };
      return kernel.step(state, on, forced as unknown as Rng);
    },
  };
}

test('HMC started at a mixture stays at it; without its Metropolis step it does not', async () => {
  const options = { n: 3000, steps: 15, rng: createRng(8) };
  const exact = hmc({ stepSize: 0.8, leapfrogSteps: 4 });
  expect(await stationarityRatio(exact, target, options)).toBeLessThan(1);
  expect(await stationarityRatio(withoutMetropolis(exact), target, options)).toBeGreaterThan(1);
});
