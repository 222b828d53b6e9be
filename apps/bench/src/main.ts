/**
 * The benchmarks' command line: `run` (default; `pnpm bench`, `pnpm bench --full`), `compare A B` and `report DIR`.
 * `runBench` is the whole run: suite → pool of workers → results.json, showcase.json, plots, summary.md in
 * `results/<run-id>/`, written to `<run-id>.partial/` first and renamed when complete.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { cpus, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createProgress,
  EXIT_CODES,
  type ExitCode,
  exitCodeFor,
  formatError,
  METRIC_NAMES,
  METRICS,
  type Progress,
  TARGET_NAMES,
  UsageError,
  unknownNameError,
  writeFileAtomic,
} from '@rtk-diffusion/cli';
import { getSampler } from '@rtk-diffusion/samplers';
import {
  BACKEND_NAMES,
  type BackendName,
  initBackend,
  isRtkError,
  TFJS_VERSION,
} from '@rtk-diffusion/tensor';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatDuration } from './aggregate.js';
import { compareResults, comparisonText } from './compare.js';
import { NEURAL_SUITE_NAMES, runNeuralSuite } from './images/dispatch.js';
import { writePlots } from './plots.js';
import { createPool, defaultWorkers } from './pool.js';
import { type ResultsFile, readResults, readShowcase, type ShowcaseFile } from './results.js';
import { runSuite } from './run-suite.js';
import { restrictSuite, SUITES } from './suites.js';
import { summaryMarkdown, summaryText } from './summary.js';

/** Output streams (tests pass fakes). */
export interface BenchIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: NodeJS.WriteStream | { write(text: string): unknown; readonly isTTY?: boolean };
  /** Cancels a run (Ctrl-C): the jobs in flight finish, nothing is written. */
  readonly signal?: AbortSignal;
}

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  readonly suite: string;
  readonly targets?: readonly string[];
  readonly samplers?: readonly string[];
  /** Parent directory of the run directory; default `results/` at the repository root. */
  readonly out?: string;
  readonly runId?: string;
  /** Worker threads (0: inline). */
  readonly workers?: number;
  readonly backend?: BackendName;
  readonly quiet?: boolean;
}

/** Every suite `pnpm bench --suite` runs: the exact-score suites, then speed, images and toy. */
export const SUITE_NAMES: readonly string[] = Object.freeze([
  ...Object.keys(SUITES),
  'speed',
  ...NEURAL_SUITE_NAMES,
]);

/** `results/` at the root of the workspace (the nearest parent with pnpm-workspace.yaml), else in the cwd. */
export function defaultResultsDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return join(dir, 'results');
    dir = dirname(dir);
  }
  return resolve('results');
}

