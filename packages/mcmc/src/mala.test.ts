import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { gaussianTarget, isotropicMixtureTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { mala } from './mala.js';
import { disposeInfo } from './tensors.js';
import type { Target } from './types.js';

const mixture = isotropicMixtureTarget({
  weights: [0.3, 0.7],
  means: [
    [-1, 0],
    [1.5, 0.5],
  ],
  variance: 0.3,
});

describe('mala', () => {
  test('a step accepts or rejects each row with the MH ratio of the Langevin proposal', () => {
    const x = tf.tensor2d([
      [0, 0],
      [1, 1],
      [-2, 0.5],
      [0.3, -0.4],
    ]);
    const tau = 0.4;
    const kernel = mala({ stepSize: tau });
    const { state, evaluations } = kernel.init(x, mixture, createRng(0));
    expect(evaluations).toEqual({ grad: 1, logDensity: 1 });
    const rng = createRng(11);
    const { state: next, info } = kernel.step(state, mixture, rng);
    expect(info.evaluations).toEqual({ grad: 1, logDensity: 1 });
    // Reference in float64 from the same draws.
    const xi = rng.fork('proposal').normalArray(4, 2);
    const u = rng.fork('accept').uniformArray(4, 1);
    const x0 = x.arraySync();
    const g0 = mixture.grad(x).arraySync();
    const l0 = mixture.logDensity(x).arraySync();
    const proposal = x0.map((row, i) =>
      row.map((v, j) => v + tau * g0[i]![j]! + Math.sqrt(2 * tau) * xi[i * 2 + j]!),
    );
    const p = tf.tensor2d(proposal);
    const g1 = mixture.grad(p).arraySync();
    const l1 = mixture.logDensity(p).arraySync();
    const logQ = (to: number[], from: number[], g: number[]) =>
      -to.reduce((s, t, j) => s + (t - from[j]! - tau * g[j]!) ** 2, 0) / (4 * tau);
    const acceptance = info.acceptance.arraySync();
    const accepted = info.accepted.arraySync();
    const xNext = next.x.arraySync();
    for (let i = 0; i < 4; i++) {
      const logRatio =
        l1[i]! - l0[i]! + logQ(x0[i]!, proposal[i]!, g1[i]!) - logQ(proposal[i]!, x0[i]!, g0[i]!);
      const alpha = Math.min(1, Math.exp(logRatio));
      expect(acceptance[i]).toBeCloseTo(alpha, 4);
      const accept = Math.log(u[i]!) < Math.min(0, logRatio);
      expect(accepted[i]).toBe(accept ? 1 : 0);
      for (let j = 0; j < 2; j++) expect(xNext[i]![j]).toBeCloseTo(accept ? proposal[i]![j]! : x0[i]![j]!, 5);
    }
    expect(info.meanAcceptance).toBeCloseTo(acceptance.reduce((s, a) => s + a, 0) / 4, 5);
    tf.dispose([x, p]);
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
  });

  test('a NaN in the ratio is a rejection, and the chain keeps its finite position', () => {
    // log π = NaN away from the origin's neighbourhood: every proposal of a large step is rejected.
    const nanAway: Target = {
      grad: (x) => tf.neg(x),
      logDensity: (x) =>
        tf.tidy(() => {
          const r2 = tf.sum(tf.square(x), 1);
          return tf.where(
            tf.less(r2, 1e-6),
            tf.mul(r2, -0.5),
            tf.fill([x.shape[0]], Number.NaN),
          ) as tf.Tensor1D;
        }),
    };
    const x = tf.zeros([6, 3]) as tf.Tensor2D;
    const kernel = mala({ stepSize: 1 });
    const { state } = kernel.init(x, nanAway, createRng(0));
    const { state: next, info } = kernel.step(state, nanAway, createRng(1));
    expect(info.acceptance.arraySync()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(info.accepted.arraySync()).toEqual([0, 0, 0, 0, 0, 0]);
    expect(info.divergences).toBe(0);
    expect(next.x.arraySync().flat()).toEqual(new Array(18).fill(0));
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
    x.dispose();
  });

  test('without target.logDensity: a clear error that points to malaScoreOnly', () => {
    const gradOnly: Target = { grad: (x) => tf.neg(x) };
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    try {
      mala({ stepSize: 0.1 }).init(x, gradOnly, createRng(0));
      expect.unreachable();
    } catch (error) {
      expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
      expect((error as Error).message).toMatch(/logDensity/);
      expect((error as Error).message).toMatch(/malaScoreOnly/);
    }
    x.dispose();
  });

  test('validation: step size and the target dimension', () => {
    expect(() => mala({ stepSize: 0 })).toThrow(/stepSize must be a positive finite number/);
    expect(() => mala({ stepSize: -0.1 })).toThrow(/positive/);
    const target = gaussianTarget({
      mean: [0, 0, 0],
      covariance: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    });
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => mala({ stepSize: 0.1 }).init(x, target, createRng(0))).toThrow(/3 columns/);
    x.dispose();
  });

  test('no tensor leak over 100 steps', async () => {
    const x = mixture.sample(8, createRng(2));
    await expectNoTensorLeak(() => {
      const kernel = mala({ stepSize: 0.2 });
      let { state } = kernel.init(x, mixture, createRng(0));
      for (let k = 0; k < 100; k++) {
        const next = kernel.step(state, mixture, createRng(0).fork(k));
        kernel.disposeState(state);
        disposeInfo(next.info);
        state = next.state;
      }
      kernel.disposeState(state);
    });
    x.dispose();
  });
});
