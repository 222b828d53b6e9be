import { createRng, tf } from '@rtk-diffusion/tensor';
import { isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { hmc } from './hmc.js';
import { malaLogRatio } from './mala.js';
import { logAcceptance } from './metropolis.js';
import { disposeInfo } from './tensors.js';
import type { Target } from './types.js';

const mixture = isotropicMixtureTarget({
  weights: [0.4, 0.6],
  means: [
    [-1, 0],
    [1, 1],
  ],
  variance: 0.5,
});

describe('hmc', () => {
  test('one leapfrog step of size ε is MALA with τ = ε²/2: same proposal law, same acceptance', () => {
    const epsilon = 0.6;
    const x = mixture.sample(50, createRng(1));
    const kernel = hmc({ stepSize: epsilon, leapfrogSteps: 1 });
    const { state } = kernel.init(x, mixture, createRng(0));
    const rng = createRng(4);
    const { info } = kernel.step(state, mixture, rng);
    const gap = tf.tidy(() => {
      // x′ = x + (ε²/2) ∇log π(x) + ε p0: the Langevin proposal with τ = ε²/2 and ξ = p0.
      const p0 = rng.fork('momentum').normal([50, 2]);
      const proposal = tf.add(
        tf.add(state.x, tf.mul(state.grad, epsilon ** 2 / 2)),
        tf.mul(p0, epsilon),
      ) as tf.Tensor2D;
      const to = { x: proposal, grad: mixture.grad(proposal), logDensity: mixture.logDensity(proposal) };
      const alpha = tf.exp(logAcceptance(malaLogRatio(state, to, tf.scalar(epsilon ** 2 / 2))));
      return tf.max(tf.abs(tf.sub(alpha, info.acceptance))).dataSync()[0]!;
    });
    expect(gap).toBeLessThan(1e-4);
    expect(info.meanAcceptance).toBeLessThan(0.99); // not vacuous
    kernel.disposeState(state);
    disposeInfo(info);
    x.dispose();
  });

  test('validation: leapfrog steps, step size, logDensity', () => {
    expect(() => hmc({ stepSize: 0.1, leapfrogSteps: 0 })).toThrow(/leapfrogSteps/);
    expect(() => hmc({ stepSize: 0.1, leapfrogSteps: 1.5 })).toThrow(/leapfrogSteps/);
    expect(() => hmc({ stepSize: 0, leapfrogSteps: 3 })).toThrow(/stepSize/);
    const gradOnly: Target = { grad: (x) => tf.neg(x) };
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => hmc({ stepSize: 0.1, leapfrogSteps: 3 }).init(x, gradOnly, createRng(0))).toThrow(
      /logDensity/,
    );
    x.dispose();
  });
});
