/**
 * `rtk bench`: a small sweep of samplers × NFE budgets on one target, printed as a table of one metric (rows samplers,
 * columns NFE, best per column marked). The full suites with tuning, seeds, plots and results files are apps/bench,
 * built on the same functions.
 */
import { getSampler, SAMPLER_NAMES } from '@rtk-diffusion/samplers';
import { type CommandContext, printJson } from '../context.js';
import { UsageError } from '../errors.js';
import { METRICS } from '../evaluate.js';
import { resolveTarget } from '../resolve-target.js';
import { runSweep } from '../sweep.js';
import { formatMetric, formatMetricTable } from '../table.js';
import { parseMetricNames } from './eval.js';

/** Options of `rtk bench`, as parsed. */
export interface BenchCommandOptions {
  readonly target: string;
  readonly samplers?: readonly string[];
  readonly nfe: readonly number[];
  readonly n: number;
  readonly seed: number;
  readonly metric: string;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** Runs `rtk bench`. */
export async function runBench(context: CommandContext, options: BenchCommandOptions): Promise<void> {
  const [metric] = parseMetricNames([options.metric]);
  const samplers =
    options.samplers === undefined || options.samplers.includes('all') ? SAMPLER_NAMES : options.samplers;
  for (const name of samplers) getSampler(name);
  if (options.n < 2) throw new UsageError(`--n must be at least 2 for the metrics, got ${options.n}`);
  const target = await resolveTarget(options.target);
  await context.startBackend();
  const progress = context.progress({
    total: samplers.length * options.nfe.length,
    quiet: options.quiet === true,
  });
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    result = await runSweep({
      target,
      samplers,
      nfes: options.nfe,
      n: options.n,
      seed: options.seed,
      progress,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } finally {
    progress.stop();
  }
  if (options.json === true) {
    printJson(context.io, result);
    return;
  }
  const rows = samplers.map((sampler) => ({
    label: sampler,
    values: options.nfe.map(
      (nfe) => result.cells.find((cell) => cell.sampler === sampler && cell.nfe === nfe)?.metrics?.[metric!],
    ),
  }));
  const table = formatMetricTable(metric!, options.nfe.map(String), rows, 'text');
  const failed = result.cells.filter((cell) => cell.error !== undefined);
  const notes =
    failed.length === 0
      ? ''
      : `\n— : ${failed.map((cell) => `${cell.sampler} at NFE ${cell.nfe} (${cell.error!.code})`).join(', ')}\n`;
  const direction = METRICS[metric!].higherIsBetter ? 'higher is better' : 'lower is better';
  context.io.stdout.write(
    `${METRICS[metric!].title} (${direction}) on ${target.name}, n = ${options.n}, seed ${options.seed}; columns: NFE; * best per column\n` +
      `truth-vs-truth floor: ${formatMetric(result.floor[metric!])}\n\n${table}\n${notes}`,
  );
}
