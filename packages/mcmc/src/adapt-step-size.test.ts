import { fc, test } from '@fast-check/vitest';
import { createRng, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { gaussianTarget } from '@rtk-diffusion/test-utils';
import { describe, expect } from 'vitest';
import { adaptedStepSize, adaptStepSize, tuneStepSize } from './adapt-step-size.js';
import { DUAL_AVERAGING_DEFAULTS, dualAveragingInit, dualAveragingUpdate } from './dual-averaging.js';
import { mala } from './mala.js';
import { run } from './run.js';
import type { StepSize, Target } from './types.js';
import { ula } from './ula.js';

/** N(0, I_10): MALA's acceptance at step τ depends on τ only, decreasing from 1 to 0. */
const gaussian10 = gaussianTarget({
  mean: new Array(10).fill(0),
  covariance: Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 1 : 0))),
});

describe('dual averaging', () => {
  // μ = log(10 ε0) lets the first iteration overshoot upward; from m = 2 on, constant acceptance 0 gives
  // log ε_m − log ε0 = log 10 − (√m/γ) m δ/(m + t0) < 0.
  test.prop([fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.integer({ min: 2, max: 50 })], { seed: 4 })(
    'acceptance always above the target grows the step size; always below shrinks it',
    (initial, iterations) => {
      let up = dualAveragingInit(initial, 1);
      let down = dualAveragingInit(initial, 1);
      for (let m = 0; m < iterations; m++) {
        up = dualAveragingUpdate(up, [1], DUAL_AVERAGING_DEFAULTS);
        down = dualAveragingUpdate(down, [0], DUAL_AVERAGING_DEFAULTS);
      }
      expect(up.logStepSize[0]!).toBeGreaterThan(down.logStepSize[0]!);
      expect(Math.exp(down.logStepSize[0]!)).toBeLessThan(initial);
      expect(up.iteration).toBe(iterations);
    },
  );

  test('a NaN acceptance counts as 0', () => {
    const a = dualAveragingUpdate(dualAveragingInit(0.1, 2), [Number.NaN, 0], DUAL_AVERAGING_DEFAULTS);
    expect(a.logStepSize[0]).toBe(a.logStepSize[1]);
  });
});

