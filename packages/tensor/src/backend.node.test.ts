/**
 * Runs the built package (dist) in fresh Node processes: the way users load it, and the only way to see the wasm
 * backend fail to start (once started in a process, it stays started). Needs `pnpm build` first; turbo's `test` task
 * depends on `build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function runModule(source: string, env: Record<string, string> = {}): { stdout: string; stderr: string } {
  if (!existsSync(`${packageDir}/dist/index.js`)) {
    throw new Error('packages/tensor/dist is missing: run `pnpm build` (turbo does it before `test`)');
  }
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageDir,
    env: { ...process.env, RTK_BACKEND: '', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { stdout: output, stderr: '' };
}

describe('the built package in plain Node', () => {
  test('imports as ESM and starts the wasm backend with SIMD', () => {
    const { stdout } = runModule(`
      import { initBackend, createRng, tf } from '@rtk-diffusion/tensor';
      const info = await initBackend();
      const z = createRng(1).normal([2, 2]);
      console.log(JSON.stringify({ info, backend: tf.getBackend(), shape: z.shape }));
    `);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.info).toMatchObject({ name: 'wasm', simd: true });
    expect(result.backend).toBe('wasm');
    expect(result.shape).toEqual([2, 2]);
  });

  test('falls back to cpu with a warning when the wasm files cannot be loaded', () => {
    const { stdout } = runModule(`
      import { initBackend, tf } from '@rtk-diffusion/tensor';
      const warnings = [];
      const original = console.error;
      console.error = () => {}; // tfjs logs the failed initialisation itself
      const info = await initBackend({ wasmPaths: '/nonexistent/', onWarning: (m) => warnings.push(m) });
      console.error = original;
      console.log(JSON.stringify({ info, warnings, backend: tf.getBackend() }));
    `);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result.backend).toBe('cpu');
    expect(result.info).toMatchObject({ name: 'cpu', requested: 'wasm' });
    expect(result.info.fallbackReason).toMatch(/wasm backend could not start/);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/falling back to the slower cpu backend/);
  });
});
