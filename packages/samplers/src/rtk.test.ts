import { gaussianModel, type ScoreModel } from '@rtk-diffusion/scores';
import { createRng, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { rtkMala } from './rtk-mala.js';
import { rtkMalaScore } from './rtk-mala-score.js';
import { rtkUla } from './rtk-ula.js';
import { rtkUld } from './rtk-uld.js';

const model = gaussianModel({ mean: [0.5, -0.5], covariance: 0.5 });

describe('diagnostics', () => {
  test('reports acceptance per segment and on average', async () => {
    const result = await rtkMala.sample({ model, n: 32, nfe: 60, rng: createRng(2) });
    expect(result.trace.stepInfo).toHaveLength(5);
    for (const info of result.trace.stepInfo) {
      expect(info.acceptance).toBeGreaterThan(0);
      expect(info.acceptance).toBeLessThanOrEqual(1);
    }
    expect(result.trace.summary.meanAcceptance).toBeGreaterThan(0.5);
    result.x.dispose();
  });
});

describe('validation', () => {
  const scoreOnly: ScoreModel = {
    dim: 2,
    score: (x, a) => model.score(x, a),
    curvatureBound: (a) => model.curvatureBound(a),
  };

  test('rtk-mala on a model without logDensity points to rtk-mala-score', async () => {
    await expect(rtkMala.sample({ model: scoreOnly, n: 4, nfe: 50, rng: createRng(1) })).rejects.toThrow(
      /needs the model's logDensity.*use rtk-mala-score/,
    );
    const result = await rtkMalaScore.sample({ model: scoreOnly, n: 4, nfe: 50, rng: createRng(1) });
    result.x.dispose();
  });

  test('without curvatureBound, the MALA variants adapt τ toward acceptance 0.574 (per chain)', async () => {
    const noBound: ScoreModel = {
      dim: 2,
      score: (x, a) => model.score(x, a),
      logDensity: (x, a) => model.logDensity(x, a),
    };
    const result = await rtkMala.sample({ model: noBound, n: 64, nfe: 405, rng: createRng(4) });
    // 40 inner steps, 20 of warm-up: the mean acceptance over all steps lands near the target (wide band: the
    // warm-up starts from τ = 0.3 / (r/(1 − r)) and dual averaging overshoots early).
    expect(result.trace.summary.meanAcceptance).toBeGreaterThan(0.4);
    expect(result.trace.summary.meanAcceptance).toBeLessThan(0.85);
    // The trace reports the adapted τ (mean over chains) of every segment; it moved away from the initial
    // τ₀ = 0.3 / (r/(1 − r)) (negative control: with a fixed τ the reported step size is τ₀ itself).
    result.trace.stepInfo.forEach((info, k) => {
      const r = result.trace.levels[k]! / result.trace.levels[k + 1]!;
      const initial = 0.3 / (r / (1 - r));
      expect(info.stepSize).toBeGreaterThan(0);
      expect(Math.abs(Math.log(info.stepSize! / initial))).toBeGreaterThan(0.05);
    });
    result.x.dispose();
    await expect(
      rtkUla.sample({ model: noBound, n: 4, nfe: 50, rng: createRng(1), stepSize: 'adapt' }),
    ).rejects.toThrow(/needs a kernel with an acceptance step/);
  });

  test('a model without curvatureBound needs an explicit step size', async () => {
    const plain: ScoreModel = { dim: 2, score: (x, a) => model.score(x, a) };
    await expect(rtkUla.sample({ model: plain, n: 4, nfe: 50, rng: createRng(1) })).rejects.toThrow(
      /stepSize/,
    );
    const result = await rtkUla.sample({ model: plain, n: 4, nfe: 50, rng: createRng(1), stepSize: 0.05 });
    result.x.dispose();
  });

  test.each([
    [{ stepSize: -1 }, /stepSize must be > 0 or 'adapt'/],
    [{ stepSizeFactor: 0 }, /stepSizeFactor must be > 0/],
    [{ segments: 0 }, /segments must be an integer ≥ 1/],
    [{ innerSteps: 0 }, /innerSteps must be an integer ≥ 1/],
    [{ innerSteps: 2.5 }, /innerSteps must be an integer ≥ 1/],
    [{ start: 'hot' }, /start must be 'warm', 'ddpm' or 'cold'/],
  ] as const)('rejects %j', async (options, message) => {
    await expect(
      rtkMala.sample({ model, n: 4, nfe: 100, rng: createRng(1), ...(options as object) }),
    ).rejects.toThrow(message);
  });
});

test('cancellation reaches the inner steps of a segment, and nothing leaks', async () => {
  const controller = new AbortController();
  const before = tf.memory().numTensors;
  // One segment of 10 000 inner steps: the abort must land inside it, long before it would end.
  const started = performance.now();
  const run = rtkUla.sample({
    model,
    n: 8,
    nfe: 20_000,
    rng: createRng(1),
    segments: 1,
    innerSteps: 10_000,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await expect(run).rejects.toThrow(/aborted/);
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(tf.memory().numTensors).toBe(before);
});

test('no tensors leak from a cancelled RTK run', async () => {
  const controller = new AbortController();
  const before = tf.memory().numTensors;
  const run = rtkUld.sample({
    model,
    n: 8,
    nfe: 200,
    rng: createRng(1),
    signal: controller.signal,
    onStep: ({ step }) => {
      if (step === 1) controller.abort();
    },
  });
  await expect(run).rejects.toThrow(/cancelled/);
  expect(tf.memory().numTensors).toBe(before);
});
