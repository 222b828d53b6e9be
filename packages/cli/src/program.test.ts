/**
 * The command line in-process: every command's output, and every kind of bad input giving one clear message, the
 * documented exit code and no stack trace.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EXIT_CODES } from './errors.js';
import { main } from './program.js';
import { readSampleFile } from './sample-files.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `rtk …args` with captured output; the backend is already started by the test setup. */
async function rtk(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    initBackend: async () => {},
  });
  return { code, stdout, stderr };
}

function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

describe('commands', () => {
  test('list: samplers with cost models and targets; --json', async () => {
    const text = await rtk('list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/rtk-mala\s+3 \+ 2 × inner steps per segment\s+5/);
    expect(text.stdout).toContain('paper-mixture');
    const json = JSON.parse((await rtk('list', '--json')).stdout);
    expect(json.samplers.map((s: { name: string }) => s.name)).toContain('rtk-uld');
    expect(json.targets.find((t: { name: string }) => t.name === 'gaussian-100d').dim).toBe(100);
  });

  test('target prints a spec that --target accepts as a file', async () => {
    const printed = await rtk('target', 'grid-2d');
    expect(JSON.parse(printed.stdout).weights).toHaveLength(25);
    const path = join(dir, 'grid.json');
    writeFileSync(path, printed.stdout);
    const out = join(dir, 'from-file.csv');
    const run = await rtk(
      'sample',
      '--target',
      path,
      '--sampler',
      'ddim',
      '--nfe',
      '5',
      '--n',
      '20',
      '--out',
      out,
    );
    expect(run.code).toBe(0);
    expect((await readSampleFile(out)).d).toBe(2);
  });

  test('sample → .npy, then eval; --rows reproduces the same rows of the full run', async () => {
    const out = join(dir, 'full.npy');
    const common = ['--target', 'grid-2d', '--sampler', 'rtk-ula', '--nfe', '30', '--seed', '7'];
    const run = await rtk('sample', ...common, '--n', '60', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /wrote 60 samples \(d = 2\) to .*full\.npy: rtk-ula on grid-2d, NFE 30, seed 7/,
    );
    const part = join(dir, 'part.json');
    const rows = await rtk('sample', ...common, '--n', '60', '--rows', '20:50', '--out', part, '--json');
    expect(JSON.parse(rows.stdout)).toMatchObject({ n: 30, d: 2, rows: [20, 50], sampler: 'rtk-ula' });
    const full = await readSampleFile(out);
    const slice = await readSampleFile(part);
    expect(Array.from(slice.values)).toEqual(Array.from(full.values.subarray(40, 100)));
    const evaluated = await rtk('eval', '--samples', out, '--target', 'grid-2d', '--json');
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report.metrics.marginalAccuracy).toBeGreaterThan(0);
    expect(report.floor.marginalAccuracy).toBeLessThanOrEqual(1);
    const table = await rtk(
      'eval',
      '--samples',
      out,
      '--target',
      'grid-2d',
      '--metrics',
      'marginalAccuracy,mmd',
    );
    expect(table.stdout).toMatch(/marginal accuracy\s+\d\.\d{3}\s+\d\.\d{3}\s+higher/);
  });

  test('bench prints a table with the best per column marked', async () => {
    const run = await rtk(
      'bench',
      '--target',
      'grid-2d',
      '--samplers',
      'ddpm,rtk-mala',
      '--nfe',
      '4,25',
      '--n',
      '100',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/marginal accuracy \(higher is better\) on grid-2d/);
    expect(run.stdout).toMatch(/\*/);
    expect(run.stdout).toMatch(/rtk-mala\s+—/); // NFE 4 is below rtk-mala's minimum of 5 (one segment)
    expect(run.stdout).toContain('rtk-mala at NFE 4 (E_BUDGET)');
  });

  test('--help shows examples and exit codes', async () => {
    const help = await rtk('sample', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ rtk sample --target paper-mixture');
    expect((await rtk('--help')).stdout).toContain('130  interrupted');
  });
});

describe('bad input: a clear message, a documented exit code, no stack trace', () => {
  const out = () => join(dir, 'x.npy');

  test('unknown sampler suggests the nearest name (exit 2)', async () => {
    const run = await rtk(
      'sample',
      '--target',
      'grid-2d',
      '--sampler',
      'rtk-mal',
      '--nfe',
      '30',
      '--n',
      '5',
      '--out',
      out(),
    );
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain("Unknown sampler 'rtk-mal'. Did you mean 'rtk-mala'?");
    expectNoStack(run.stderr);
  });

  test('unknown target suggests the nearest name (exit 2)', async () => {
    const run = await rtk('eval', '--samples', out(), '--target', 'grid2d');
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toContain("Did you mean 'grid-2d'?");
  });

  test('an invalid spec file names the field (exit 2), with --json an error object', async () => {
    const path = join(dir, 'bad-spec.json');
    writeFileSync(path, JSON.stringify({ weights: [0.6, 0.6], means: [[0], [1]], covariances: [1, 1] }));
    const run = await rtk(
      'sample',
      '--target',
      path,
      '--sampler',
      'ddpm',
      '--nfe',
      '10',
      '--n',
      '5',
      '--out',
      out(),
      '--json',
    );
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/weights: must sum to 1/);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'E_VALIDATION', exitCode: 2 });
    expectNoStack(run.stderr);
  });

  test('NFE too small for the sampler (exit 3), before any output is created', async () => {
    const path = join(dir, 'never.npy');
    const run = await rtk(
      'sample',
      '--target',
      'grid-2d',
      '--sampler',
      'rtk-mala',
      '--nfe',
      '4',
      '--n',
      '5',
      '--out',
      path,
    );
    expect(run.code).toBe(EXIT_CODES.budget);
    expect(run.stderr).toMatch(/rtk-mala needs at least 5 evaluations/);
    expect(existsSync(path)).toBe(false);
  });

  test('unwritable output path (exit 4), missing directory (exit 4), unknown extension (exit 2)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const base = ['sample', '--target', 'grid-2d', '--sampler', 'ddpm', '--nfe', '5', '--n', '5'];
    const asRoot = process.getuid?.() === 0; // root may write anywhere: the check is then the directory's existence
    if (!asRoot) {
      const run = await rtk(...base, '--out', join(locked, 'x.npy'));
      expect(run.code).toBe(EXIT_CODES.io);
      expect(run.stderr).toMatch(/is not writable/);
    }
    const missing = await rtk(...base, '--out', join(dir, 'no-such-dir', 'x.npy'));
    expect(missing.code).toBe(EXIT_CODES.io);
    expect(missing.stderr).toMatch(/does not exist; create it first/);
    const ext = await rtk(...base, '--out', join(dir, 'x.txt'));
    expect(ext.code).toBe(EXIT_CODES.usage);
    expect(ext.stderr).toMatch(/ending in \.npy \(NumPy\), \.csv or \.json/);
    chmodSync(locked, 0o700);
  });

  test('malformed option values and missing options are usage errors (exit 2)', async () => {
    for (const args of [
      ['sample', '--target', 'grid-2d', '--sampler', 'ddpm', '--nfe', 'many', '--n', '5', '--out', out()],
      ['sample', '--target', 'grid-2d', '--sampler', 'ddpm', '--nfe', '5', '--out', out()],
      [
        'sample',
        '--target',
        'grid-2d',
        '--sampler',
        'ddpm',
        '--nfe',
        '5',
        '--n',
        '5',
        '--out',
        out(),
        '--rows',
        '9:3',
      ],
      ['sample', '--sampler', 'ddpm'],
      ['eval', '--samples', out(), '--target', 'grid-2d', '--metrics', 'accuracy'],
      ['frobnicate'],
    ]) {
      const run = await rtk(...args);
      expect(run.code, args.join(' ')).toBe(EXIT_CODES.usage);
      expect(run.stderr, args.join(' ')).toMatch(/error|rtk:/);
      expectNoStack(run.stderr);
    }
  });

  test('a sample file of the wrong dimension or with NaN (exit 2 / 5)', async () => {
    const csv = join(dir, 'nan.csv');
    writeFileSync(csv, 'x0,x1\n1,2\nnan,3\n');
    const nan = await rtk('eval', '--samples', csv, '--target', 'grid-2d');
    expect(nan.code).toBe(EXIT_CODES.numeric);
    expect(nan.stderr).toMatch(/non-finite/);
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, '1,2,3\n4,5,6\n');
    const dim = await rtk('eval', '--samples', wide, '--target', 'grid-2d');
    expect(dim.code).toBe(EXIT_CODES.usage);
    expect(dim.stderr).toMatch(/dimension 3, but target grid-2d has dimension 2/);
  });

  test('no temporary files are left behind', () => {
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
