/**
 * The whole benchmark on the tiny suite, inline (no worker threads): the files of a run, their schema, the summary's
 * tables and the plots; `compare` against itself (no regression) and against a doctored copy (a flagged regression,
 * exit code 7); `report` re-renders; bad arguments exit 2.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compareResults } from './compare.js';
import { main, runBench } from './main.js';
import { createPool, type Pool } from './pool.js';
import { readResults, readShowcase } from './results.js';
import { runSuite } from './run-suite.js';
import { restrictSuite, TINY, tuningReferenceSeed } from './suites.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (text: string) => (out.stdout += text) },
    stderr: { write: (text: string) => (out.stderr += text), isTTY: false },
  };
  return { out, io };
}

describe('a tiny run', async () => {
  const { io } = capture();
  const { directory, results } = await runBench(
    { suite: 'tiny', workers: 0, out: dir, runId: 'tiny', quiet: true },
    io,
  );

  test('writes results.json (valid), showcase.json, summary.md and SVG + PNG plots', async () => {
    const read = await readResults(directory);
    expect(read).toEqual(JSON.parse(JSON.stringify(results)));
    const showcase = await readShowcase(directory);
    expect(showcase.targets.map((t) => t.target)).toEqual(['paper-mixture', 'grid-2d']);
    for (const target of ['paper-mixture', 'grid-2d']) {
      for (const kind of ['accuracy', 'histogram', 'scatter']) {
        expect(readFileSync(join(directory, `${kind}-${target}.svg`), 'utf8')).toMatch(/^<svg/);
        expect(
          readFileSync(join(directory, `${kind}-${target}.png`))
            .subarray(1, 4)
            .toString(),
        ).toBe('PNG');
      }
    }
  });

  test('every sampler × NFE × setting is reported; tuning records its candidates and winner', () => {
    const paper = results.targets[0]!;
    expect(paper.runs).toHaveLength(4 * 2 * 2); // samplers × NFE × {default, tuned}, one seed
    const ddpm = paper.runs.find((r) => r.sampler === 'ddpm' && r.setting === 'default' && r.nfe === 25)!;
    expect(ddpm.label).toBe('paper: uniform time');
    expect(ddpm.nfeUsed).toBe(25);
    expect(ddpm.metrics?.marginalAccuracyPaper).toBeGreaterThan(ddpm.metrics!.marginalAccuracy!);
    const tuning = paper.tuning.find((t) => t.sampler === 'rtk-mala' && t.nfe === 45)!;
    expect(tuning.seed).toBe(1000);
    expect(tuning.candidates.map((c) => c.stage)).toEqual([1, 1, 2, 2, 3]); // 2, 5 segments fit 45; 2 step sizes; DDPM start
    const best = Math.max(...tuning.candidates.map((c) => c.marginalAccuracy ?? -1));
    expect(tuning.candidates.find((c) => c.marginalAccuracy === best)!.label).toBe(tuning.chosen);
    expect(paper.floor.marginalAccuracy).toBeGreaterThan(0.5);
    expect(paper.noise.marginalAccuracy).toBeGreaterThan(0);
    // a budget below the default's minimum is recorded, not fatal: rtk-mala needs 25 with 5 segments
    const grid = results.targets[1]!;
    expect(
      grid.runs.find((r) => r.sampler === 'rtk-mala' && r.setting === 'default' && r.nfe === 10)?.error?.code,
    ).toBe('E_BUDGET');
    expect(
      grid.runs.find((r) => r.sampler === 'rtk-mala' && r.setting === 'tuned' && r.nfe === 10)?.metrics,
    ).toBeDefined();
  });

  test("tuning runs are scored against their own reference sample, never the reported runs' one", async () => {
    const inline = createPool({ workers: 0 });
    const seen: { tuning: boolean; seed: number }[] = [];
    const recording: Pool = {
      run: (jobs, onDone, signal) => {
        for (const job of jobs) {
          if (job.kind === 'run') seen.push({ tuning: job.metrics.length === 1, seed: job.reference.seed });
        }
        return inline.run(jobs, onDone, signal);
      },
      close: () => inline.close(),
    };
    const suite = restrictSuite(TINY, { targets: ['grid-2d'], samplers: ['ddpm'] });
    const { results: small } = await runSuite({ suite, pool: recording, runId: 'seeds', environment: {} });
    expect(seen.some((job) => job.tuning)).toBe(true);
    for (const job of seen) expect(job.seed).toBe(job.tuning ? 2500 : 2000);
    expect(small.tuningReferenceSeed).toBe(2500);
    expect(tuningReferenceSeed({ ...suite, tuningReferenceSeed: undefined })).toBe(2001);
  });

  test('summary.md: verdicts, tables with the best marked, the paper section', () => {
    const summary = readFileSync(join(directory, 'summary.md'), 'utf8');
    expect(summary).toContain('## Do RTK-MALA and RTK-ULD beat DDPM at equal NFE?');
    expect(summary).toMatch(/rtk-mala vs ddpm \(both tuned\): NFE 25: (beats|ties|loses to)/);
    expect(summary).toMatch(
      /rtk-uld vs ddpm on the paper's uniform time grid: NFE 25: (beats|ties|loses to)/,
    );
    expect(summary).toContain('| sampler \\ NFE | 25 | 45 |');
    expect(summary).toMatch(/\*\*0\.\d{3}\*\*/);
    expect(summary).toContain('![accuracy-paper-mixture.png](accuracy-paper-mixture.png)');
  });

  test('compare: a run against itself has no regression; a doctored drop is flagged (exit 7)', async () => {
    expect(compareResults(results, results).regressions).toEqual([]);
    const worse = JSON.parse(JSON.stringify(results));
    const run = worse.targets[0].runs.find(
      (r: { sampler: string; setting: string }) => r.sampler === 'rtk-uld' && r.setting === 'tuned',
    );
    run.metrics.marginalAccuracy -= 0.2;
    const path = join(dir, 'worse.json');
    writeFileSync(path, JSON.stringify(worse));
    const { out, io: compareIo } = capture();
    expect(await main(['compare', directory, path], compareIo)).toBe(7);
    expect(out.stdout).toMatch(/1 regression\(s\)/);
    expect(out.stdout).toMatch(/paper-mixture rtk-uld \(tuned\)/);
    const same = capture();
    expect(await main(['compare', directory, directory], same.io)).toBe(0);
    expect(same.out.stdout).toMatch(/0 regression\(s\), 0 improvement\(s\)/);
  });

  test('compare reads each metric in its direction: a 10× larger sliced W2 is a regression', async () => {
    const scaled = (factor: number) => {
      const copy = JSON.parse(JSON.stringify(results));
      for (const target of copy.targets)
        for (const run of target.runs)
          if (run.metrics?.slicedW2 !== undefined) run.metrics.slicedW2 *= factor;
      const path = join(dir, `sliced-${factor}.json`);
      writeFileSync(path, JSON.stringify(copy));
      return path;
    };
    const worse = capture();
    expect(await main(['compare', directory, scaled(10), '--metric', 'slicedW2'], worse.io)).toBe(7);
    expect(worse.out.stdout).toMatch(
      /slicedW2 \(lower is better\).*: \d+ regression\(s\), 0 improvement\(s\)/,
    );
    const better = capture();
    expect(await main(['compare', directory, scaled(0.1), '--metric', 'slicedW2'], better.io)).toBe(0);
    expect(better.out.stdout).toMatch(/: 0 regression\(s\), [1-9]\d* improvement\(s\)/);
    const comparison = compareResults(results, await readResults(scaled(10)), { metric: 'slicedW2' });
    expect(comparison.higherIsBetter).toBe(false);
    expect(comparison.regressions.length).toBe(comparison.changes.length);
    const unknown = capture();
    expect(await main(['compare', directory, directory, '--metric', 'slicedW3'], unknown.io)).toBe(2);
    expect(unknown.out.stderr).toMatch(/Unknown metric 'slicedW3'\. Did you mean 'slicedW2'\?/);
    const threshold = capture();
    expect(await main(['compare', directory, directory, '--threshold', 'x'], threshold.io)).toBe(2);
  });

  test('unknown suites, targets and samplers: exit 2, the nearest name and every valid one', async () => {
    const suite = capture();
    expect(await main(['run', '--suite', 'quik'], suite.io)).toBe(2);
    expect(suite.out.stderr).toMatch(
      /Unknown suite 'quik'\. Did you mean 'quick'\? Suites: quick, full, tiny, speed, images, toy/,
    );
    const sampler = capture();
    expect(await main(['run', '--suite', 'tiny', '--samplers', 'ddpm,rtk-mal'], sampler.io)).toBe(2);
    expect(sampler.out.stderr).toMatch(/Unknown sampler 'rtk-mal'\. Did you mean 'rtk-mala'\?/);
    const target = capture();
    expect(await main(['run', '--suite', 'tiny', '--targets', 'grid2d'], target.io)).toBe(2);
    expect(target.out.stderr).toMatch(/Unknown target 'grid2d'\. Did you mean 'grid-2d'\?/);
  });

  test('report re-renders; bad arguments and files are usage errors (exit 2)', async () => {
    const { out, io: reportIo } = capture();
    expect(await main(['report', directory], reportIo)).toBe(0);
    expect(out.stdout).toMatch(/summary\.md/);
    const bad = capture();
    expect(await main(['run', '--suite', 'huge'], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/Unknown suite 'huge'/);
    writeFileSync(join(dir, 'not-results.json'), '{"schema": "x"}');
    const invalid = capture();
    expect(await main(['compare', join(dir, 'not-results.json'), directory], invalid.io)).toBe(2);
    expect(invalid.out.stderr).toMatch(/is not a results file/);
  });
});
