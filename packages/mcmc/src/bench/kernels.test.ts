import { expect, test, vi } from 'vitest';

test('the benchmark tunes and runs every kernel on a small size, and importing it prints nothing', async () => {
  const log = vi.spyOn(console, 'log');
  const { benchmarkKernels, formatBenchmark, kernelGrids } = await import('./kernels.js');
  expect(log).not.toHaveBeenCalled();
  log.mockRestore();
  const result = await benchmarkKernels({ chains: 20, nfe: 6 });
  const names = [
    'ula',
    'mala',
    'mala-score-only (trapezoid)',
    'mala-score-only (simpson)',
    'uld',
    'baoab',
    'hmc',
  ];
  expect(kernelGrids().map(([name]) => name)).toEqual(names);
  expect(result.rows.map((row) => row.kernel)).toEqual([...names, 'mala (dual averaging)']);
  for (const [i, [, grid]] of kernelGrids().entries()) {
    const row = result.rows[i]!;
    expect(row.candidates).toBe(grid.length);
    expect(grid.map((candidate) => candidate.settings)).toContain(row.settings);
    // Same budget for every kernel: HMC (5 gradients + 1 log-density a step) makes one step, ULA six.
    expect(row.steps).toBe(Math.max(1, Math.round(6 / row.nfePerStep)));
  }
  expect(result.rows.find((row) => row.kernel === 'ula')!.steps).toBe(6);
  for (const row of result.rows) {
    expect(row.stepsPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(row.stepsPerSecond)).toBe(true);
    expect(row.modeError).toBeGreaterThanOrEqual(0);
    expect(row.modeError).toBeLessThanOrEqual(1);
    expect(row.spread).toBeGreaterThan(0);
    if (row.meanAcceptance !== undefined) {
      expect(row.meanAcceptance).toBeGreaterThanOrEqual(0);
      expect(row.meanAcceptance).toBeLessThanOrEqual(1);
    }
  }
  expect(result.rows.filter((row) => row.meanAcceptance === undefined).map((row) => row.kernel)).toEqual([
    'ula',
    'uld',
    'baoab',
  ]);
  // The chains start with every other mode empty: a mode error of about 0.5.
  expect(result.start.modeError).toBeGreaterThan(0.3);
  expect(result.start.modeError).toBeGreaterThan(result.exact.modeError);
  expect(formatBenchmark(result).split('\n')).toHaveLength(result.rows.length + 3);
});
