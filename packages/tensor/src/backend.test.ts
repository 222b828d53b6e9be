import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, test } from 'vitest';
import { BACKEND_NAMES, type BackendName, initBackend } from './backend.js';
import { BackendError } from './errors.js';

const originalEnv = process.env.RTK_BACKEND;
afterEach(async () => {
  if (originalEnv === undefined) delete process.env.RTK_BACKEND;
  else process.env.RTK_BACKEND = originalEnv;
  await initBackend({ prefer: 'wasm' });
});

describe('initBackend', () => {
  test('defaults to wasm with SIMD in Node, without warnings', async () => {
    delete process.env.RTK_BACKEND;
    const warnings: string[] = [];
    const info = await initBackend({ onWarning: (m) => warnings.push(m) });
    expect(info).toMatchObject({ name: 'wasm', requested: 'wasm', simd: true });
    expect(info.threads).toBeGreaterThanOrEqual(1);
    expect(info.fallbackReason).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(tf.getBackend()).toBe('wasm');
  });

  test('selects cpu on request, and wasm again afterwards', async () => {
    expect(await initBackend({ prefer: 'cpu' })).toMatchObject({ name: 'cpu', simd: false, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ prefer: 'wasm' })).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  test('honours RTK_BACKEND when no preference is given', async () => {
    process.env.RTK_BACKEND = 'cpu';
    expect((await initBackend()).name).toBe('cpu');
    expect((await initBackend({ prefer: 'wasm' })).name).toBe('wasm');
  });

  test('an RTK_BACKEND that names no backend is a clear error', async () => {
    process.env.RTK_BACKEND = 'cuda';
    await expect(initBackend()).rejects.toThrow(BackendError);
    await expect(initBackend()).rejects.toThrow(
      /RTK_BACKEND='cuda' names no backend; choose one of wasm, cpu/,
    );
  });

  test("asking for 'tensorflow' without tfjs-node installed says what to install, and changes nothing", async () => {
    const error = await initBackend({ prefer: 'tensorflow' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe('E_BACKEND');
    expect((error as Error).message).toMatch(
      /@tensorflow\/tfjs-node-gpu \(CUDA\) or @tensorflow\/tfjs-node \(CPU\)/,
    );
    expect((error as Error).message).toMatch(/pnpm add @tensorflow\/tfjs-node@4\.22\.0/);
    expect((error as Error).message).toMatch(/not installed/);
    expect(tf.getBackend()).toBe('wasm');
  });

  test.each(['webgl', 'webgpu'] as const)(
    "asking for '%s' where it is not installed is a clear error",
    async (name) => {
      await expect(initBackend({ prefer: name })).rejects.toThrow(
        new RegExp(`needs @tensorflow/tfjs-backend-${name}@4\\.22\\.0: install it and import it`),
      );
      expect(tf.getBackend()).toBe('wasm');
    },
  );

  test('an unknown preference is rejected', async () => {
    await expect(initBackend({ prefer: 'gpu' as BackendName })).rejects.toThrow(/Unknown backend 'gpu'/);
  });

  test('lists every backend name', () => {
    expect([...BACKEND_NAMES].sort()).toEqual(['cpu', 'tensorflow', 'wasm', 'webgl', 'webgpu']);
  });
});
