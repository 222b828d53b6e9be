/**
 * One contract for every registered sampler, on the cpu and wasm backends: same seed ⇒ same samples; a batch split
 * into parts gives the same rows bit for bit; NFE exactly as the cost model declares and within budget; the step
 * event stream is complete and right; cancellation between steps; every grid form accepted and a malformed grid
 * refused; NaN/Inf reported with the step and levels; no leaked tensors; reasonable accuracy on a Gaussian target;
 * every budget from 10 to 1000 on an exact mixture. Registering a sampler enrols it.
 */
import { customGrid } from '@rtk-diffusion/schedules';
import { gaussianModel, mixtureModel, type ScoreModel } from '@rtk-diffusion/scores';
import { createRng, initBackend, isRtkError, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { sampleMoments } from '@rtk-diffusion/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLER_NAMES, SAMPLERS } from './registry.js';
import type { Sampler } from './sampler.js';
import type { GridChoice, SampleResult, StepEvent } from './types.js';

const model = gaussianModel({ mean: [1, -0.5], covariance: [0.3, 1.5] });
const NFE = 60;

/** The rejection reason of a run that must fail (a run that succeeds fails the test). */
async function failure(run: Promise<SampleResult>): Promise<unknown> {
  const outcome = await run.then(
    (result) => result,
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) {
    outcome.x.dispose();
    throw new Error('expected the run to fail, but it succeeded');
  }
  return outcome.error;
}

/** The Gaussian model with NaN scores at every level a ≥ `threshold`. */
function nanAbove(threshold: number): ScoreModel {
  return {
    dim: model.dim,
    score: (x, a) =>
      a >= threshold ? (tf.tidy(() => tf.mul(model.score(x, a), Number.NaN)) as Tensor2D) : model.score(x, a),
    logDensity: (x, a) => model.logDensity(x, a),
    curvatureBound: (a) => model.curvatureBound(a),
  };
}

describe.each(['wasm', 'cpu'] as const)('on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  describe.each(SAMPLER_NAMES)('%s', (name) => {
    const sampler = SAMPLERS[name] as unknown as Sampler;

    test('same seed ⇒ same samples; a split batch gives the same rows, bit for bit', async () => {
      const whole = await sampler.sample({ model, n: 24, nfe: NFE, rng: createRng(5) });
      const again = await sampler.sample({ model, n: 24, nfe: NFE, rng: createRng(5) });
      const head = await sampler.sample({ model, n: 10, nfe: NFE, rng: createRng(5) });
      const tail = await sampler.sample({ model, n: 14, nfe: NFE, rng: createRng(5), rowOffset: 10 });
      const wholeData = await whole.x.data();
      expect(await again.x.data()).toEqual(wholeData);
      // Rows are computed independently (row-keyed noise, row-wise kernels), so the parts are the same floats.
      const parts = Float32Array.from([...(await head.x.data()), ...(await tail.x.data())]);
      expect(parts).toEqual(wholeData);
      tf.dispose([whole.x, again.x, head.x, tail.x]);
    });

    test('uses exactly the declared NFE, within budget; every step event is right', async () => {
      const events: Omit<StepEvent, 'x'>[] = [];
      let lastX: Float32Array | undefined;
      const result = await sampler.sample({
        model,
        n: 8,
        nfe: NFE,
        rng: createRng(1),
        onStep: ({ x, ...event }) => {
          expect(x.shape).toEqual([8, model.dim]);
          lastX = x.dataSync() as Float32Array;
          events.push(event);
        },
      });
      const { levels, nfeAfterStep } = result.trace;
      const steps = levels.length - 1;
      expect(result.nfe).toBeLessThanOrEqual(NFE);
      expect(result.nfe).toBe(sampler.cost({ model, nfe: NFE }).nfeForSteps(steps));
      expect(events).toHaveLength(steps);
      events.forEach((event, k) => {
        expect(event).toMatchObject({
          step: k,
          steps,
          a: levels[k],
          aNext: levels[k + 1],
          nfe: nfeAfterStep[k],
        });
        expect(event.aNext).toBeGreaterThan(event.a);
        if (k > 0) expect(event.nfe).toBeGreaterThan(events[k - 1]!.nfe);
      });
      expect(events.at(-1)?.nfe).toBe(result.nfe);
      expect(lastX).toEqual(await result.x.data());
      result.x.dispose();
    });

    test('leaks no tensors over a full run', async () => {
      await expectNoTensorLeak(async () => {
        const result = await sampler.sample({ model, n: 8, nfe: NFE, rng: createRng(2) });
        result.x.dispose();
      });
    });

    test('an abort between steps stops the run with E_ABORTED and leaks nothing', async () => {
      const controller = new AbortController();
      const seen: number[] = [];
      await expectNoTensorLeak(async () => {
        const error = await failure(
          sampler.sample({
            model,
            n: 8,
            nfe: NFE,
            rng: createRng(3),
            signal: controller.signal,
            onStep: ({ step }) => {
              seen.push(step);
              if (step === 1) controller.abort();
            },
          }),
        );
        expect(isRtkError(error, 'E_ABORTED')).toBe(true);
      });
      expect(seen).toEqual([0, 1]);
    });

    test('accepts every grid form: levels, a Grid, a schedule name, { schedule, options }', async () => {
      const levels = [3e-4, 0.05, 0.4, 0.8, 1];
      const forms: [GridChoice, readonly number[] | undefined][] = [
        [levels, levels],
        [customGrid(levels), levels],
        ['ouUniform', undefined],
        [{ schedule: 'ouUniform', options: { horizon: 3.5, delta: 0.01 } }, undefined],
      ];
      for (const [grid, expected] of forms) {
        const result = await sampler.sample({ model, n: 4, nfe: NFE, grid, rng: createRng(4) });
        if (expected === undefined) {
          expect(result.trace.levels[0]).toBeCloseTo(grid === 'ouUniform' ? Math.exp(-10) : Math.exp(-7), 12);
        } else {
          expect(result.trace.levels).toEqual(expected);
        }
        expect(result.nfe).toBeLessThanOrEqual(NFE);
        result.x.dispose();
      }
    });

    test('refuses a malformed hand-built grid with E_VALIDATION before any work', async () => {
      const bad = [
        { levels: [1e-4, 0.9, 0.5, 1], alphas: [1e-4 / 0.9, 1.8, 0.5], name: 'mine' }, // not increasing
        { levels: [1e-4, 0.5, 1], alphas: [2e-4, 0.6], name: 'mine' }, // alphas not the level ratios
      ];
      for (const grid of bad) {
        const error = await failure(sampler.sample({ model, n: 4, nfe: NFE, grid, rng: createRng(1) }));
        expect(isRtkError(error, 'E_VALIDATION')).toBe(true);
        expect((error as Error).message).toMatch(new RegExp(`^${name}: invalid grid`));
      }
    });

    test('NaN scores stop the run with E_NUMERIC naming the step and both levels; nothing leaks', async () => {
      const threshold = 0.5;
      const events: StepEvent[] = [];
      let error: unknown;
      await expectNoTensorLeak(async () => {
        error = await failure(
          sampler.sample({
            model: nanAbove(threshold),
            n: 8,
            nfe: NFE,
            rng: createRng(1),
            onStep: (event) => void events.push(event),
          }),
        );
      });
      expect(isRtkError(error, 'E_NUMERIC')).toBe(true);
      const { step, a, aNext } = (error as { details: { step: number; a: number; aNext: number } }).details;
      // The failing step is the one after the last completed one, and the first whose levels reach a ≥ threshold.
      expect(step).toBe(events.length);
      if (step > 0) expect(a).toBe(events.at(-1)!.aNext);
      expect(aNext).toBeGreaterThanOrEqual(threshold);
      for (const event of events) expect(event.a).toBeLessThan(threshold);
      expect((error as Error).message).toContain(`step ${step}`);
      expect((error as Error).message).toContain(`${a} → ${aNext}`);
    });
  });
});