function gitCommit(): string | null {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** Writes plots and summary.md of a results directory (used by `run` and `report`). */
export async function writeReport(
  directory: string,
  results: ResultsFile,
  showcase: ShowcaseFile,
): Promise<void> {
  const plots = await writePlots(directory, results, showcase.targets);
  await writeFileAtomic(join(directory, 'summary.md'), summaryMarkdown(results, plots));
}

/** A progress reporter that, without a terminal, also logs a line at most every 20 s. */
function withPeriodicLog(progress: Progress, isTTY: boolean, quiet: boolean): Progress {
  if (isTTY || quiet) return progress;
  let total = 1;
  let last = 0;
  const started = Date.now();
  return {
    ...progress,
    setTotal: (value) => {
      total = value;
      progress.setTotal(value);
    },
    update: (done, label) => {
      progress.update(done, label);
      const now = Date.now();
      if (now - last < 20_000) return;
      last = now;
      const fraction = Math.min(1, done / total);
      const elapsed = (now - started) / 1000;
      const left = fraction > 0.02 ? formatDuration((elapsed * (1 - fraction)) / fraction) : '?';
      progress.log(
        `[${(100 * fraction).toFixed(0).padStart(3)}%] ${formatDuration(elapsed)} elapsed, ~${left} left (${label ?? ''})`,
      );
    },
  };
}

/** Runs a suite and writes `results/<run-id>/`; returns the directory and the results. */
export async function runBench(
  options: RunBenchOptions,
  io: BenchIo,
): Promise<{ directory: string; results: ResultsFile }> {
  const base = SUITES[options.suite];
  if (base === undefined) {
    if (!SUITE_NAMES.includes(options.suite))
      throw unknownNameError('suite', options.suite, SUITE_NAMES, { listTitle: 'Suites:' });
    throw new UsageError(
      `the ${options.suite} suite has its own runner: run it with pnpm bench --suite ${options.suite}`,
    );
  }
  for (const name of options.targets ?? []) {
    if (!TARGET_NAMES.includes(name))
      throw unknownNameError('target', name, TARGET_NAMES, { listTitle: 'Targets:' });
  }
  for (const name of options.samplers ?? []) getSampler(name);
  const suite = restrictSuite(base, {
    ...(options.targets ? { targets: options.targets } : {}),
    ...(options.samplers ? { samplers: options.samplers } : {}),
  });
  if (suite.targets.length === 0 || suite.samplers.length === 0)
    throw new UsageError('nothing to run: no target or no sampler left');
  const workers = options.workers ?? defaultWorkers();
  const runId = options.runId ?? `${new Date().toISOString().slice(0, 16).replace(':', '-')}-${suite.name}`;
  const parent = options.out ?? defaultResultsDirectory();
  const directory = join(parent, runId);
  const partial = `${directory}.partial`;
  if (existsSync(directory))
    throw new UsageError(`${directory} exists already; choose another --run-id or remove it`);
  await mkdir(partial, { recursive: true });
  const backend = options.backend ?? (process.env.RTK_BACKEND as BackendName | undefined) ?? 'wasm';
  if (workers === 0) await initBackend({ prefer: backend });
  const quiet = options.quiet === true;
  const isTTY = 'isTTY' in io.stderr && io.stderr.isTTY === true;
  const progress = withPeriodicLog(
    createProgress({ total: 1, quiet, showCounts: false, stream: io.stderr as NodeJS.WriteStream }),
    isTTY,
    quiet,
  );
  const pool = createPool({ workers, backend });
  try {
    const { results, showcase } = await runSuite({
      suite,
      pool,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      runId,
      progress,
      environment: {
        node: process.version,
        platform: `${platform()} ${release()}`,
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        cpus: cpus().length,
        backend,
        workers,
        tfjs: TFJS_VERSION,
        commit: gitCommit(),
      },
    });
    progress.stop();
    await writeFileAtomic(join(partial, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
    await writeFileAtomic(join(partial, 'showcase.json'), `${JSON.stringify(showcase)}\n`);
    if (!quiet) io.stderr.write('rendering plots…\n');
    await writeReport(partial, results, showcase);
    await rename(partial, directory);
    return { directory, results };
  } catch (error) {
    progress.stop();
    await rm(partial, { recursive: true, force: true });
    throw error;
  } finally {
    await pool.close();
  }
}

function list(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return names;
}

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError(`expected an integer ≥ 0, got '${value}'`);
  return parsed;
}

/** The value of `--suite NAME` / `--suite=NAME` in argv, if any. */
function suiteArgument(argv: readonly string[]): string | undefined {
  const at = argv.indexOf('--suite');
  if (at >= 0) return argv[at + 1];
  return argv.find((arg) => arg.startsWith('--suite='))?.slice('--suite='.length);
}

const RUN_EXAMPLES = `
Examples:
  $ pnpm bench                                       # quick suite → results/<date>-quick/
  $ pnpm bench --full                                # everything (hours)
  $ pnpm bench --targets grid-2d --samplers ddpm,rtk-mala,rtk-uld --run-id try1
  $ pnpm bench --suite images                        # learned scores (also: toy, speed)`;

const COMPARE_EXAMPLES = `
Examples:
  $ pnpm bench compare results/A results/B
  $ pnpm bench compare results/A results/B --metric slicedW2 --threshold 2 --json

Exit codes: 0 no regression, 2 bad arguments or an invalid results file, 4 a file could not be read, 7 regression.`;

const REPORT_EXAMPLES = `
Example:
  $ pnpm bench report results/A`;

/** Runs the benchmarks' command line on `argv` and returns the exit code (never throws). */
export async function main(argv: readonly string[], io: BenchIo): Promise<ExitCode> {
  // The speed suite has its own options (speed/cli.ts).
  if (suiteArgument(argv) === 'speed') return (await import('./speed/cli.js')).speedMain(argv, io);
  let code: ExitCode = EXIT_CODES.ok;
  const program = new Command('bench')
    .description('rtk-diffusion benchmarks: every sampler on suites of exact-score targets across NFE')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .addHelpText(
      'after',
      `${RUN_EXAMPLES}\n  $ pnpm bench compare results/A results/B\n  $ pnpm bench report results/A\n\n` +
        'Exit codes: 0 success, 1 internal error, 2 bad arguments or invalid file, 4 I/O failure, 7 regression ' +
        '(compare), 130 interrupted.',
    );
  program
    .command('run', { isDefault: true })
    .description('run a suite (default quick) and write results/<run-id>/')
    .option('--full', 'the full suite (same as --suite full)')
    .option('--suite <name>', `suite: ${SUITE_NAMES.join(', ')}`, 'quick')
    .option('--targets <list>', 'only these targets', list)
    .option('--samplers <list>', 'only these samplers', list)
    .option('--out <dir>', 'parent directory of the run (default: results/ at the repository root)')
    .option('--run-id <id>', 'name of the run directory (default: date-time-suite)')
    .option('--workers <n>', 'worker threads (0: run inline)', count)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(BACKEND_NAMES))
    .option('-q, --quiet', 'no progress output')
    .option('--retrain', 'images, toy: train the networks again instead of loading apps/bench/models/')
    .addHelpText('after', RUN_EXAMPLES)
    .action(async (options) => {
      if (NEURAL_SUITE_NAMES.includes(options.suite)) {
        const { directory, text } = await runNeuralSuite(options.suite, options, io);
        io.stdout.write(`\n${text}\nWrote ${directory}/\n`);
        return;
      }
      const { directory, results } = await runBench(
        { ...options, suite: options.full === true ? 'full' : options.suite },
        io,
      );
      io.stdout.write(
        `\n${summaryText(results)}\nWrote ${directory}/ (summary.md, results.json, plots) in ${formatDuration(results.durationSeconds)}.\n`,
      );
    });
  program
    .command('compare')
    .description('diff two runs and flag accuracy regressions beyond noise (exit code 7 when there are any)')
    .argument('<before>', 'results directory or results.json')
    .argument('<after>', 'results directory or results.json')
    .option(
      '--metric <name>',
      `metric, compared in its direction: ${METRIC_NAMES.map((m) => `${m} (${METRICS[m].higherIsBetter ? '↑' : '↓'})`).join(', ')}`,
      'marginalAccuracy',
    )
    .option('--threshold <k>', 'standard errors beyond which a change is flagged', Number, 3)
    .option('--json', 'machine-readable output')
    .addHelpText('after', COMPARE_EXAMPLES)
    .action(
      async (
        before: string,
        after: string,
        options: { metric: string; threshold: number; json?: boolean },
      ) => {
        const [a, b] = [await readResults(before), await readResults(after)];
        const comparison = compareResults(a, b, options);
        io.stdout.write(
          options.json === true
            ? `${JSON.stringify(comparison, null, 2)}\n`
            : comparisonText(comparison, a.runId, b.runId),
        );
        if (comparison.regressions.length > 0) code = EXIT_CODES.regression;
      },
    );
  program
    .command('report')
    .description('re-render summary.md and the plots of a results directory')
    .argument('<dir>', 'results directory')
    .addHelpText('after', REPORT_EXAMPLES)
    .action(async (dir: string) => {
      await writeReport(dir, await readResults(dir), await readShowcase(dir));
      io.stdout.write(`wrote ${join(dir, 'summary.md')} and the plots\n`);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    if (process.env.RTK_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    io.stderr.write(`${formatError(error).replace(/^rtk:/, 'bench:')}\n`);
    return isRtkError(error) ? exitCodeFor(error) : EXIT_CODES.internal;
  }
}
