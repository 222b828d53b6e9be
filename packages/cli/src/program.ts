/**
 * The `rtk` command line (commander): `list`, `target`, `sample`, `eval`, `bench`. `main` parses arguments, runs one
 * command and returns its exit code; it never throws and never prints a stack trace (unless `RTK_DEBUG=1`).
 */
import { createRequire } from 'node:module';
import { BACKEND_NAMES, type BackendName, isRtkError } from '@rtk-diffusion/tensor';
import { Command, CommanderError, Option } from 'commander';
import { runBench } from './commands/bench.js';
import { runEval } from './commands/eval.js';
import { runList, runTarget } from './commands/list.js';
import { runMerge } from './commands/merge.js';
import { runSample, workerCount } from './commands/sample.js';
import { registerTrain } from './commands/train.js';
import { type CliIo, createContext } from './context.js';
import { EXIT_CODES, type ExitCode, errorJson, exitCodeFor, formatError } from './errors.js';
import { collectSetting, gridChoice, integerAtLeast, integerList, nameList, rowRange } from './options.js';
import { SAMPLER_OPTION_NAMES } from './sampler-options.js';

const EXIT_HELP = `
Exit codes:
  0    success
  1    internal error (a bug: please report it)
  2    invalid input: unknown option or name, malformed option value, invalid spec or sample file
  3    NFE budget too small for the sampler
  4    I/O failure: a file could not be read or written
  5    NaN or Inf: the sampler diverged, or the samples are not finite
  6    the compute backend could not start
  7    a regression beyond noise (pnpm bench compare; rtk itself never returns it)
  130  interrupted (Ctrl-C)

Environment: RTK_BACKEND=wasm|cpu|tensorflow chooses the backend (default wasm); RTK_DEBUG=1 prints stacks.`;

const SAMPLE_EXAMPLES = `
Examples:
  $ rtk sample --target paper-mixture --sampler rtk-mala --nfe 105 --n 4000 --seed 0 --out samples.npy
  $ rtk sample --target spec.json --sampler ddpm --nfe 200 --n 1000 --grid logSnrUniform --out ddpm.csv
  $ rtk sample --target paper-mixture --sampler rtk-uld --nfe 505 --set segments=10 --n 4000 --out uld.json
  $ rtk sample --target grid-2d --sampler ddim --nfe 50 --n 100000 --rows 50000:100000 --out second-half.npy
  $ rtk sample --target grid-2d --sampler ddpm --nfe 100 --n 1000000 --workers auto --chunk 50000 --out big.npy`;

const LIST_EXAMPLES = `
Examples:
  $ rtk list
  $ rtk list --json | jq '.samplers[] | {name, minNfe}'`;

const TARGET_EXAMPLES = `
Examples:
  $ rtk target paper-mixture
  $ rtk target grid-2d --out my-grid.json     # edit it, then: rtk sample --target my-grid.json …`;

const EVAL_EXAMPLES = `
Examples:
  $ rtk eval --samples samples.npy --target paper-mixture
  $ rtk eval --samples ddpm.csv --target spec.json --metrics marginalAccuracy,mmd --json`;

const BENCH_EXAMPLES = `
Examples:
  $ rtk bench --target paper-mixture --samplers ddpm,rtk-mala,rtk-uld --nfe 25,105,505 --n 2000
  $ rtk bench --target grid-2d --nfe 20,100 --metric modeWeightTv --json > sweep.json`;

