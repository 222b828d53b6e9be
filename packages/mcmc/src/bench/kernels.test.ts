import { expect, test, vi } from 'vitest';

test('the benchmark runs every kernel on a small size, and importing it prints nothing', async () => {
  const log = vi.spyOn(console, 'log');
  const { benchmarkKernels, formatBenchmark } = await import('./kernels.js');
  expect(log).not.toHaveBeenCalled();
  log.mockRestore();
  const rows = await benchmarkKernels({ chains: 20, steps: 3 });
  expect(rows.map((row) => row.kernel)).toEqual([
    'ula',
    'mala',
    'mala (tuned)',
    'mala-score-only',
    'mala-score-only',
    'uld',
    'baoab',
    'hmc',
  ]);
  for (const row of rows) {
    expect(row.stepsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(row.stepsPerSecond)).toBe(true);
    if (row.meanAcceptance !== undefined) {
      expect(row.meanAcceptance).toBeGreaterThanOrEqual(0);
      expect(row.meanAcceptance).toBeLessThanOrEqual(1);
    }
  }
  expect(rows.filter((row) => row.meanAcceptance === undefined).map((row) => row.kernel)).toEqual([
    'ula',
    'uld',
    'baoab',
  ]);
  expect(formatBenchmark(rows).split('\n')).toHaveLength(rows.length + 1);
});
