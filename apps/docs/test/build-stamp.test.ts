/**
 * The build stamp that tells the browser test whether dist/ is a build of the current sources.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { inputsFingerprint, isFresh, STAMP_FILE } from '../src/.vitepress/build-stamp.js';
import { repoWith } from '../src/benchmarks/test-support.js';

function checkout(): string {
  const root = repoWith({
    'apps/docs/src/index.md': '# Home',
    'apps/docs/src/a.test.ts': 'test',
    'packages/tensor/src/index.ts': 'export {};',
    'packages/tensor/package.json': '{}',
    'results/r1/results.json': '{}',
    'other/file.txt': 'not an input',
  });
  spawnSync('git', ['init', '-q'], { cwd: root });
  spawnSync('git', ['add', '.'], { cwd: root });
  return root;
}

describe('build stamp', () => {
  test('the fingerprint follows the inputs and nothing else', () => {
    const root = checkout();
    const first = inputsFingerprint(root);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsFingerprint(root)).toBe(first);
    // not inputs: a test, a file outside the inputs, Vite's temporary config bundle
    writeFileSync(join(root, 'apps/docs/src/a.test.ts'), 'changed');
    writeFileSync(join(root, 'other/file.txt'), 'changed');
    writeFileSync(join(root, 'apps/docs/src/config.ts.timestamp-1-ab12.mjs'), 'temp');
    expect(inputsFingerprint(root)).toBe(first);
    // inputs: a package source (tracked), a new untracked results file
    writeFileSync(join(root, 'packages/tensor/src/index.ts'), 'export const x = 1;');
    const second = inputsFingerprint(root);
    expect(second).not.toBe(first);
    writeFileSync(join(root, 'results/r1/summary.md'), '# run');
    expect(inputsFingerprint(root)).not.toBe(second);
  });

  test('isFresh: only a stamp with the current fingerprint', () => {
    const root = checkout();
    const dist = join(root, 'dist');
    mkdirSync(dist);
    expect(isFresh(dist, root)).toBe(false);
    writeFileSync(join(dist, STAMP_FILE), JSON.stringify({ inputs: inputsFingerprint(root) }));
    expect(isFresh(dist, root)).toBe(true);
    writeFileSync(join(root, 'apps/docs/src/index.md'), '# Changed');
    expect(isFresh(dist, root)).toBe(false);
  });
});