/** Builds the commander program; `run` receives each command's action. */
function buildProgram(
  io: CliIo,
  state: { exit: ExitCode; json: boolean; backend: BackendName | undefined },
): Command {
  const context = createContext(io, () => state.backend);
  const program = new Command('rtk')
    .description('Diffusion samplers at equal cost: sample, evaluate and benchmark (rtk-diffusion)')
    .version(VERSION, '-V, --version')
    .addOption(
      new Option('--backend <name>', 'TensorFlow.js backend (default: RTK_BACKEND, else wasm)').choices(
        BACKEND_NAMES,
      ),
    )
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', EXIT_HELP)
    .hook('preAction', (command) => {
      state.backend = command.opts<{ backend?: BackendName }>().backend;
    });

  program
    .command('list')
    .description('list the samplers (with their NFE cost) and the built-in targets')
    .option('--json', 'machine-readable output')
    .addHelpText('after', LIST_EXAMPLES)
    .action((options: { json?: boolean }) => {
      state.json = options.json === true;
      runList(context, options);
    });

  program
    .command('target')
    .description("print a built-in target's JSON mixture spec (a template for --target spec.json)")
    .argument('<name>', 'built-in target name (see rtk list)')
    .option('--out <file>', 'write it to a file instead of stdout')
    .addHelpText('after', TARGET_EXAMPLES)
    .action((name: string, options: { out?: string }) => runTarget(context, name, options));

  program
    .command('sample')
    .description('draw samples from a target with a sampler at an NFE budget')
    .requiredOption('--target <name|spec.json>', 'built-in target or JSON mixture/Gaussian spec file')
    .requiredOption('--sampler <name>', 'registered sampler (see rtk list)')
    .requiredOption('--nfe <n>', 'budget of score evaluations', integerAtLeast(1))
    .option('--n <n>', 'number of samples (rows of the seeded run)', integerAtLeast(1))
    .option('--seed <s>', 'seed of the run', integerAtLeast(0), 0)
    .requiredOption('--out <file>', 'output file: .npy (NumPy), .csv or .json')
    .option(
      '--rows <start:end>',
      'only rows [start, end) of the seeded run (identical to the same rows of a full run); records OUT.meta.json for rtk merge',
      rowRange,
    )
    .option(
      '--grid <schedule|json>',
      'grid: a schedule name, \'{"schedule":…,"options":…}\' or \'[levels]\'',
      gridChoice,
    )
    .option(
      '--set <key=value>',
      `a sampler option, repeatable (RTK: ${SAMPLER_OPTION_NAMES['rtk-mala'].join(', ')}; ddpm: variance; ddim: eta)`,
      collectSetting,
    )
    .option(
      '--batch-size <rows>',
      'rows per batch (memory); the samples do not depend on it',
      integerAtLeast(1),
    )
    .option(
      '--workers <n|auto>',
      'worker threads drawing row chunks (same samples); auto = cores',
      workerCount,
    )
    .option(
      '--chunk <rows>',
      'stream to .npy/.csv this many rows at a time (bounded memory)',
      integerAtLeast(1),
    )
    .option('--json', 'print a JSON summary instead of a sentence')
    .option('-q, --quiet', 'no progress bar, no summary')
    .addHelpText('after', SAMPLE_EXAMPLES)
    .action(async (options) => {
      state.json = options.json === true;
      await runSample(context, {
        ...options,
        ...(state.backend === undefined ? {} : { backend: state.backend }),
      });
    });

  program
    .command('merge')
    .description(
      'stack the files of rtk sample --rows runs into the file of the one big run (checks the parts)',
    )
    .argument('<out>', 'output file: .npy, .csv or .json')
    .argument('<parts...>', 'the parts, in any order when they carry run metadata')
    .option('--json', 'print a JSON summary')
    .option('-q, --quiet', 'no summary')
    .addHelpText('after', '\nExample:\n  $ rtk merge all.npy part-0.npy part-1.npy part-2.npy')
    .action(async (out: string, parts: string[], options: { json?: boolean; quiet?: boolean }) => {
      state.json = options.json === true;
      await runMerge(context, out, parts, options);
    });

  program
    .command('eval')
    .description("score samples against a target's ground truth (marginal accuracy, MMD, sliced W2, …)")
    .requiredOption('--samples <file>', 'samples: .npy, .csv or .json')
    .requiredOption('--target <name|spec.json>', 'built-in target or JSON spec file')
    .option('--seed <s>', 'seed of the ground-truth sample', integerAtLeast(0), 0)
    .option(
      '--reference-n <n>',
      'ground-truth sample size (default: as many as the samples)',
      integerAtLeast(2),
    )
    .option('--metrics <list>', 'comma-separated metrics (default all)', nameList)
    .option('--no-floor', 'skip the truth-vs-truth noise floor')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress output')
    .addHelpText('after', EVAL_EXAMPLES)
    .action(async (options) => {
      state.json = options.json === true;
      await runEval(context, options);
    });

  program
    .command('bench')
    .description(
      'a small sweep of samplers × NFE on one target, printed as a table (full suites: pnpm bench)',
    )
    .requiredOption('--target <name|spec.json>', 'built-in target or JSON spec file')
    .option('--samplers <list>', "comma-separated samplers, or 'all' (default all)", nameList)
    .option('--nfe <list>', 'comma-separated NFE budgets', integerList(1), [25, 105])
    .option('--n <n>', 'samples per run', integerAtLeast(2), 1000)
    .option('--seed <s>', 'seed of the runs (ground truth uses seed + 1)', integerAtLeast(0), 0)
    .option('--metric <name>', 'metric of the table', 'marginalAccuracy')
    .option('--json', 'print every cell and metric as JSON')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText('after', BENCH_EXAMPLES)
    .action(async (options) => {
      state.json = options.json === true;
      await runBench(context, options);
    });
  registerTrain(program, context, state);
  return program;
}

/** The version of `@rtk-diffusion/cli`, read from its package.json (src/ and dist/ both sit one level below it). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/**
 * Runs the `rtk` command line on `argv` (the arguments after `rtk`) and returns the exit code. Errors are printed as
 * one clear message on stderr (and as `{ "error": … }` on stdout with `--json`), never as a stack trace unless
 * `RTK_DEBUG=1`.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const state: { exit: ExitCode; json: boolean; backend: BackendName | undefined } = {
    exit: EXIT_CODES.ok,
    json: argv.includes('--json'),
    backend: undefined,
  };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help / version) already
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    if (process.env.RTK_DEBUG === '1' && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    io.stderr.write(`${formatError(error)}\n`);
    if (state.json) io.stdout.write(`${JSON.stringify({ error: errorJson(error) })}\n`);
    return isRtkError(error) || !(error instanceof Error) ? exitCodeFor(error) : EXIT_CODES.internal;
  }
}
