/**
 * `pnpm bench --suite speed`: the speed suite's own command line (main.ts hands it every argument). Options keep it
 * controllable: `--sizes`, `--backends`, `--samplers`, `--nfe`, `--repeats`, `--score-repeats`, `--max-run-seconds`,
 * `--no-peer`, `--run-id`, `--out`.
 */
import { EXIT_CODES, type ExitCode, exitCodeFor, formatError } from '@rtk-diffusion/cli';
import { BACKEND_NAMES, type BackendName, isRtkError } from '@rtk-diffusion/tensor';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { formatDuration } from '../aggregate.js';
import type { BenchIo } from '../main.js';
import { speedSummaryText } from './report.js';
import { runSpeed, writeSpeedReport } from './run-speed.js';
import { parseSizes } from './sizes.js';
import { readSpeedResults } from './speed-results.js';

function list(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return names;
}

function positive(value: string): number {
  const parsed = Number(value);
  if (!(Number.isInteger(parsed) && parsed > 0))
    throw new InvalidArgumentError(`expected an integer ≥ 1, got '${value}'`);
  return parsed;
}

function backends(value: string): BackendName[] {
  const names = list(value);
  for (const name of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(name))
      throw new InvalidArgumentError(`unknown backend '${name}'; choose from ${BACKEND_NAMES.join(', ')}`);
  }
  return names as BackendName[];
}

function sizes(value: string) {
  try {
    return parseSizes(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** Runs the speed suite's command line on `argv` and returns the exit code (never throws). */
export async function speedMain(argv: readonly string[], io: BenchIo): Promise<ExitCode> {
  const program = new Command('bench')
    .description(
      'speed suite: score evaluations/s and samples/s per sampler and backend, the floor (roofline), and PyTorch side by side',
    )
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout.write(t), writeErr: (t) => io.stderr.write(t) })
    .requiredOption('--suite <name>', 'speed')
    .option('--sizes <list>', "NxDxK,… or 'issue' (10000x2x8,100000x10x16,1000x784x10) or 'tiny'", sizes)
    .option(
      '--backends <list>',
      'backends (default wasm,cpu,tensorflow; unavailable ones are skipped)',
      backends,
    )
    .option('--samplers <list>', 'samplers (default: every registered one)', list)
    .option('--nfe <n>', 'NFE budget of every sampler run', positive, 100)
    .option('--repeats <n>', 'timed sampler runs after a warm-up', positive, 3)
    .option('--score-repeats <n>', 'timed score evaluations after a warm-up', positive, 5)
    .option('--max-run-seconds <s>', 'skip sampler cells estimated to take longer per run', Number, 20)
    .option('--no-peer', 'do not run the PyTorch peer')
    .option('--out <dir>', 'parent directory of the run (default: results/ at the repository root)')
    .option('--run-id <id>', 'name of the run directory (default: date-time-speed)')
    .option('-q, --quiet', 'no progress output')
    .option('--report <dir>', 're-render summary.md and the plot of a speed run from its results.json')
    .action(async (options) => {
      if (options.suite !== 'speed') throw new InvalidArgumentError(`expected --suite speed`);
      if (options.report !== undefined) {
        const results = await readSpeedResults(options.report);
        await writeSpeedReport(options.report, results);
        io.stdout.write(`${speedSummaryText(results)}\nRe-rendered ${options.report}/summary.md\n`);
        return;
      }
      const { directory, results } = await runSpeed(
        {
          ...(options.sizes ? { sizes: options.sizes } : {}),
          ...(options.backends ? { backends: options.backends } : {}),
          ...(options.samplers ? { samplers: options.samplers } : {}),
          nfe: options.nfe,
          samplerRepeats: options.repeats,
          scoreRepeats: options.scoreRepeats,
          maxRunSeconds: options.maxRunSeconds,
          peer: options.peer !== false,
          ...(options.out ? { out: options.out } : {}),
          ...(options.runId ? { runId: options.runId } : {}),
          quiet: options.quiet === true,
        },
        io,
      );
      io.stdout.write(
        `\n${speedSummaryText(results)}\nWrote ${directory}/ (summary.md, results.json${results.comparisons.length > 0 ? ', speed.png' : ''}) in ${formatDuration(results.durationSeconds)}.\n`,
      );
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    if (process.env.RTK_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    io.stderr.write(`${formatError(error).replace(/^rtk:/, 'bench:')}\n`);
    return isRtkError(error) ? exitCodeFor(error) : EXIT_CODES.internal;
  }
}
