/**
 * The built executable (dist/bin.js, built by turbo before `test`): it runs under plain Node, sets exit codes, and a
 * Ctrl-C (SIGINT) mid-run exits 130 leaving neither the output file nor a temporary file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const built = existsSync(bin);
if (!built)
  console.warn('SKIPPED bin.test.ts: dist/bin.js is not built (run `pnpm build`, or test through turbo)');

const dir = mkdtempSync(join(tmpdir(), 'rtk-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rtk(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, RTK_DEBUG: '' },
  });
}

describe.skipIf(!built)('dist/bin.js', () => {
  test('has a node shebang and prints help', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = rtk('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: rtk');
  });

  test('sample writes a NumPy file; errors exit with their codes and no stack', () => {
    const out = join(dir, 's.npy');
    const ok = rtk(
      'sample',
      '--target',
      'grid-2d',
      '--sampler',
      'ddpm',
      '--nfe',
      '20',
      '--n',
      '50',
      '--out',
      out,
    );
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(readFileSync(out).subarray(1, 6).toString()).toBe('NUMPY');
    const unknown = rtk(
      'sample',
      '--target',
      'grid-2d',
      '--sampler',
      'ddmp',
      '--nfe',
      '20',
      '--n',
      '5',
      '--out',
      out,
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      "rtk: Unknown sampler 'ddmp'. Did you mean 'ddpm'? Registered: ddpm, ddim, pf-ode, accel-det, accel-stoch, dpmpp-2m, rtk-ula, rtk-mala, rtk-mala-score, rtk-uld",
    );
    expect(
      rtk('sample', '--target', 'grid-2d', '--sampler', 'rtk-mala', '--nfe', '3', '--n', '5', '--out', out)
        .status,
    ).toBe(3);
  });

  test('Ctrl-C mid-run: exit 130, no output file, no temporary file', async () => {
    const out = join(dir, 'interrupted.npy');
    const child = spawn(
      process.execPath,
      // 100 000 steps of DDPM on a 100-D target: minutes of work, so the interrupt always comes mid-run
      [
        bin,
        'sample',
        '--target',
        'gaussian-100d',
        '--sampler',
        'ddpm',
        '--nfe',
        '100000',
        '--grid',
        'ouUniform',
        '--n',
        '500',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // interrupt once it has started computing
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((name) => name.includes('interrupted'))).toEqual([]);
  });
});
