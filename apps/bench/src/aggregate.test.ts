import { describe, expect, test } from 'vitest';
import { cellOf, formatDuration, verdicts } from './aggregate.js';
import { compareResults } from './compare.js';
import { RESULTS_SCHEMA, type ResultsFile, type RunRecord, type TargetResults } from './results.js';

function run(sampler: string, nfe: number, seed: number, accuracy: number | undefined): RunRecord {
  return {
    sampler,
    setting: 'tuned',
    label: 'x',
    settings: {},
    nfe,
    seed,
    ...(accuracy === undefined
      ? { error: { code: 'E_BUDGET', message: 'too small' } }
      : { metrics: { marginalAccuracy: accuracy } }),
  };
}

function target(runs: RunRecord[], noise = 0.01): TargetResults {
  return {
    target: 't',
    title: 't',
    description: 't',
    dim: 2,
    components: 2,
    paper: false,
    n: 100,
    tuningN: 50,
    nfes: [10, 20, 30],
    showcaseNfe: 10,
    floor: { marginalAccuracy: 0.9 },
    noise: { marginalAccuracy: noise },
    runs,
    tuning: [],
  };
}

describe('aggregation', () => {
  test('means over seeds; failed seeds are skipped; all failed reports the code', () => {
    const t = target([run('a', 10, 0, 0.8), run('a', 10, 1, 0.9), run('a', 20, 0, undefined)]);
    expect(cellOf(t, 'a', 'tuned', 10, 'marginalAccuracy')).toMatchObject({ count: 2, error: undefined });
    expect(cellOf(t, 'a', 'tuned', 10, 'marginalAccuracy').mean).toBeCloseTo(0.85, 12);
    expect(cellOf(t, 'a', 'tuned', 20, 'marginalAccuracy')).toMatchObject({
      mean: undefined,
      error: 'E_BUDGET',
    });
  });

  test('verdicts: beyond two standard errors of the difference (√2 σ for one seed each)', () => {
    // σ = 0.01: the standard error of a difference of single runs is 0.0141, so the threshold is 0.0283
    const t = target([
      run('a', 10, 0, 0.85),
      run('b', 10, 0, 0.8),
      run('a', 20, 0, 0.81),
      run('b', 20, 0, 0.8),
    ]);
    const list = verdicts(t, { sampler: 'a', setting: 'tuned' }, { sampler: 'b', setting: 'tuned' });
    expect(list.map((v) => v.outcome)).toEqual(['better', 'tie', 'n/a']);
    expect(list[0]!.standardError).toBeCloseTo(Math.SQRT2 * 0.01, 12);
  });

  test('compare flags a drop beyond three standard errors only', () => {
    const file = (accuracy: number): ResultsFile => ({
      schema: RESULTS_SCHEMA,
      runId: String(accuracy),
      suite: 's',
      description: 'd',
      createdAt: '',
      durationSeconds: 1,
      environment: {},
      samplers: ['a'],
      seeds: [0],
      tuningSeed: 1,
      referenceSeed: 2,
      targets: [target([run('a', 10, 0, accuracy)])],
    });
    // se of the difference: hypot(0.01, 0.01) = 0.0141; three of them: 0.042
    expect(compareResults(file(0.9), file(0.87)).regressions).toHaveLength(0);
    expect(compareResults(file(0.9), file(0.85)).regressions).toHaveLength(1);
    expect(compareResults(file(0.85), file(0.9)).improvements).toHaveLength(1);
  });

  test('durations', () => {
    expect(formatDuration(12.34)).toBe('12.3 s');
    expect(formatDuration(252)).toBe('4 min 12 s');
  });
});
