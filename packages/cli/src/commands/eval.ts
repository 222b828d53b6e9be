/**
 * `rtk eval`: score a sample file against a target's ground truth with every metric of `@rtk-diffusion/eval`, beside
 * the noise floor (an independent ground-truth sample of the same size scored the same way).
 */
import { type CommandContext, printJson } from '../context.js';
import { groundTruth } from '../draw.js';
import { UsageError } from '../errors.js';
import {
  evaluateSamples,
  METRIC_NAMES,
  METRICS,
  type MetricName,
  type MetricValues,
  metricName,
  prepareReference,
} from '../evaluate.js';
import { resolveTarget } from '../resolve-target.js';
import { readSampleFile } from '../sample-files.js';
import { formatMetric, formatTextTable } from '../table.js';

/** Options of `rtk eval`, as parsed. */
export interface EvalCommandOptions {
  readonly samples: string;
  readonly target: string;
  readonly seed: number;
  readonly referenceN?: number;
  readonly metrics?: readonly string[];
  readonly floor?: boolean;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** Checks `--metrics` names (all metrics when none are given). */
export function parseMetricNames(names: readonly string[] | undefined): MetricName[] {
  return names === undefined ? [...METRIC_NAMES] : names.map(metricName);
}

/** Runs `rtk eval`. */
export async function runEval(context: CommandContext, options: EvalCommandOptions): Promise<void> {
  const metrics = parseMetricNames(options.metrics);
  const target = await resolveTarget(options.target);
  const samples = await readSampleFile(options.samples);
  if (samples.d !== target.entry.dim) {
    throw new UsageError(
      `${options.samples} has samples of dimension ${samples.d}, but target ${target.name} has dimension ${target.entry.dim}`,
    );
  }
  await context.startBackend();
  const referenceN = options.referenceN ?? samples.n;
  const withFloor = options.floor !== false;
  // Progress in steps: the reference, each metric of the samples, then the floor sample and each of its metrics.
  const progress = context.progress({
    total: 1 + metrics.length + (withFloor ? 1 + metrics.length : 0),
    quiet: options.quiet === true,
  });
  let done = 0;
  const step = (label: string) => progress.update(++done, label);
  let values: MetricValues;
  let floor: MetricValues | undefined;
  try {
    progress.update(0, `ground truth of ${target.name} (${referenceN} samples)`);
    const reference = await prepareReference(await groundTruth(target.model, referenceN, options.seed), {
      spec: target.spec,
      dimensions: target.entry.scatterDimensions,
      seed: options.seed,
    });
    step(`scoring ${options.samples}`);
    values = await evaluateSamples(samples, reference, metrics, () => step(`scoring ${options.samples}`));
    if (withFloor) {
      const label = 'scoring a ground-truth sample (the noise floor)';
      const truth = await groundTruth(target.model, samples.n, options.seed + 1);
      step(label);
      floor = await evaluateSamples(truth, reference, metrics, () => step(label));
    }
  } finally {
    progress.stop();
  }
  if (options.json === true) {
    printJson(context.io, {
      samples: options.samples,
      target: target.name,
      n: samples.n,
      referenceN,
      metrics: values,
      floor,
    });
    return;
  }
  const rows = metrics
    .filter((name) => values[name] !== undefined)
    .map((name) => [
      METRICS[name].title,
      formatMetric(values[name]),
      ...(floor === undefined ? [] : [formatMetric(floor[name])]),
      METRICS[name].higherIsBetter ? 'higher' : 'lower',
    ]);
  const header = ['metric', 'samples', ...(floor === undefined ? [] : ['truth vs truth']), 'better'];
  context.io.stdout.write(
    `${options.samples}: ${samples.n} samples against ${referenceN} ground-truth samples of ${target.name}\n\n` +
      `${formatTextTable(header, rows)}\n`,
  );
}
