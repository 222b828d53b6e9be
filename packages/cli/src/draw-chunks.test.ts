/**
 * Row chunks, in this thread and on worker threads: the samples are bit-identical to one single-thread run, and a
 * cancelled run leaves no file. The worker tests need the built worker script (dist/sample-worker.js; turbo builds
 * before testing) and are skipped, with a message, without it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowChunks } from '@rtk-diffusion/samplers';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { sampleChunks } from './commands/sample.js';
import { drawSamples } from './draw.js';
import { drawChunks, SAMPLE_WORKER_URL } from './draw-chunks.js';
import { EXIT_CODES } from './errors.js';
import { main } from './program.js';
import { resolveTarget } from './resolve-target.js';
import { concatMatrices, type SampleMatrix } from './sample-matrix.js';
import { builtExecArgv } from './worker-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'rtk-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const built = existsSync(fileURLToPath(SAMPLE_WORKER_URL));
if (!built) {
  console.warn(
    'SKIPPED worker tests in draw-chunks.test.ts: dist/sample-worker.js is not built (run `pnpm build`)',
  );
}

async function rtk(args: string[], signal?: AbortSignal) {
  let stderr = '';
  const code = await main(args, {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    initBackend: async () => {},
    ...(signal === undefined ? {} : { signal }),
  });
  return { code, stderr };
}

describe('drawChunks in this thread', () => {
  test('chunks arrive in row order and stack into the single run (rtk-mala, bit for bit); no tensor leaks', async () => {
    const { model } = await resolveTarget('grid-2d');
    const common = { model, sampler: 'rtk-mala', nfe: 30, seed: 4 };
    const whole = await drawSamples({ ...common, n: 23, rowOffset: 5 });
    const seen: number[] = [];
    const parts: SampleMatrix[] = [];
    await expectNoTensorLeak(async () => {
      const result = await drawChunks({
        ...common,
        chunks: rowChunks({ start: 5, end: 28 }, 7),
        batchSize: 3,
        onChunk: (rows, samples) => {
          seen.push(rows.start);
          parts.push(samples);
        },
      });
      expect(result.nfe).toBe(whole.nfe);
      expect(result.workers).toBe(1);
    });
    expect(seen).toEqual([5, 12, 19, 26]);
    expect(concatMatrices(parts).values).toEqual(whole.samples.values);
  });

  test('rtk sample --chunk streams .npy and .csv with the bytes of the whole run; .json is refused', async () => {
    const base = ['sample', '--target', 'grid-2d', '--sampler', 'rtk-mala', '--nfe', '30', '--n', '50', '-q'];
    for (const format of ['npy', 'csv']) {
      expect((await rtk([...base, '--out', join(dir, `whole.${format}`)])).code).toBe(0);
      expect((await rtk([...base, '--chunk', '15', '--out', join(dir, `chunked.${format}`)])).code).toBe(0);
      expect(readFileSync(join(dir, `chunked.${format}`))).toEqual(
        readFileSync(join(dir, `whole.${format}`)),
      );
    }
    const json = await rtk([...base, '--chunk', '15', '--out', join(dir, 'chunked.json')]);
    expect(json.code).toBe(EXIT_CODES.usage);
    expect(json.stderr).toMatch(/cannot stream to .*chunked\.json.*write \.npy or \.csv with --chunk/);
  });

  test('sampleChunks: --chunk rows each, else 4 per worker', () => {
    expect(sampleChunks({ start: 0, end: 10 }, { chunk: 4, workers: 2 }).map((c) => c.end)).toEqual([
      4, 8, 10,
    ]);
    expect(sampleChunks({ start: 0, end: 16 }, { workers: 2 }).map((c) => c.end)).toEqual([
      2, 4, 6, 8, 10, 12, 14, 16,
    ]);
    expect(sampleChunks({ start: 0, end: 10 }, {})).toEqual([{ start: 0, end: 10 }]);
  });
});

describe.skipIf(!built)('rtk sample --workers', () => {
  const run = (sampler: string, out: string, ...extra: string[]) =>
    rtk([
      'sample',
      '--target',
      'grid-2d',
      '--sampler',
      sampler,
      '--nfe',
      '30',
      '--n',
      '90',
      '--seed',
      '2',
      '--out',
      join(dir, out),
      ...extra,
    ]);

  test('2 workers (and 2 workers with --chunk) write the bytes of the one-thread run', async () => {
    for (const sampler of ['rtk-mala', 'ddpm']) {
      expect((await run(sampler, `${sampler}-1.npy`)).code).toBe(EXIT_CODES.ok);
      const two = await run(sampler, `${sampler}-2.npy`, '--workers', '2');
      expect(two.stderr).toBe('');
      expect(two.code).toBe(EXIT_CODES.ok);
      const one = readFileSync(join(dir, `${sampler}-1.npy`));
      expect(readFileSync(join(dir, `${sampler}-2.npy`))).toEqual(one);
      if (sampler === 'ddpm') {
        expect((await run(sampler, 'ddpm-chunked.npy', '--workers', '2', '--chunk', '25')).code).toBe(0);
        expect(readFileSync(join(dir, 'ddpm-chunked.npy'))).toEqual(one);
      }
    }
  }, 60_000);

  test('a cancelled run stops the workers and leaves no file (exit 130)', async () => {
    const before = readdirSync(dir).length;
    const controller = new AbortController();
    controller.abort();
    const cancelled = await rtk(
      [
        'sample',
        '--target',
        'grid-2d',
        '--sampler',
        'ddpm',
        '--nfe',
        '30',
        '--n',
        '90',
        '--workers',
        '2',
        '--chunk',
        '30',
        '--out',
        join(dir, 'gone.npy'),
      ],
      controller.signal,
    );
    expect(cancelled.code).toBe(EXIT_CODES.interrupted);
    expect(cancelled.stderr).toMatch(/cancelled/);
    expect(readdirSync(dir).length).toBe(before); // no gone.npy, no temporary file
  }, 30_000);

  test("a worker's error reaches the command with its code (divergence: exit 5), no file", async () => {
    const diverged = await run('rtk-ula', 'diverged.npy', '--workers', '2', '--set', 'stepSize=1000');
    expect(diverged.code).toBe(EXIT_CODES.numeric);
    expect(diverged.stderr).toMatch(/non-finite/);
    expect(existsSync(join(dir, 'diverged.npy'))).toBe(false);
  });

  test('builtExecArgv drops export conditions only', () => {
    expect(
      builtExecArgv(['--conditions', 'x', '--require', 'a.cjs', '-C', 'y', '--conditions=z', '-C=w']),
    ).toEqual(['--require', 'a.cjs']);
  });

  test('--workers takes an integer ≥ 1 or auto', async () => {
    const bad = await run('ddpm', 'bad.npy', '--workers', '0');
    expect(bad.code).toBe(EXIT_CODES.usage);
    expect(bad.stderr).toMatch(/expected an integer ≥ 1 or 'auto'/);
  });
});
