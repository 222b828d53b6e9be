/**
 * `rtk sample`: draw samples from a target with a sampler at an NFE budget and write them to .npy, .csv or .json.
 * Everything that can be checked before sampling is checked first (names, spec, budget, output path), and the file
 * is written atomically.
 */
import { type GridChoice, getSampler } from '@rtk-diffusion/samplers';
import { assertWritable } from '../atomic-write.js';
import { type CommandContext, printJson } from '../context.js';
import { drawSamples } from '../draw.js';
import { UsageError } from '../errors.js';
import { createProgress } from '../progress.js';
import { resolveTarget } from '../resolve-target.js';
import { sampleFormatOf, writeSampleFile } from '../sample-files.js';

/** Options of `rtk sample`, as parsed. */
export interface SampleCommandOptions {
  readonly target: string;
  readonly sampler: string;
  readonly nfe: number;
  readonly n?: number;
  readonly seed: number;
  readonly out: string;
  readonly rows?: [number, number];
  readonly grid?: GridChoice;
  readonly set?: Record<string, unknown>;
  readonly batchSize?: number;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** Runs `rtk sample`. */
export async function runSample(context: CommandContext, options: SampleCommandOptions): Promise<void> {
  const [start, end] = options.rows ?? [0, options.n ?? Number.NaN];
  if (options.rows === undefined && options.n === undefined) {
    throw new UsageError('give the number of samples with --n N (or a row range with --rows START:END)');
  }
  if (options.rows !== undefined && options.n !== undefined && end > options.n) {
    throw new UsageError(`--rows ${start}:${end} goes past the run of --n ${options.n} rows`);
  }
  sampleFormatOf(options.out);
  const sampler = getSampler(options.sampler);
  const target = await resolveTarget(options.target);
  const samplerOptions = options.set ?? {};
  // NFE too small for the sampler: fail before any work (the sampler checks again, with its options).
  sampler.cost({ ...samplerOptions, model: target.model }).stepsForBudget(options.nfe);
  await assertWritable(options.out);
  await context.startBackend();
  const progress = createProgress({
    total: 1,
    quiet: options.quiet === true,
    stream: context.io.stderr as NodeJS.WriteStream,
  });
  let result: Awaited<ReturnType<typeof drawSamples>>;
  try {
    result = await drawSamples({
      model: target.model,
      sampler: options.sampler,
      nfe: options.nfe,
      n: end - start,
      seed: options.seed,
      rowOffset: start,
      samplerOptions,
      progress,
      label: `${options.sampler} on ${target.name}`,
      ...(options.grid === undefined ? {} : { grid: options.grid }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } finally {
    progress.stop();
  }
  const meta = {
    target: target.name,
    sampler: options.sampler,
    nfe: result.nfe,
    nfeBudget: options.nfe,
    seed: options.seed,
    rows: [start, end],
    ...(options.grid === undefined ? {} : { grid: options.grid }),
    samplerOptions,
    summary: result.trace.summary,
  };
  await writeSampleFile(options.out, result.samples, meta);
  if (options.json === true) {
    printJson(context.io, {
      out: options.out,
      n: result.samples.n,
      d: result.samples.d,
      seconds: result.seconds,
      ...meta,
    });
  } else if (options.quiet !== true) {
    context.io.stdout.write(
      `wrote ${result.samples.n} samples (d = ${result.samples.d}) to ${options.out}: ${options.sampler} on ${target.name}, ` +
        `NFE ${result.nfe}, seed ${options.seed}, ${result.seconds.toFixed(1)} s\n`,
    );
  }
}
