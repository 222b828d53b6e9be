/**
 * One contract for every registered sampler, on the cpu and wasm backends: same seed ⇒ same samples; a batch split
 * into parts gives the same rows as one batch; NFE exactly as the cost model declares and within budget; the step
 * event stream is complete; no leaked tensors; reasonable accuracy on a Gaussian target. Registering a sampler enrols it.
 */
import { gaussianModel, mixtureModel } from '@rtk-diffusion/scores';
import { createRng, initBackend, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { sampleMoments } from '@rtk-diffusion/test-utils';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLER_NAMES, SAMPLERS } from './registry.js';
import type { Sampler } from './sampler.js';

const model = gaussianModel({ mean: [1, -0.5], covariance: [0.3, 1.5] });
const NFE = 60;

describe.each(['wasm', 'cpu'] as const)('on the %s backend', (backend) => {
  beforeAll(async () => {
    await initBackend({ prefer: backend });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  describe.each(SAMPLER_NAMES)('%s', (name) => {
    const sampler = SAMPLERS[name] as unknown as Sampler;

    test('same seed ⇒ same samples; a split batch gives the same rows', async () => {
      const whole = await sampler.sample({ model, n: 24, nfe: NFE, rng: createRng(5) });
      const again = await sampler.sample({ model, n: 24, nfe: NFE, rng: createRng(5) });
      const head = await sampler.sample({ model, n: 10, nfe: NFE, rng: createRng(5) });
      const tail = await sampler.sample({ model, n: 14, nfe: NFE, rng: createRng(5), rowOffset: 10 });
      const wholeData = [...(await whole.x.data())];
      expect([...(await again.x.data())]).toEqual(wholeData);
      const parts = [...(await head.x.data()), ...(await tail.x.data())];
      // Rows are computed independently, so the parts agree to float32 rounding of the row-wise kernels.
      parts.forEach((v, i) => {
        expect(Math.abs(v - wholeData[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v)));
      });
      tf.dispose([whole.x, again.x, head.x, tail.x]);
    });

    test('uses exactly the declared NFE, within budget, and reports every step', async () => {
      const events: number[] = [];
      const result = await sampler.sample({
        model,
        n: 8,
        nfe: NFE,
        rng: createRng(1),
        onStep: (event) => events.push(event.nfe),
      });
      const cost = sampler.cost({});
      const steps = result.trace.levels.length - 1;
      expect(result.nfe).toBeLessThanOrEqual(NFE);
      expect(events).toHaveLength(steps);
      expect(events.at(-1)).toBe(result.nfe);
      if (typeof cost.evalsPerStep === 'number') expect(result.nfe).toBe(cost.nfeForSteps(steps));
      result.x.dispose();
    });

    test('leaks no tensors over a full run', async () => {
      await expectNoTensorLeak(async () => {
        const result = await sampler.sample({ model, n: 8, nfe: NFE, rng: createRng(2) });
        result.x.dispose();
      });
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
    '%s at NFE %d runs within budget, or says the budget is below its minimum',
    async (name, nfe) => {
      const sampler = SAMPLERS[name] as unknown as Sampler;
      const minimum = sampler.cost({}).minNfe;
      const outcome = await sampler
        .sample({ model: mixture, n: 16, nfe, rng: createRng(4) })
        .catch((e: unknown) => e);
      if (nfe < minimum) {
        expect(isRtkError(outcome, 'E_BUDGET')).toBe(true);
        return;
      }
      const result = outcome as Awaited<ReturnType<Sampler['sample']>>;
      expect(result.nfe).toBeLessThanOrEqual(nfe);
      const finite = tf.tidy(() => tf.all(tf.isFinite(result.x)).dataSync()[0]);
      expect(finite).toBe(1);
      result.x.dispose();
    },
  );
});
