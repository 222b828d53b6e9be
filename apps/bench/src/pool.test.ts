/**
 * The built entry point with two worker threads (dist/bench.js, built by turbo before `test`): the run succeeds, and
 * its metrics equal those of the same run inline, since every job seeds itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { runBench } from './main.js';
import { readResults } from './results.js';

const entry = fileURLToPath(new URL('../dist/bench.js', import.meta.url));
const built = existsSync(entry);
if (!built)
  console.warn('SKIPPED pool.test.ts: dist/bench.js is not built (run `pnpm build`, or test through turbo)');

const dir = mkdtempSync(join(tmpdir(), 'rtk-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!built)('worker threads', () => {
  test('two workers give the same metrics as an inline run', async () => {
    const args = ['--suite', 'tiny', '--targets', 'grid-2d', '--samplers', 'ddpm,rtk-uld'];
    const run = spawnSync(
      process.execPath,
      [entry, ...args, '--workers', '2', '--out', dir, '--run-id', 'pooled'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.stderr).not.toMatch(/bench: /);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/grid-2d \(d = 2, n = 200\)/);
    const pooled = await readResults(join(dir, 'pooled'));
    const io = { stdout: { write: () => true }, stderr: { write: () => true, isTTY: false } };
    const { results: inline } = await runBench(
      {
        suite: 'tiny',
        targets: ['grid-2d'],
        samplers: ['ddpm', 'rtk-uld'],
        workers: 0,
        out: dir,
        runId: 'inline',
        quiet: true,
      },
      io,
    );
    const metrics = (r: typeof inline) =>
      r.targets.map((t) => t.runs.map((x) => [x.sampler, x.setting, x.nfe, x.label, x.metrics]));
    expect(metrics(pooled)).toEqual(metrics(inline));
    expect(pooled.environment.workers).toBe(2);
  });
});
