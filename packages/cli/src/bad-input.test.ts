/**
 * The exit codes the help and the README promise for bad input (2 = invalid input, 4 = I/O failure), the nearest-name
 * suggestions for unknown `--set` keys and metrics, the help's examples and exit code 7, and `rtk eval`'s progress bar
 * and `--quiet`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { EXIT_CODES } from './errors.js';
import { type MetricName, prepareReference } from './evaluate.js';
import { evaluateSamples, METRIC_NAMES } from './index.js';
import { main } from './program.js';
import { writeSampleFile } from './sample-files.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-bad-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake stderr: a terminal (or not) that records what is written. */
function fakeStderr(isTTY: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (text: string) => writes.push(text) > 0,
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => undefined,
    removeListener: () => undefined,
  };
  return { writes, stream };
}

/** Runs `rtk …args` in-process; the test setup has started the backend. */
async function rtk(args: string[], options: { isTTY?: boolean; now?: () => number } = {}) {
  let stdout = '';
  const stderr = fakeStderr(options.isTTY ?? false);
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: stderr.stream as unknown as NodeJS.WriteStream,
    initBackend: async () => {},
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return { code, stdout, stderr: stderr.writes.join('') };
}

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('exit codes: 2 for invalid input, 4 for I/O failure', () => {
  test.each([
    ['a spec that is not JSON', 'spec.json', '{"weights": [1,', /target spec .* is not valid JSON/],
    [
      'a CSV value that is not a number',
      'bad.csv',
      'x0,x1\n1,2\n3,abc\n',
      /line 3, column 2: 'abc' is not a number/,
    ],
    ['a ragged CSV', 'ragged.csv', '1,2\n3\n', /line 2 has 1 values, expected 2/],
    ['sample JSON that is not JSON', 'bad.json', '[[1, 2],', /is not valid JSON/],
    ['sample JSON of the wrong shape', 'shape.json', '{"rows": []}', /expected a non-empty array of rows/],
    ['a .npy without the magic string', 'bad.npy', 'not numpy at all', /is not a \.npy file/],
  ])('%s: exit 2', async (_what, name, text, message) => {
    const path = write(name, text);
    const args = name.startsWith('spec')
      ? ['eval', '--samples', write('ok.csv', '0,0\n1,1\n'), '--target', path]
      : ['eval', '--samples', path, '--target', 'grid-2d'];
    const run = await rtk(args);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(message);
  });

  test('a missing sample or spec file: exit 4', async () => {
    const samples = await rtk(['eval', '--samples', join(dir, 'none.npy'), '--target', 'grid-2d']);
    expect(samples.code).toBe(EXIT_CODES.io);
    expect(samples.stderr).toMatch(/cannot read .*none\.npy: no such file/);
    const spec = await rtk([
      'eval',
      '--samples',
      write('ok2.csv', '0\n'),
      '--target',
      join(dir, 'none.json'),
    ]);
    expect(spec.code).toBe(EXIT_CODES.io);
  });

  test('a bad covariance entry says what is wrong, not just "Invalid input"', async () => {
    const path = write(
      'cov.json',
      JSON.stringify({
        weights: [1],
        means: [[0, 0]],
        covariances: [
          [
            [1, 0],
            [0, 'a'],
          ],
        ],
      }),
    );
    const run = await rtk([
      'sample',
      '--target',
      path,
      '--sampler',
      'ddpm',
      '--nfe',
      '5',
      '--n',
      '2',
      '--out',
      join(dir, 'x.npy'),
    ]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/covariances\[0\]: \[1\]\[1\]: must be a number, got "a"/);
    expect(run.stderr).not.toMatch(/Invalid input/);
  });
});

