/**
 * The loop's three NaN/Inf checks (finite-check.ts) agree: a model that turns NaN from some level on stops every
 * sampler kind with `E_NUMERIC` naming the same first step and levels, whether checked on the host, read every step,
 * or deferred on the device and read every 10 steps (forced here on the cpu backend, which would use the host check);
 * a deferred NaN is reported ahead of a later error of another kind; nothing leaks.
 */
import { gaussianModel, type ScoreModel } from '@rtk-diffusion/scores';
import { createRng, initBackend, isRtkError, type Tensor2D, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ddim } from './ddim.js';
import { ddpm } from './ddpm.js';
import { type FiniteCheckMode, setFiniteCheck } from './finite-check.js';
import { rtkMala } from './rtk-mala.js';
import type { Sampler } from './sampler.js';

const base = gaussianModel({ mean: [1, -0.5], covariance: [0.3, 1.5] });

/** NaN scores at levels a ≥ `from`; an ordinary Error at levels a ≥ `throwFrom`. */
function failingModel(from: number, throwFrom = 2): ScoreModel {
  return {
    dim: 2,
    score: (x, a) => {
      if (a >= throwFrom) throw new Error('the model broke');
      return a >= from ? (tf.tidy(() => tf.mul(base.score(x, a), Number.NaN)) as Tensor2D) : base.score(x, a);
    },
    logDensity: (x, a) => base.logDensity(x, a),
    curvatureBound: (a) => base.curvatureBound(a),
  };
}

async function failureOf(run: () => Promise<{ x: Tensor2D }>): Promise<{ code?: string; details?: unknown }> {
  let error: unknown;
  await expectNoTensorLeak(async () => {
    error = await run().then(
      (result) => {
        result.x.dispose();
        throw new Error('expected the run to fail');
      },
      (e: unknown) => e,
    );
  });
  return isRtkError(error) ? { code: error.code, details: error.details } : { details: String(error) };
}

const MODES: FiniteCheckMode[] = ['host', 'each-step', 'deferred'];

describe('the NaN checks agree', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });
  afterEach(() => setFiniteCheck('auto'));
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  test.each([
    ['ddpm', ddpm],
    ['ddim', ddim],
    ['rtk-mala', rtkMala],
  ] as const)(
    '%s: the same first step and levels in every mode, with and without onStep',
    async (_, sampler) => {
      const reports = [];
      for (const mode of MODES) {
        setFiniteCheck(mode);
        for (const withEvents of [false, true]) {
          const events: number[] = [];
          const report = await failureOf(() =>
            (sampler as unknown as Sampler).sample({
              model: failingModel(0.4),
              n: 6,
              nfe: 200,
              rng: createRng(1),
              ...(withEvents ? { onStep: (e) => void events.push(e.step) } : {}),
            }),
          );
          expect(report.code).toBe('E_NUMERIC');
          if (withEvents) expect(events.length).toBe((report.details as { step: number }).step);
          reports.push(report.details);
        }
      }
      for (const report of reports) expect(report).toEqual(reports[0]);
    },
  );

  test('deferred: a NaN step is reported ahead of an error of another kind in the next step', async () => {
    // Levels of the run: NaN from the level of step k on, an ordinary Error from step k + 1 on, so the NaN flag of
    // step k is still pending on the device when step k + 1 throws.
    const { x, trace } = await ddpm.sample({ model: base, n: 2, nfe: 200, rng: createRng(1) });
    x.dispose();
    const k = 123;
    const model = failingModel(trace.levels[k]!, trace.levels[k + 1]!);
    setFiniteCheck('deferred');
    const report = await failureOf(() => ddpm.sample({ model, n: 6, nfe: 200, rng: createRng(1) }));
    expect(report.code).toBe('E_NUMERIC');
    expect((report.details as { step: number }).step).toBe(k);
    setFiniteCheck('host');
    expect(await failureOf(() => ddpm.sample({ model, n: 6, nfe: 200, rng: createRng(1) }))).toEqual(report);
    // Negative control: without the NaN level, the other error comes through.
    setFiniteCheck('deferred');
    const other = await failureOf(() =>
      ddpm.sample({ model: failingModel(2, trace.levels[k + 1]!), n: 6, nfe: 200, rng: createRng(1) }),
    );
    expect(other).toEqual({ details: 'Error: the model broke' });
  });
});
