import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect, test } from 'vitest';
import { countNfe } from './evaluations.js';
import { mala } from './mala.js';
import { run } from './run.js';
import type { Target } from './types.js';
import { ula } from './ula.js';

const target = gaussianTarget({
  mean: [0, 1],
  covariance: [
    [1, 0.2],
    [0.2, 0.5],
  ],
});

function counting(inner: Target): { target: Target; calls: { grad: number; logDensity: number } } {
  const calls = { grad: 0, logDensity: 0 };
  return {
    calls,
    target: {
      grad: (x) => {
        calls.grad++;
        return inner.grad(x);
      },
      logDensity: (x) => {
        calls.logDensity++;
        return inner.logDensity!(x);
      },
    },
  };
}

describe('run', () => {
  test('counts every evaluation (init included), averages acceptance, calls onStep after each step', async () => {
    const { target: counted, calls } = counting(target);
    const x0 = target.sample(10, createRng(1));
    const seen: number[] = [];
    let acceptanceSum = 0;
    const perChain = new Float32Array(10);
    const result = await run(mala({ stepSize: 0.5 }), counted, x0, {
      steps: 7,
      rng: createRng(2),
      onStep: async ({ step, steps, info, evaluations, state }) => {
        seen.push(step);
        expect(steps).toBe(7);
        expect(evaluations).toEqual({ grad: step + 2, logDensity: step + 2 });
        expect(state.x.shape).toEqual([10, 2]);
        acceptanceSum += info.meanAcceptance;
        info.acceptance.dataSync().forEach((a, i) => {
          perChain[i]! += a / 7;
        });
        await Promise.resolve();
      },
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(result.evaluations).toEqual({ grad: 8, logDensity: 8 });
    expect(calls).toEqual({ grad: 8, logDensity: 8 });
    expect(countNfe(result.evaluations)).toBe(16);
    expect(result.acceptance!.mean).toBeCloseTo(acceptanceSum / 7, 6);
    result.acceptance!.perChain.forEach((a, i) => {
      expect(a).toBeCloseTo(perChain[i]!, 5);
    });
    expect(result.divergences).toBe(0);
    expect(x0.isDisposed).toBe(false); // x0 stays the caller's
    tf.dispose([x0, result.x]);
  });

  test('unadjusted kernels report no acceptance; zero steps return the start', async () => {
    const x0 = target.sample(3, createRng(1));
    const none = await run(ula({ stepSize: 0.1 }), target, x0, { steps: 0, rng: createRng(0) });
    expect(none.evaluations).toEqual({ grad: 1, logDensity: 0 });
    expect(none.acceptance).toBeUndefined();
    expect(none.x.arraySync()).toEqual(x0.arraySync());
    const some = await run(ula({ stepSize: 0.1 }), target, x0, { steps: 3, rng: createRng(0) });
    expect(some.acceptance).toBeUndefined();
    tf.dispose([x0, none.x, some.x]);
  });

  test('an AbortSignal stops the run between steps with E_ABORTED, leaking nothing', async () => {
    const x0 = target.sample(4, createRng(1));
    await expectNoTensorLeak(async () => {
      const controller = new AbortController();
      const promise = run(ula({ stepSize: 0.1 }), target, x0, {
        steps: 50,
        rng: createRng(0),
        signal: controller.signal,
        onStep: ({ step }) => {
          if (step === 2) controller.abort(new Error('enough'));
        },
      });
      await expect(promise).rejects.toSatisfy(
        (error) => isRtkError(error, 'E_ABORTED') && /before step 3 of 50/.test((error as Error).message),
      );
    });
    await expectNoTensorLeak(async () => {
      // Without onStep the loop still yields to the event loop, so a timer can abort a long run.
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const promise = run(ula({ stepSize: 0.1 }), target, x0, {
        steps: 1_000_000,
        rng: createRng(0),
        signal: controller.signal,
      });
      await expect(promise).rejects.toSatisfy((error) => isRtkError(error, 'E_ABORTED'));
    });
    x0.dispose();
  });

  test('divergence: E_NUMERIC naming the step, or carried on with onDivergence: "continue"', async () => {
    // ULA with τλ_max far above 2 explodes geometrically until float32 overflows.
    const x0 = tf.ones([3, 2]) as tf.Tensor2D;
    await expectNoTensorLeak(async () => {
      const promise = run(ula({ stepSize: 50 }), target, x0, { steps: 200, rng: createRng(0) });
      await expect(promise).rejects.toSatisfy(
        (error) =>
          isRtkError(error, 'E_NUMERIC') && /non-finite position at step \d+ of 200/.test(String(error)),
      );
    });
    const result = await run(ula({ stepSize: 50 }), target, x0, {
      steps: 200,
      rng: createRng(0),
      onDivergence: 'continue',
    });
    expect(result.divergences).toBe(3);
    tf.dispose([x0, result.x]);
  });

  test('validation: steps and rng', async () => {
    const x0 = tf.zeros([2, 2]) as tf.Tensor2D;
    for (const steps of [-1, 1.5, Number.NaN]) {
      await expect(run(ula({ stepSize: 0.1 }), target, x0, { steps, rng: createRng(0) })).rejects.toThrow(
        /steps/,
      );
    }
    await expect(run(ula({ stepSize: 0.1 }), target, x0, { steps: 1 } as never)).rejects.toThrow(/rng/);
    x0.dispose();
  });
});