describe('unknown names: exit 2 with the nearest valid one', () => {
  const sample = (...extra: string[]) => [
    'sample',
    '--target',
    'grid-2d',
    '--nfe',
    '30',
    '--n',
    '10',
    '--out',
    join(dir, 'set.npy'),
    ...extra,
  ];

  test('an unknown --set key is an error, never silently ignored', async () => {
    const run = await rtk(sample('--sampler', 'rtk-mala', '--set', 'segmnts=3'));
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(
      /Unknown rtk-mala option 'segmnts'\. Did you mean 'segments'\? rtk-mala options: segments,/,
    );
    const none = await rtk(sample('--sampler', 'accel-det', '--set', 'eta=0.5'));
    expect(none.code).toBe(EXIT_CODES.usage);
    expect(none.stderr).toMatch(/accel-det has no options of its own/);
    const ok = await rtk(sample('--sampler', 'rtk-mala', '--set', 'segments=3', '--set', 'start=cold', '-q'));
    expect(ok.code).toBe(EXIT_CODES.ok);
  });

  test('--metrics of rtk eval and --metric of rtk bench', async () => {
    const samples = write('m.csv', '0,0\n1,1\n2,2\n');
    const run = await rtk([
      'eval',
      '--samples',
      samples,
      '--target',
      'grid-2d',
      '--metrics',
      'marginalAccuracy,mmdd',
    ]);
    expect(run.code).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/Unknown metric 'mmdd'\. Did you mean 'mmd'\? Metrics: marginalAccuracy,/);
    const bench = await rtk(['bench', '--target', 'grid-2d', '--metric', 'slicedW', '--nfe', '10']);
    expect(bench.code).toBe(EXIT_CODES.usage);
    expect(bench.stderr).toMatch(/Did you mean 'slicedW2'\?/);
  });
});

describe('help', () => {
  test('rtk --help lists exit code 7; list, target and bench show examples', async () => {
    expect((await rtk(['--help'])).stdout).toMatch(/\n {2}7 {4}a regression beyond noise/);
    expect((await rtk(['list', '--help'])).stdout).toContain('$ rtk list --json');
    expect((await rtk(['target', '--help'])).stdout).toContain('$ rtk target grid-2d --out my-grid.json');
    expect((await rtk(['bench', '--help'])).stdout).toContain('$ rtk bench --target paper-mixture');
  });
});

describe('rtk eval progress', () => {
  const samples = join(dir, 'progress.npy');

  test('a bar on a terminal once past a second; nothing with -q', async () => {
    await writeSampleFile(samples, {
      n: 300,
      d: 2,
      values: Float32Array.from({ length: 600 }, (_, i) => (i % 7) / 7),
    });
    let clock = 0;
    const now = () => (clock += 400); // every reading of the clock is 0.4 s later: the bar is due at once
    const shown = await rtk(['eval', '--samples', samples, '--target', 'grid-2d'], { isTTY: true, now });
    expect(shown.code).toBe(EXIT_CODES.ok);
    expect(shown.stderr).toContain('\u001b[?25l'); // the bar hid the cursor
    const quiet = await rtk(['eval', '--samples', samples, '--target', 'grid-2d', '-q'], {
      isTTY: true,
      now,
    });
    expect(quiet.code).toBe(EXIT_CODES.ok);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toMatch(/marginal accuracy/);
  });

  test('evaluateSamples reports each metric it was asked for, in order', async () => {
    const matrix = { n: 50, d: 2, values: Float64Array.from({ length: 100 }, (_, i) => Math.sin(i)) };
    const reference = await prepareReference(matrix);
    const seen: MetricName[] = [];
    await evaluateSamples(matrix, reference, ['mmd', 'marginalAccuracy', 'modeWeightTv'], (m) =>
      seen.push(m),
    );
    expect(seen).toEqual(['marginalAccuracy', 'mmd', 'modeWeightTv']);
    const all: MetricName[] = [];
    await evaluateSamples(matrix, reference, METRIC_NAMES, (m) => all.push(m));
    expect(all).toEqual([...METRIC_NAMES]);
  });
});
