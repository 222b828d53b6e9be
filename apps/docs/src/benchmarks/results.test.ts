/**
 * The benchmark page's reader: picks the newest run, summarises seeds into mean ± sd per sampler setting and NFE,
 * marks the best cell, and degrades to a message (never a failed build) when results are missing or foreign.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadLatestResults } from './results.js';
import { repoWith } from './test-support.js';

const run = (row: string, nfe: number, seed: number, accuracy: number, extra: object = {}) => ({
  sampler: row.split(' ')[0],
  setting: 'default',
  label: `grid of ${row.split(' ')[0]}`,
  settings: {},
  nfe,
  seed,
  metrics: { marginalAccuracy: accuracy, mmd: 1 - accuracy },
  nfePerSecond: 100 * accuracy,
  ...extra,
});

function results(createdAt: string, runs: object[], suite = 'quick') {
  return {
    schema: 'rtk-diffusion-bench/1',
    runId: `run-${createdAt}`,
    suite,
    description: 'test',
    createdAt,
    durationSeconds: 125,
    environment: { node: 'v20', backend: 'wasm' },
    samplers: ['ddpm', 'rtk-mala'],
    seeds: [1, 2],
    tuningSeed: 0,
    referenceSeed: 9,
    targets: [
      {
        target: 'ring',
        title: 'Ring',
        description: 'a ring',
        dim: 2,
        components: 8,
        paper: false,
        n: 1000,
        tuningN: 500,
        nfes: [10, 100],
        showcaseNfe: 100,
        floor: { marginalAccuracy: 0.95, mmd: 0.0001 },
        noise: { marginalAccuracy: 0.004 },
        runs,
        tuning: [],
      },
    ],
  };
}

describe('loadLatestResults', () => {
  test('no results directory: a message, not an error', () => {
    const view = loadLatestResults(repoWith({}));
    expect(view).toEqual({ available: false, reason: 'No benchmark results are committed yet.' });
  });

  test('foreign or broken files: a message naming what was found', () => {
    const view = loadLatestResults(
      repoWith({ 'results/a/results.json': '{ nope', 'results/b/results.json': { x: 1 } }),
    );
    expect(view.available).toBe(false);
    if (!view.available) expect(view.reason).toContain('2 results file(s)');
  });

  test('a newer run of another suite (toy) does not replace the main suite; alone, it shows', () => {
    const quick = results('2026-01-01T00:00:00Z', [run('ddpm (default)', 10, 1, 0.5)]);
    const toy = results('2026-02-01T00:00:00Z', [run('ddpm (default)', 10, 1, 0.6)], 'toy');
    const both = loadLatestResults(
      repoWith({ 'results/q/results.json': quick, 'results/t/results.json': toy }),
    );
    expect(both.available && both.suite).toBe('quick');
    const alone = loadLatestResults(repoWith({ 'results/t/results.json': toy }));
    expect(alone.available && alone.suite).toBe('toy');
  });

  test('the newest run wins; seeds become mean ± sd; the best mean per NFE is marked', () => {
    const old = results('2026-01-01T00:00:00Z', [run('ddpm (default)', 10, 1, 0.1)]);
    const latest = results('2026-02-01T00:00:00Z', [
      run('ddpm (default)', 10, 1, 0.5),
      run('ddpm (default)', 10, 2, 0.7),
      run('rtk-mala (default)', 10, 1, 0.8),
      run('rtk-mala (default)', 100, 1, 0.9),
      {
        ...run('rtk-mala (default)', 100, 2, 0),
        metrics: undefined,
        error: { code: 'E_NUMERIC', message: 'NaN at step 3' },
      },
    ]);
    const view = loadLatestResults(
      repoWith({ 'results/old/results.json': old, 'results/new/results.json': latest }),
    );
    expect(view.available).toBe(true);
    if (!view.available) return;
    expect(view.source).toBe(join('results', 'new', 'results.json'));
    expect(view.duration).toBe('2.1 min');
    const [target] = view.targets;
    expect(target?.seeds).toBe(2);
    const accuracy = target?.metrics.find((m) => m.metric === 'marginalAccuracy');
    expect(accuracy?.nfes).toEqual([10, 100]);
    expect(accuracy?.floor).toBe('0.950');
    expect(accuracy?.noise).toBe('0.00400');
    // ddpm at NFE 10: mean 0.6, sd of (0.5, 0.7) = 0.141
    expect(accuracy?.rows[0]).toEqual({
      label: 'ddpm (default)',
      cells: ['0.600 ± 0.141', '–'],
      best: [false, false],
      settings: ['grid of ddpm', ''],
    });
    expect(accuracy?.rows[1]).toMatchObject({
      label: 'rtk-mala (default)',
      cells: ['0.800', '0.900'],
      best: [true, true],
    });
    // lower is better for MMD (1 − accuracy here): at NFE 10 rtk-mala's 0.2 beats ddpm's 0.4
    const kernel = target?.metrics.find((m) => m.metric === 'mmd');
    expect(kernel?.rows.map((r) => r.best[0])).toEqual([false, true]);
    expect(accuracy?.series[1]?.points).toEqual([
      { x: 10, y: 0.8 },
      { x: 100, y: 0.9 },
    ]);
    expect(target?.failures).toEqual([
      'rtk-mala (default) [grid of rtk-mala] at NFE 100 (seed 2): E_NUMERIC NaN at step 3',
    ]);
    expect(target?.speed.map((s) => s.label)).toEqual(['ddpm (default)', 'rtk-mala (default)']);
  });

  test("the headline: each sampler's tuned mean at the largest NFE (default where untuned), the best tuned one", () => {
    const tuned = { setting: 'tuned' };
    const latest = results('2026-02-01T00:00:00Z', [
      run('ddpm (default)', 100, 1, 0.5),
      run('ddpm (tuned)', 100, 1, 0.9, tuned),
      run('ddpm (tuned)', 10, 1, 0.99, tuned),
      run('rtk-mala (tuned)', 100, 1, 0.8, tuned),
      run('pf-ode (default)', 100, 1, 0.95),
    ]);
    const view = loadLatestResults(repoWith({ 'results/new/results.json': latest }));
    const headline = view.available ? view.targets[0]?.headline : undefined;
    expect(headline).toEqual({
      nfe: 100,
      floor: '0.950',
      best: { sampler: 'ddpm', value: '0.900' },
      bySampler: { ddpm: '0.900', 'rtk-mala': '0.800', 'pf-ode': '0.950' },
    });
  });
});
