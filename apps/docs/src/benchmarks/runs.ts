/**
 * Finding the committed benchmark runs: every `results/<run-id>/results.json` (and `apps/bench/results/…`) that git
 * tracks, read defensively, grouped by suite, newest first. The benchmark pages always show the latest committed run
 * of each suite, so a new committed run replaces the old one on the site with no edit (no run id is written anywhere).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A parsed results file. */
export interface RunFile {
  /** Absolute path of the run directory. */
  readonly dir: string;
  /** Absolute path of its `results.json`. */
  readonly file: string;
  /** The parsed JSON (an object with a `schema` starting with `rtk-diffusion-bench`). */
  readonly json: Readonly<Record<string, unknown>>;
  readonly schema: string;
  readonly suite: string;
  readonly runId: string;
  readonly createdAt: string;
}

/** What was found: the readable runs (newest first) and how many `results.json` files were looked at. */
export interface RunScan {
  readonly runs: readonly RunFile[];
  readonly files: number;
}

/** A JSON object (not an array, not null). */
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** A JSON string, else `fallback`. */
export const text = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
/** A finite JSON number, else undefined. */
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** The results directories of a checkout: `results/` and `apps/bench/results/`. */
export function resultsDirectories(repoRoot: string): string[] {
  return [join(repoRoot, 'results'), join(repoRoot, 'apps', 'bench', 'results')];
}

/**
 * The files git tracks under `repoRoot` (paths relative to it), or undefined when `repoRoot` is not a git checkout
 * (a source tarball, a test fixture): then every run on disk counts.
 */
function trackedFiles(repoRoot: string): Set<string> | undefined {
  const git = spawnSync('git', ['ls-files', '-z', '--', 'results', join('apps', 'bench', 'results')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (git.status !== 0 || git.error !== undefined) return undefined;
  const inside = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: repoRoot, encoding: 'utf8' });
  // Only when repoRoot is the top of the checkout do `ls-files` paths line up with ours.
  if (inside.status !== 0 || inside.stdout.trim() !== '') return undefined;
  return new Set(git.stdout.split('\0').filter((path) => path !== ''));
}

/**
 * Every readable run under `directories` (one level: `<dir>/<run>/results.json`; `.partial` runs skipped), newest
 * first by `createdAt`, then by directory name. With `committedOnly`, runs whose `results.json` git does not track
 * (local runs, ignored by `results/.gitignore`) are left out when `repoRoot` is a git checkout.
 */
export function scanRuns(repoRoot: string, directories: readonly string[], committedOnly: boolean): RunScan {
  const tracked = committedOnly ? trackedFiles(repoRoot) : undefined;
  const files = directories
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir)
        .filter((name) => !name.endsWith('.partial'))
        .map((name) => join(dir, name, 'results.json')),
    )
    .filter((file) => existsSync(file) && statSync(file).isFile())
    .filter((file) => tracked === undefined || tracked.has(relative(repoRoot, file).split('\\').join('/')));
  const runs = files.flatMap((file): RunFile[] => {
    try {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!isObject(json) || !text(json.schema).startsWith('rtk-diffusion-bench')) return [];
      const dir = join(file, '..');
      return [
        {
          dir,
          file,
          json,
          schema: text(json.schema),
          suite: text(json.suite, '?'),
          runId: text(json.runId, relative(join(dir, '..'), dir)),
          createdAt: text(json.createdAt),
        },
      ];
    } catch {
      return [];
    }
  });
  runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.dir.localeCompare(a.dir));
  return { runs, files: files.length };
}

/** The newest run of `suite` (or of the first of several suites that has one, by recency), if any. */
export function latestOf(scan: RunScan, suites: readonly string[]): RunFile | undefined {
  return scan.runs.find((run) => suites.includes(run.suite));
}

/** The backends a speed run measured successfully, in its order. */
export function speedBackends(run: RunFile): string[] {
  const backends = Array.isArray(run.json.backends) ? run.json.backends.filter(isObject) : [];
  return backends.filter((b) => b.status === 'ok').map((b) => text(b.backend, '?'));
}

/** Whether a speed run includes the PyTorch comparison. */
export function hasPeer(run: RunFile): boolean {
  return isObject(run.json.peer) && run.json.peer.status === 'ok';
}

/**
 * The speed runs to show: the newest run with the PyTorch comparison first, then, for every backend ever measured,
 * the newest run that measured it (newest first), each run once. (One speed run may cover only some backends, e.g. a
 * cpu-only re-run, so "the latest speed run" alone could hide the default backend.)
 */
export function latestSpeedRuns(scan: RunScan): RunFile[] {
  const speed = scan.runs.filter((run) => run.suite === 'speed');
  const chosen = new Set<RunFile>();
  const seen = new Set<string>();
  for (const run of speed) {
    const fresh = speedBackends(run).filter((backend) => !seen.has(backend));
    for (const backend of fresh) seen.add(backend);
    if (fresh.length > 0) chosen.add(run);
  }
  const peer = speed.find(hasPeer);
  return [...(peer === undefined ? [] : [peer]), ...speed.filter((run) => chosen.has(run) && run !== peer)];
}
