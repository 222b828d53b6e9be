/**
 * A real Ctrl-C on the built `rtk train` (dist/bin.js, built by turbo before `test`): SIGINT mid-run writes a
 * checkpoint and exits 130; `--resume` then finishes the run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const built = existsSync(bin);
if (!built)
  console.warn(
    'SKIPPED train.bin.test.ts: dist/bin.js is not built (run `pnpm build`, or test through turbo)',
  );

const dir = mkdtempSync(join(tmpdir(), 'rtk-train-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!built)('rtk train (dist/bin.js)', () => {
  test('SIGINT mid-run: a checkpoint, exit 130, no stack; --resume finishes', async () => {
    const out = join(dir, 'run');
    // a million steps: the interrupt always comes mid-run
    const args = [
      'train',
      '--data',
      'two-moons',
      '--n',
      '200',
      '--hidden',
      '8',
      '--depth',
      '1',
      '--embedding',
      '4',
    ];
    const child = spawn(
      process.execPath,
      [bin, ...args, '--steps', '1000000', '--checkpoint-every', '20', '--out', out],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RTK_DEBUG: '' },
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    // interrupt once training runs: the first periodic checkpoint has been written
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(out, 'checkpoint.json')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /);
    const step = Number(/training interrupted: checkpoint at step (\d+) of 1000000/.exec(stderr)?.[1]);
    expect(step, stderr).toBeGreaterThanOrEqual(20);
    expect(JSON.parse(readFileSync(join(out, 'checkpoint.json'), 'utf8')).step).toBe(step);
    const resumed = spawnSync(
      process.execPath,
      [bin, ...args, '--steps', String(step + 5), '--resume', '--out', out],
      {
        encoding: 'utf8',
      },
    );
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`for ${step + 5} steps (resumed at step ${step})`);
    expect(existsSync(join(out, 'rtk-network.json'))).toBe(true);
  }, 60_000);
});
