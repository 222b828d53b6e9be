/**
 * Worker lanes compute on the main thread's backend: a worker that would fall back to another backend fails with
 * `E_BACKEND` (exit code 6); with the main thread on cpu, 2 workers draw on cpu (the run's check of every chunk's
 * backend passes) and write the one-thread bytes; a chunk drawn on another backend than the run's is refused.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rowParts } from '@rtk-diffusion/samplers';
import { type BackendInfo, initBackend, isRtkError, tf } from '@rtk-diffusion/tensor';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { drawSamples } from './draw.js';
import { drawChunks, SAMPLE_WORKER_URL } from './draw-chunks.js';
import { activeBackend, startLaneBackend } from './lane-backend.js';
import { resolveTarget } from './resolve-target.js';
import { concatMatrices, type SampleMatrix } from './sample-matrix.js';

const built = existsSync(fileURLToPath(SAMPLE_WORKER_URL));

describe('startLaneBackend', () => {
  test('refuses a fallback with E_BACKEND, accepts the expected backend', async () => {
    const fallback = async (): Promise<BackendInfo> => ({
      name: 'cpu',
      requested: 'wasm',
      fallbackReason: 'the wasm backend could not start (test)',
      package: '@tensorflow/tfjs-backend-cpu',
      simd: false,
      threads: 1,
    });
    const error = await startLaneBackend('wasm', fallback).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRtkError(error, 'E_BACKEND')).toBe(true);
    expect((error as Error).message).toMatch(/could not start the 'wasm' backend.*'cpu'.*--workers 1/);
    const info = await startLaneBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
  });
});

describe.skipIf(!built)('workers follow the main thread’s backend', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'cpu' });
  });
  afterAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  test('main thread on cpu: 2 lanes draw on cpu and give the one-thread bytes; a forced other backend is refused', async () => {
    expect(tf.getBackend()).toBe('cpu');
    const { model } = await resolveTarget('grid-2d');
    const common = { model, target: 'grid-2d', sampler: 'rtk-mala', nfe: 30, seed: 4 };
    const whole = await drawSamples({ ...common, n: 40, rowOffset: 0 });
    const parts: SampleMatrix[] = [];
    await drawChunks({
      ...common,
      chunks: rowParts({ start: 0, end: 40 }, 4),
      workers: 2,
      onChunk: (_rows, samples) => void parts.push(samples),
    });
    expect(Array.from(concatMatrices(parts).values)).toEqual(Array.from(whole.samples.values));
    // The run's backend named explicitly as wasm while this lane computes on cpu: its chunks are refused.
    const error = await drawChunks({
      ...common,
      backend: 'wasm',
      chunks: rowParts({ start: 0, end: 40 }, 4),
      workers: 2,
      onChunk: () => {},
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRtkError(error, 'E_BACKEND')).toBe(true);
  }, 60_000);
});
