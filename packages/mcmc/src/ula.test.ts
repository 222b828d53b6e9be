import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { disposeInfo } from './tensors.js';
import { ula } from './ula.js';

const target = gaussianTarget({
  mean: [1, -1],
  covariance: [
    [1, 0.5],
    [0.5, 2],
  ],
});

describe('ula', () => {
  test('one step is x + τ ∇log π(x) + sqrt(2τ) ξ with ξ from rng.fork("proposal")', async () => {
    const x = tf.tensor2d([
      [0, 0],
      [1, 2],
      [-3, 0.5],
    ]);
    const tau = 0.1;
    const kernel = ula({ stepSize: tau });
    const { state, evaluations } = kernel.init(x, target, createRng(1));
    expect(evaluations).toEqual({ grad: 1, logDensity: 0 });
    const rng = createRng(7);
    const { state: next, info } = kernel.step(state, target, rng);
    expect(info.evaluations).toEqual({ grad: 1, logDensity: 0 });
    expect(info.divergences).toBe(0);
    expect(rng.draws).toBe(0); // the caller's stream is not advanced
    const xi = rng.fork('proposal').normal([3, 2]);
    const g = target.grad(x);
    const expected = tf.add(tf.add(x, tf.mul(g, tau)), tf.mul(xi, Math.sqrt(2 * tau)));
    const gap = tf.max(tf.abs(tf.sub(next.x, expected))).dataSync()[0]!;
    expect(gap).toBeLessThan(1e-6);
    const gradGap = tf.max(tf.abs(tf.sub(next.grad, target.grad(next.x)))).dataSync()[0]!;
    expect(gradGap).toBeLessThan(1e-6);
    tf.dispose([x, xi, g, expected]);
    kernel.disposeState(state);
    kernel.disposeState(next);
    disposeInfo(info);
  });

  test('per-chain step sizes act row by row', () => {
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    const shared = ula({ stepSize: 0.3 });
    const perChain = ula({ stepSize: [0.1, 0.3] });
    const rng = createRng(3);
    const a = shared.init(x, target, rng).state;
    const b = perChain.init(x, target, rng).state;
    const stepA = shared.step(a, target, rng);
    const stepB = perChain.step(b, target, rng);
    const [rowA, rowB] = [stepA.state.x.arraySync(), stepB.state.x.arraySync()];
    expect(rowB[1]).toEqual(rowA[1]);
    expect(rowB[0]).not.toEqual(rowA[0]);
    for (const s of [a, b, stepA.state, stepB.state]) shared.disposeState(s);
    x.dispose();
  });

  test('validation: step size, shapes', () => {
    for (const stepSize of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, [0.1, 0], []]) {
      expect(() => ula({ stepSize })).toThrow(/stepSize/);
    }
    const kernel = ula({ stepSize: 0.1 });
    const wrong = tf.zeros([4, 3]) as tf.Tensor2D;
    try {
      kernel.init(wrong, target, createRng(0));
      expect.unreachable();
    } catch (error) {
      expect(isRtkError(error, 'E_SHAPE')).toBe(true);
      expect((error as Error).message).toMatch(/2 columns/);
    }
    wrong.dispose();
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const { state } = ula({ stepSize: [0.1, 0.2] }).init(x, target, createRng(0));
    expect(() => ula({ stepSize: [0.1, 0.2] }).step(state, target, createRng(0))).toThrow(
      /per-chain step sizes/,
    );
    kernel.disposeState(state);
    x.dispose();
  });

  test('no tensor leak over init, steps and disposal', async () => {
    const x = tf.zeros([5, 2]) as tf.Tensor2D;
    await expectNoTensorLeak(() => {
      const kernel = ula({ stepSize: 0.1 });
      let { state } = kernel.init(x, target, createRng(0));
      for (let k = 0; k < 100; k++) {
        const next = kernel.step(state, target, createRng(0).fork(k));
        kernel.disposeState(state);
        disposeInfo(next.info);
        state = next.state;
      }
      kernel.disposeState(state);
    });
    x.dispose();
  });
});
