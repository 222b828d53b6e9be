import { gaussianModel, mixtureModel, type ScoreModel } from '@rtk-diffusion/scores';
import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { describe, expect, test } from 'vitest';
import { curvatureSegmentLevels } from './rtk.js';
import { rtkMala } from './rtk-mala.js';
import { rtkMalaScore } from './rtk-mala-score.js';
import { rtkUla } from './rtk-ula.js';
import { rtkUld } from './rtk-uld.js';

const model = gaussianModel({ mean: [0.5, -0.5], covariance: 0.5 });

describe('the RTK budget split', () => {
  test.each([
    // [sampler, nfe, options, expected inner steps, expected nfe]: per segment warm 1 + init + m × step cost
    [rtkMala, 100, {}, 8, 95], // 5 × (1 + 2 + 2·8) = 95
    [rtkMalaScore, 100, {}, 18, 100], // 5 × (1 + 1 + 18) = 100
    [rtkUla, 100, {}, 18, 100],
    [rtkUld, 100, {}, 18, 100],
    [rtkMala, 100, { start: 'cold' }, 9, 100], // 5 × (0 + 2 + 2·9)
    [rtkMala, 100, { segments: 2 }, 23, 98], // 2 × (1 + 2 + 2·23)
    [rtkMala, 100, { innerSteps: 3 }, 3, 45],
  ] as const)('%#: budget → inner steps and exact NFE', async (sampler, nfe, options, innerSteps, used) => {
    const events: Record<string, number>[] = [];
    const result = await sampler.sample({
      model,
      n: 16,
      nfe,
      rng: createRng(1),
      onStep: (e) => events.push({ ...(e.info ?? {}) }),
      ...options,
    });
    expect(result.trace.summary.innerSteps).toBe(innerSteps);
    expect(result.nfe).toBe(used);
    // The kernels' own evaluation counts agree with the counted model.
    const kernelEvaluations = events.reduce((s, e) => s + (e.evaluations ?? 0), 0);
    const startEvaluations = 'start' in options && options.start === 'cold' ? 0 : events.length;
    expect(kernelEvaluations + startEvaluations).toBe(used);
    result.x.dispose();
  });

  test('a budget too small for one inner step per segment is an E_BUDGET error that says the minimum', async () => {
    const error = await rtkMala.sample({ model, n: 4, nfe: 20, rng: createRng(1) }).catch((e: unknown) => e);
    expect(isRtkError(error, 'E_BUDGET')).toBe(true);
    expect((error as Error).message).toMatch(/needs at least 25 evaluations for 5 segments, got nfe = 20/);
  });

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
    [{ start: 'hot' }, /start must be 'warm', 'ddpm' or 'cold'/],
  ] as const)('rejects %j', async (options, message) => {
    await expect(
      rtkMala.sample({ model, n: 4, nfe: 100, rng: createRng(1), ...(options as object) }),
    ).rejects.toThrow(message);
  });
});

describe("the curvature rule of ALGORITHMS.md §5 (segments: 'curvature')", () => {
  test('every segment has r = 2L(a′)/(2L(a′) + 1), so r/(1 − r) = 2L(a′)', () => {
    const sharp = mixtureModel({ weights: [0.5, 0.5], means: [[-1], [1]], covariances: [0.02, 0.02] });
    const levels = curvatureSegmentLevels((a) => sharp.curvatureBound(a), {
      horizon: 4,
      delta: 1e-3,
      maxSegments: 500,
    });
    expect(levels[0]).toBeCloseTo(Math.exp(-8), 12);
    expect(levels.at(-1)).toBeCloseTo(Math.exp(-2e-3), 12);
    for (let k = 0; k + 2 < levels.length; k++) {
      const r = levels[k]! / levels[k + 1]!;
      const twoL = 2 * sharp.curvatureBound(levels[k + 1]!);
      expect(r / (1 - r)).toBeCloseTo(twoL, 6);
    }
  });

  test('runs with as many segments as the rule gives, and refuses too many', async () => {
    const sharp = mixtureModel({ weights: [0.5, 0.5], means: [[-1], [1]], covariances: [0.02, 0.02] });
    const result = await rtkMala.sample({
      model: sharp,
      n: 8,
      nfe: 2000,
      rng: createRng(3),
      segments: 'curvature',
    });
    expect(result.trace.summary.segments).toBeGreaterThan(5);
    result.x.dispose();
    await expect(
      rtkMala.sample({
        model: sharp,
        n: 8,
        nfe: 2000,
        rng: createRng(3),
        segments: 'curvature',
        maxSegments: 3,
      }),
    ).rejects.toThrow(/needs more than 3 segments/);
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
