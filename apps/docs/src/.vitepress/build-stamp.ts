/**
 * A fingerprint of everything the site is built from, written into `dist/` by the build, so the browser test can
 * tell a fresh `dist/` from a stale one (left from an earlier checkout, or built before a source changed) and rebuild
 * instead of testing old pages. The inputs are those of turbo's build task (turbo.json): the docs' sources (tests
 * excluded), the packages' sources and manifests, and the committed results, as git lists them (tracked, plus
 * untracked files that are not ignored), hashed by path and content.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the build writes the stamp, relative to the output directory. */
export const STAMP_FILE = 'build-stamp.json';

const INPUTS = [
  'apps/docs/src',
  'apps/docs/package.json',
  'apps/docs/tsconfig.json',
  'apps/docs/tsconfig.api.json',
  ':(glob)packages/*/src/**',
  ':(glob)packages/*/package.json',
  'results',
];

/** The fingerprint of the build's inputs under `repoRoot`, or undefined when git cannot list them. */
export function inputsFingerprint(repoRoot: string): string | undefined {
  const git = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...INPUTS],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (git.status !== 0 || git.error !== undefined) return undefined;
  const files = [...new Set(git.stdout.split('\0'))]
    // tests do not change the site; Vite's temporary bundle of the config exists only while a build runs
    .filter((path) => path !== '' && !path.endsWith('.test.ts') && !/\.timestamp-\d+-\w+\.mjs$/.test(path))
    .sort();
  const hash = createHash('sha256');
  for (const path of files) {
    const file = join(repoRoot, path);
    hash.update(`${path}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : 'deleted');
    hash.update('\0');
  }
  hash.update(`RTK_DOCS_RESULTS_DIR=${process.env.RTK_DOCS_RESULTS_DIR ?? ''}`);
  return hash.digest('hex');
}

/** Whether `outDir` holds a build of exactly the current inputs. */
export function isFresh(outDir: string, repoRoot: string): boolean {
  const file = join(outDir, STAMP_FILE);
  if (!existsSync(file)) return false;
  const fingerprint = inputsFingerprint(repoRoot);
  if (fingerprint === undefined) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { inputs?: string }).inputs === fingerprint;
  } catch {
    return false;
  }
}
