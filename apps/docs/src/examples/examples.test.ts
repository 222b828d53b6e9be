/**
 * The guide's code examples run here, so they cannot rot: each is a module that the guide includes verbatim
 * (`<<< @/examples/…`); importing it runs it, and the checks below test what the guide says it does. The browser half
 * of "Tensor backends" (`src/playground/backend.ts`) runs in the browser test, and `score-model.ts` is a compile-time
 * check that the docs' typecheck runs.
 */
import { marginalAccuracy } from '@rtk-diffusion/eval';
import { createRng, SAMPLER_NAMES, tf } from '@rtk-diffusion/samplers';
import { describe, expect, test } from 'vitest';

/** Binomial standard deviation of a share p estimated from n samples. */
const shareSd = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / n);

/** Share of the rows of a [n, 1] batch below 0 (the left mode of the examples' mixture, weight 0.3). */
const leftShare = (x: tf.Tensor): number =>
  tf.tidy(() => tf.mean(tf.cast(tf.less(x, 0), 'float32')).dataSync()[0] ?? Number.NaN);

describe('guide examples', () => {
  test('first samples: RTK-MALA on the two-mode mixture uses 95 of 100 evaluations and keeps both modes', async () => {
    const { model, x, nfe } = await import('./first-samples.js');
    // The guide explains the count: 5 segments × (warm start 1 + the kernel's first gradient and log-density 2
    // + 8 MALA steps × 2) = 95, the most that fits 100.
    expect(nfe).toBe(95);
    expect(x.shape).toEqual([1000, 1]);
    // The metric check the guide's example leaves out. Losing the 0.3 mode alone costs 0.3 of total variation, so
    // accuracy > 0.8 rules it out (measured 0.89; two exact samples of this size score 0.94 against each other).
    const truth = model.sample(1000, createRng(1));
    expect(await marginalAccuracy(x, truth)).toBeGreaterThan(0.8);
    expect(Math.abs(leftShare(x) - 0.3)).toBeLessThan(5 * shareSd(0.3, 1000));
    tf.dispose([x, truth]);
  });

  test('choosing a sampler: every registered sampler runs at NFE 100, within budget, and keeps the 0.3 mode', async () => {
    const { results } = await import('./all-samplers.js');
    expect([...results.keys()]).toEqual([...SAMPLER_NAMES]);
    for (const [name, result] of results) {
      expect(result.nfe, name).toBeLessThanOrEqual(100);
      expect(result.nfe, name).toBeGreaterThan(90);
      // n = 1000: 5 binomial sd ≈ 0.072 (measured: 0.26–0.32); a sampler that lost the mode would show ≈ 0.
      expect(Math.abs(result.leftShare - 0.3), name).toBeLessThan(5 * shareSd(0.3, 1000));
    }
  });

  test('progress and cancellation: one event per step with NFE rising to the budget; abort rejects with E_ABORTED', async () => {
    const { progress, cancelled } = await import('./progress.js');
    const steps = progress[0]?.steps ?? 0;
    expect(steps).toBe(200); // ddpm: one evaluation per step, so 200 steps fit NFE 200
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: steps }, (_, k) => k));
    expect(progress.map((p) => p.nfe)).toEqual(Array.from({ length: steps }, (_, k) => k + 1));
    for (let k = 1; k < steps; k++) expect(progress[k]!.aNext).toBeGreaterThan(progress[k - 1]!.aNext);
    expect(progress.at(-1)?.aNext).toBeCloseTo(1, 2);
    expect(cancelled).toBe('E_ABORTED');
  });

  test('tensor backends (Node): initBackend reports the backend it started', async () => {
    const { backend } = await import('./backend-node.js');
    expect(backend.name).toBe(process.env.RTK_BACKEND ?? 'wasm');
  });

  test('wrapping a network: noise, data and velocity prediction give one score and the data variance', async () => {
    const { variances } = await import('./wrap-network.js');
    const { epsilon, x0, v } = variances as Record<'epsilon' | 'x0' | 'v', number[]>;
    // The three stand-ins predict the same law, so the three conversions of ALGORITHMS.md §1 must give the same
    // score and, from the same seed, the same samples up to float32 rounding; a wrong sign or factor in one
    // conversion changes its samples at O(1).
    for (const other of [x0, v])
      for (const [j, value] of other.entries()) expect(value).toBeCloseTo(epsilon[j]!, 4);
    // n = 4000: the sample variance has sd 0.25·√(2/n) ≈ 0.0056; 5 sd plus 0.01 of discretisation at NFE 20.
    for (const value of epsilon)
      expect(Math.abs(value - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / 4000) + 0.01);
  });
});
