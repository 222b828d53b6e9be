/**
 * Test fixtures of the benchmark readers: a throw-away checkout with the given files, removed after each test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A temporary directory holding `files` (path → text, or a value written as JSON); removed after the test. */
export function repoWith(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'rtk-docs-bench-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}
