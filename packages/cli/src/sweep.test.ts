/**
 * Drawing, scoring and sweeping: batch-size invariance, no leaked tensors, metrics that separate a good sample from a
 * bad one (with the bad one as a negative control), and budget failures recorded per cell.
 */
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, test } from 'vitest';
import { drawSamples, groundTruth } from './draw.js';
import { evaluateSamples, prepareReference } from './evaluate.js';
import type { Progress } from './progress.js';
import { resolveTarget } from './resolve-target.js';
import { runSweep } from './sweep.js';

describe('drawSamples', () => {
  test('the same seed gives the same rows whatever the batch size; no tensor is leaked', async () => {
    const target = await resolveTarget('grid-2d');
    let whole: Float32Array | Float64Array | undefined;
    const steps: number[] = [];
    const progress: Progress = {
      update: (done) => steps.push(done),
      setTotal: () => {},
      log: () => {},
      stop: () => {},
    };
    await expectNoTensorLeak(async () => {
      whole = (await drawSamples({ model: target.model, sampler: 'ddpm', nfe: 8, n: 23, seed: 5, progress }))
        .samples.values;
    });
    const batched = await drawSamples({
      model: target.model,
      sampler: 'ddpm',
      nfe: 8,
      n: 23,
      seed: 5,
      batchSize: 7,
    });
    expect(Array.from(batched.samples.values)).toEqual(Array.from(whole!));
    expect(batched.nfe).toBe(8);
    expect(steps.at(-1)).toBe(8); // one update per step, ending at the total
  });
});

describe('evaluateSamples', () => {
  test('ground truth scores near the floor; a shifted sample (negative control) scores worse on every metric', async () => {
    const target = await resolveTarget('grid-2d');
    const n = 2000;
    const reference = await prepareReference(await groundTruth(target.model, n, 1), { spec: target.spec });
    const truth = await groundTruth(target.model, n, 2);
    const good = await evaluateSamples(truth, reference);
    const shifted = { ...truth, values: truth.values.map((v) => v + 1) };
    const bad = await evaluateSamples(shifted, reference);
    expect(Object.keys(good).sort()).toEqual(
      [
        'energy',
        'frechet',
        'marginalAccuracy',
        'marginalAccuracyPaper',
        'mmd',
        'modeWeightTv',
        'slicedW2',
        'tv2d',
      ].sort(),
    );
    // the floor at n = 2000 with 50 bins: 1 − E[TV] ≈ 1 − ½ Σ_b sqrt(2 p_b (2/n)/π) ≳ 0.85 for these marginals
    expect(good.marginalAccuracy).toBeGreaterThan(0.85);
    expect(bad.marginalAccuracy!).toBeLessThan(good.marginalAccuracy! - 0.3);
    for (const metric of ['slicedW2', 'mmd', 'energy', 'tv2d', 'modeWeightTv', 'frechet'] as const) {
      expect(bad[metric]!, metric).toBeGreaterThan(good[metric]!);
    }
  });

  test('mode weights only for mixtures; dimensions must agree', async () => {
    const gaussian = await resolveTarget('gaussian-100d');
    const reference = await prepareReference(await groundTruth(gaussian.model, 300, 1), {
      spec: gaussian.spec,
    });
    const values = await evaluateSamples(await groundTruth(gaussian.model, 300, 2), reference, [
      'modeWeightTv',
      'frechet',
    ]);
    expect(values.modeWeightTv).toBeUndefined();
    expect(values.frechet).toBeGreaterThan(0);
    await expect(evaluateSamples({ n: 2, d: 3, values: new Float32Array(6) }, reference)).rejects.toThrow(
      /dimension 3 but the target has dimension 100/,
    );
  });
});

describe('runSweep', () => {
  test('every sampler × budget has a cell; a budget below the minimum is recorded, not fatal', async () => {
    const target = await resolveTarget('grid-2d');
    const result = await runSweep({
      target,
      samplers: ['ddim', 'rtk-mala'],
      nfes: [4, 25],
      n: 200,
      seed: 0,
      metrics: ['marginalAccuracy'],
    });
    expect(result.cells.map((c) => `${c.sampler}@${c.nfe}`)).toEqual([
      'ddim@4',
      'ddim@25',
      'rtk-mala@4',
      'rtk-mala@25',
    ]);
    const failed = result.cells.find((c) => c.sampler === 'rtk-mala' && c.nfe === 4)!; // below 5, one segment
    expect(failed.error?.code).toBe('E_BUDGET');
    expect(failed.metrics).toBeUndefined();
    const ok = result.cells.find((c) => c.sampler === 'rtk-mala' && c.nfe === 25)!;
    expect(ok.nfeUsed).toBe(25);
    expect(ok.summary?.segments).toBe(5);
    expect(result.floor.marginalAccuracy).toBeGreaterThan(0.5);
  });
});
