/**
 * The other suites' pages: which runs they show (the latest committed run of each suite; for speed, the latest per
 * backend and the latest with the PyTorch comparison), and how a run's summary.md becomes part of a page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { latestSpeedRuns, type RunFile, resultsDirectories, scanRuns } from './runs.js';
import { adaptSummary, writeSuitePages } from './suite-pages.js';
import { repoWith } from './test-support.js';

const speedRun = (createdAt: string, backends: string[], peer: boolean) => ({
  schema: 'rtk-diffusion-bench-speed/1',
  suite: 'speed',
  createdAt,
  runId: `speed-${createdAt}`,
  backends: backends.map((backend) => ({ backend, status: 'ok' })),
  peer: peer ? { status: 'ok' } : { status: 'skipped' },
});

const run = (dir: string, json: Record<string, unknown> = {}): RunFile => ({
  dir,
  file: join(dir, 'results.json'),
  json,
  schema: 'rtk-diffusion-bench/1',
  suite: 'images',
  runId: 'r1',
  createdAt: '2026-01-01T00:00:00Z',
});

describe('adaptSummary', () => {
  test('demotes headings, rewrites images of the run, notes missing ones, escapes $ and Vue', () => {
    const root = repoWith({ 'r1/fid.png': 'png' });
    const { markdown, images } = adaptSummary(
      '# Title\n\n## Part\n\n![FID](fid.png) ![gone](gone.png) ![web](https://x.org/a.png) costs $5 {{ x }}\n',
      run(join(root, 'r1')),
      1,
    );
    expect(markdown).toMatch(/^::: v-pre\n/);
    expect(markdown).toContain('## Title\n\n### Part');
    expect(markdown).toContain('![FID](/bench-results/r1/fid.png)');
    expect(markdown).toContain("_(image gone.png is not in the run's directory)_");
    expect(markdown).toContain('![web](https://x.org/a.png)');
    expect(markdown).toContain('costs \\$5 {{ x }}');
    expect(images).toEqual([{ source: join(root, 'r1', 'fid.png'), target: 'r1/fid.png' }]);
  });
});

describe('runs shown', () => {
  test('speed: the newest run with PyTorch first, then per backend the newest run that measured it', () => {
    const root = repoWith({
      'results/a/results.json': speedRun('2026-01-01T00:00:00Z', ['wasm', 'cpu'], true),
      'results/b/results.json': speedRun('2026-01-02T00:00:00Z', ['wasm'], true),
      'results/c/results.json': speedRun('2026-01-03T00:00:00Z', ['cpu'], false),
    });
    const shown = latestSpeedRuns(scanRuns(root, resultsDirectories(root), true));
    expect(shown.map((r) => r.runId)).toEqual(['speed-2026-01-02T00:00:00Z', 'speed-2026-01-03T00:00:00Z']);
    // a newer run with PyTorch covering every backend replaces both
    const newer = repoWith({
      'results/b/results.json': speedRun('2026-01-02T00:00:00Z', ['wasm'], true),
      'results/c/results.json': speedRun('2026-01-03T00:00:00Z', ['cpu'], false),
      'results/d/results.json': speedRun('2026-01-04T00:00:00Z', ['wasm', 'cpu'], true),
    });
    expect(latestSpeedRuns(scanRuns(newer, resultsDirectories(newer), true)).map((r) => r.runId)).toEqual([
      'speed-2026-01-04T00:00:00Z',
    ]);
  });

  test('only runs that git tracks count in a checkout; a local run is left out', () => {
    const summary = { schema: 'rtk-diffusion-bench-images/1', suite: 'images' };
    const root = repoWith({
      'results/old/results.json': { ...summary, createdAt: '2026-01-01T00:00:00Z', runId: 'old' },
      'results/new/results.json': { ...summary, createdAt: '2026-02-01T00:00:00Z', runId: 'new' },
    });
    const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'results/old/results.json');
    const committed = scanRuns(root, resultsDirectories(root), true);
    expect(committed.runs.map((r) => r.runId)).toEqual(['old']);
    // without the filter (a preview directory), the newer local run is the latest
    expect(scanRuns(root, resultsDirectories(root), false).runs.map((r) => r.runId)).toEqual(['new', 'old']);
  });
});

describe('writeSuitePages', () => {
  test('writes each page from its latest run, copies its images, extracts the verdicts; says so when none', () => {
    const root = repoWith({
      'results/i1/results.json': {
        schema: 'rtk-diffusion-bench-images/1',
        suite: 'images',
        createdAt: '1',
        runId: 'i1',
      },
      'results/i1/summary.md': '# Benchmark i1\n\nold\n',
      'results/i2/results.json': {
        schema: 'rtk-diffusion-bench-images/1',
        suite: 'images',
        createdAt: '2',
        runId: 'i2',
      },
      'results/i2/summary.md':
        '# Benchmark i2\n\n| sampler | NFE 5 |\n| -- | -- |\n| ddpm | 1 |\n\n![FID](fid.png)\n',
      'results/i2/fid.png': 'png',
      'results/q/results.json': {
        schema: 'rtk-diffusion-bench/1',
        suite: 'quick',
        createdAt: '1',
        runId: 'q',
        targets: [],
      },
      'results/q/summary.md':
        '# Q\n\n## Do RTK-MALA and RTK-ULD beat DDPM?\n\n- rtk-mala vs ddpm: ties\n\n## Next\n\nno\n',
    });
    const dirs = { repoRoot: root, generated: join(root, 'gen'), assets: join(root, 'assets') };
    const pages = writeSuitePages(scanRuns(root, resultsDirectories(root), true), dirs);
    expect(pages.images?.runId).toBe('i2');
    const images = readFileSync(join(dirs.generated, 'images.md'), 'utf8');
    expect(images).toContain('rendered from `results/i2/summary.md`');
    expect(images).toContain('## Benchmark i2');
    expect(images).not.toContain('old');
    expect(images).toContain('![FID](/bench-results/i2/fid.png)');
    expect(existsSync(join(dirs.assets, 'i2', 'fid.png'))).toBe(true);
    const verdicts = readFileSync(join(dirs.generated, 'verdicts.md'), 'utf8');
    expect(verdicts).toContain('- rtk-mala vs ddpm: ties');
    expect(verdicts).not.toContain('no\n');
    expect(readFileSync(join(dirs.generated, 'toy.md'), 'utf8')).toContain(
      'No committed run of the toy suite',
    );
    expect(readFileSync(join(dirs.generated, 'speed.md'), 'utf8')).toContain(
      'No committed run of the speed suite',
    );
  });
});