describe('adaptStepSize', () => {
  test('MALA on N(0, I₁₀) reaches the target acceptance 0.574 after a shared warm-up; evaluations counted', async () => {
    const x0 = gaussian10.sample(500, createRng(1));
    const warmupSteps = 150;
    const kernel = adaptStepSize((stepSize) => mala({ stepSize }), { initialStepSize: 0.01, warmupSteps });
    expect(kernel.evaluationsPerStep).toEqual({ grad: 1, logDensity: 1 });
    const stepSizes: StepSize[] = [];
    const after = new Float64Array(500); // per chain: mean acceptance over the 50 steps after the warm-up
    const result = await run(kernel, gaussian10, x0, {
      steps: warmupSteps + 50,
      rng: createRng(2),
      onStep: ({ step, info }) => {
        expect(info.warmup).toBe(step < warmupSteps);
        stepSizes.push(info.stepSize);
        if (info.warmup) return;
        info.acceptance.dataSync().forEach((a, i) => {
          after[i]! += a / 50;
        });
      },
    });
    // Every step is counted, warm-up included: init + 200 steps of one gradient and one log-density.
    expect(result.evaluations).toEqual({ grad: 201, logDensity: 201 });
    // After the warm-up the step size is frozen at ε̄.
    expect(new Set(stepSizes.slice(warmupSteps)).size).toBe(1);
    expect(stepSizes[warmupSteps]).not.toBe(0.01);
    // Tolerance = measurement + adaptation. Measurement: the 500 chains are independent, so the standard error of
    // the mean acceptance is the spread of their 50-step means over sqrt(500) (about 0.002); 5 of them.
    // Adaptation: ε̄ after 150 iterations is not exactly the τ* = 0.647 where α = 0.574. Dual averaging's recursion
    // fed with MALA's exact acceptance curve on N(0, I₁₀) (test-support/dual-averaging-model.py) ends at
    // α(ε̄) = 0.578 without noise, and the noise of a 500-chain mean moves it by a spread of 0.0018: allow
    // 0.004 + 5 · 0.0018 ≈ 0.015.
    const mean = after.reduce((sum, a) => sum + a, 0) / after.length;
    const spread = Math.sqrt(after.reduce((sum, a) => sum + (a - mean) ** 2, 0) / (after.length - 1));
    expect(Math.abs(mean - 0.574)).toBeLessThan((5 * spread) / Math.sqrt(after.length) + 0.015);
    tf.dispose([x0, result.x]);
  });

  test('per chain: chains facing different curvatures get step sizes in the ratio of their variances', async () => {
    // Rows 0–49 see N(0, I), rows 50–99 see N(0, I/25): the optimal step scales with the variance (ratio 25).
    const n = 100;
    const scale = tf.tensor2d(Array.from({ length: n }, (_, i) => [i < 50 ? 1 : 25]));
    const rowwise: Target = {
      grad: (x) => tf.neg(tf.mul(x, scale)),
      logDensity: (x) => tf.mul(tf.sum(tf.mul(tf.square(x), scale), 1), -0.5),
    };
    const x0 = tf.tidy(() => tf.div(createRng(1).normal([n, 10]), tf.sqrt(scale))) as Tensor2D;
    const tuned = await tuneStepSize((stepSize) => mala({ stepSize }), rowwise, x0, {
      initialStepSize: 0.05,
      warmupSteps: 200,
      perChain: true,
      rng: createRng(3),
    });
    const sizes = tuned.stepSize as number[];
    expect(sizes).toHaveLength(n);
    // MALA's acceptance on N(0, s² I) at step τ depends on τ/s² only, so the ideal ratio is exactly 25. Tolerance
    // on log(ratio/25) = sampling + transient. Sampling: each median of 50 independent lanes has a standard error
    // of 1.2533 · (spread of the lanes' log ε̄)/sqrt(50); the log-ratio's is the two in quadrature; 5 of them
    // (about 0.08). Transient: both groups start at ε0 = 0.05, which is 13× below τ* for the first and 2× above
    // for the second, so their warm-ups differ; dual averaging's recursion with the exact acceptance curve and one
    // chain a lane (test-support/dual-averaging-model.py) gives a mean log-ratio of −0.015: allow 0.02.
    const logs = [sizes.slice(0, 50), sizes.slice(50)].map((group) => group.map(Math.log));
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const medianSe = (values: number[]) => {
      const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
      const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
      return (1.2533 * Math.sqrt(variance)) / Math.sqrt(values.length);
    };
    const logRatio = median(logs[0]!) - median(logs[1]!);
    const se = Math.hypot(medianSe(logs[0]!), medianSe(logs[1]!));
    expect(Math.abs(logRatio - Math.log(25))).toBeLessThan(5 * se + 0.02);
    expect(tuned.evaluations).toEqual({ grad: 201, logDensity: 201 });
    tf.dispose([scale, x0, tuned.x]);
  });

  test('needs a kernel that reports acceptance; validates its options; leaks nothing', async () => {
    const x0 = gaussian10.sample(4, createRng(1));
    const adaptedUla = adaptStepSize((stepSize) => ula({ stepSize }), {
      initialStepSize: 0.1,
      warmupSteps: 5,
    });
    await expect(run(adaptedUla, gaussian10, x0, { steps: 2, rng: createRng(0) })).rejects.toThrow(
      /reports no acceptance/,
    );
    const make = (stepSize: StepSize) => mala({ stepSize });
    expect(() => adaptStepSize(make, { initialStepSize: 0, warmupSteps: 5 })).toThrow(/initialStepSize/);
    expect(() => adaptStepSize(make, { initialStepSize: 0.1, warmupSteps: -1 })).toThrow(/warmupSteps/);
    expect(() =>
      adaptStepSize(make, { initialStepSize: 0.1, warmupSteps: 5, targetAcceptance: 1.2 }),
    ).toThrow(/targetAcceptance/);
    await expectNoTensorLeak(async () => {
      const kernel = adaptStepSize(make, { initialStepSize: 0.1, warmupSteps: 50, perChain: true });
      const { state } = kernel.init(x0, gaussian10, createRng(0));
      const initial = adaptedStepSize(state) as number[];
      expect(initial).toHaveLength(4);
      for (const value of initial) expect(value).toBeCloseTo(0.1, 12);
      kernel.disposeState(state);
      const result = await run(kernel, gaussian10, x0, { steps: 100, rng: createRng(0) });
      result.x.dispose();
    });
    x0.dispose();
  });
});