describe.each(SAMPLER_NAMES)('%s on a Gaussian target at NFE 200', (name) => {
  test('mean and variance are close to the truth', async () => {
    const sampler = SAMPLERS[name] as unknown as Sampler;
    const n = 2000;
    const result = await sampler.sample({ model, n, nfe: 200, rng: createRng(9) });
    const { mean, covariance } = sampleMoments(await result.x.data(), 2);
    result.x.dispose();
    // Sampling error: sd(mean) = σ/√n ≤ 0.028, sd(var)/σ² = √(2/n) = 0.032; we allow 5 sd of sampling error plus a
    // discretisation bias of 0.05 (standardised) at 200 evaluations, and the level a_0 < 1 of early stopping.
    [1, -0.5].forEach((mu, j) => {
      const v = [0.3, 1.5][j]!;
      expect(Math.abs(mean[j]! - mu) / Math.sqrt(v)).toBeLessThan(5 / Math.sqrt(n) + 0.05);
      expect(Math.abs(covariance[j]![j]! / v - 1)).toBeLessThan(5 * Math.sqrt(2 / n) + 0.05);
    });
  });
});

describe('every sampler on an exact mixture model at NFE 10 … 1000', () => {
  const mixture = mixtureModel({
    weights: [0.2, 0.3, 0.5],
    means: [
      [-2, 0],
      [2, 1],
      [0, -2],
    ],
    covariances: [
      0.1,
      [0.2, 0.05],
      [
        [0.3, 0.1],
        [0.1, 0.2],
      ],
    ],
  });
  test.each(SAMPLER_NAMES.flatMap((name) => [10, 100, 1000].map((nfe) => [name, nfe] as const)))(
    '%s at NFE %d runs, within budget, with the NFE its cost model states',
    async (name, nfe) => {
      const sampler = SAMPLERS[name] as unknown as Sampler;
      expect(sampler.cost({}).minNfe).toBeLessThanOrEqual(10);
      const result = await sampler.sample({ model: mixture, n: 16, nfe, rng: createRng(4) });
      expect(result.nfe).toBeLessThanOrEqual(nfe);
      expect(result.nfe).toBe(
        sampler.cost({ model: mixture, nfe }).nfeForSteps(result.trace.levels.length - 1),
      );
      const finite = tf.tidy(() => tf.all(tf.isFinite(result.x)).dataSync()[0]);
      expect(finite).toBe(1);
      result.x.dispose();
    },
  );
});
