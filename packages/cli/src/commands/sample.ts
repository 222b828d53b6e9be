/**
 * `rtk sample`: draw samples from a target with a sampler at an NFE budget and write them to .npy, .csv or .json.
 * Everything that can be checked before sampling is checked first (names, spec, budget, output path), and the file
 * is written atomically. `--workers N` draws contiguous row chunks on N worker threads; `--chunk M` streams the run
 * to the file M rows at a time (bounded memory); `--rows START:END` draws one shard of the run and records its
 * settings for `rtk merge`. None of them changes a single bit of the samples.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { type GridChoice, getSampler, type RowRange, rowChunks, rowParts } from '@rtk-diffusion/samplers';
import type { BackendName } from '@rtk-diffusion/tensor';
import { InvalidArgumentError } from 'commander';
import { assertWritable } from '../atomic-write.js';
import { type CommandContext, printJson } from '../context.js';
import { drawChunks } from '../draw-chunks.js';
import { UsageError } from '../errors.js';
import { isNetworkTarget, resolveSampleTarget, type SampleTarget } from '../resolve-target.js';
import { type RunMeta, writeRunMeta } from '../run-meta.js';
import {
  assertStreamable,
  openSampleFileStream,
  type SampleFileStream,
  sampleFormatOf,
  writeSampleFile,
} from '../sample-files.js';
import { concatMatrices, type SampleMatrix } from '../sample-matrix.js';
import { assertSamplerOptions } from '../sampler-options.js';

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
  /** Worker threads (default 1). */
  readonly workers?: number;
  /** Stream to the file in chunks of this many rows. */
  readonly chunk?: number;
  /** Backend of the workers (the `--backend` option). */
  readonly backend?: BackendName;
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** `--workers`: a positive integer, or `auto` for the cores available. */
export function workerCount(value: string): number {
  if (value.trim() === 'auto') return availableParallelism();
  const parsed = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected an integer ≥ 1 or 'auto', got '${value}'.`);
  }
  return parsed;
}

/**
 * The chunks a run is drawn in: `--chunk` rows each; else, with workers, 4 per worker (this thread starts drawing
 * while the workers start up, and the lanes share the rest as they free up); else the whole run.
 */
export function sampleChunks(rows: RowRange, options: { chunk?: number; workers?: number }): RowRange[] {
  if (options.chunk !== undefined) return rowChunks(rows, options.chunk);
  const workers = options.workers ?? 1;
  return rowParts(rows, workers > 1 ? CHUNKS_PER_WORKER * workers : 1);
}

/** Chunks per worker without `--chunk`: enough to balance a late-starting worker, few enough to cost nothing. */
const CHUNKS_PER_WORKER = 4;

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
  if (options.chunk !== undefined) assertStreamable(options.out);
  const sampler = getSampler(options.sampler);
  assertSamplerOptions(options.sampler, options.set ?? {});
  // A directory written by `rtk train` is a network: its weights need the backend before they load.
  const network = (await stat(options.target).catch(() => undefined))?.isDirectory() === true;
  if (network) await context.startBackend();
  const target = await resolveSampleTarget(options.target);
  try {
    await sampleTarget(context, options, target, sampler);
  } finally {
    if (isNetworkTarget(target)) target.dispose();
  }
}

async function sampleTarget(
  context: CommandContext,
  options: SampleCommandOptions,
  target: SampleTarget,
  sampler: ReturnType<typeof getSampler>,
): Promise<void> {
  const [start, end] = options.rows ?? [0, options.n ?? Number.NaN];
  const format = sampleFormatOf(options.out);
  const samplerOptions = options.set ?? {};
  // NFE too small for the sampler: fail before any work (the sampler checks again, with its options).
  sampler.cost({ ...samplerOptions, model: target.model }).stepsForBudget(options.nfe);
  await assertWritable(options.out);
  await context.startBackend();
  const rows = { start, end };
  const d = target.model.dim;
  const progress = context.progress({
    total: 1,
    quiet: options.quiet === true,
    showCounts: false,
  });
  const parts: SampleMatrix[] = [];
  let stream: SampleFileStream | undefined;
  if (options.chunk !== undefined) stream = await openSampleFileStream(options.out, { n: end - start, d });
  let result: Awaited<ReturnType<typeof drawChunks>>;
  try {
    result = await drawChunks({
      model: target.model,
      target: options.target,
      sampler: options.sampler,
      nfe: options.nfe,
      seed: options.seed,
      samplerOptions,
      chunks: sampleChunks(rows, options),
      workers: options.workers ?? 1,
      progress,
      label: `${options.sampler} on ${target.name}`,
      onChunk: async (_rows, drawn) => {
        // A network samples in model space; its map back to data space acts row by row.
        const samples = isNetworkTarget(target) ? await target.toData(drawn) : drawn;
        if (stream === undefined) parts.push(samples);
        else await stream.write(samples);
      },
      // Worker threads start this thread's active backend (not merely the one asked for), or fail with E_BACKEND.
      ...(options.grid === undefined ? {} : { grid: options.grid }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(context.signal === undefined ? {} : { signal: context.signal }),
    });
  } catch (error) {
    await stream?.abort();
    throw error;
  } finally {
    progress.stop();
  }
  const meta: RunMeta = {
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
  if (stream === undefined) await writeSampleFile(options.out, concatMatrices(parts), { ...meta });
  else await stream.commit();
  // A shard records its run settings beside .npy/.csv (a .json file carries them inside) for `rtk merge`.
  if (options.rows !== undefined && format !== 'json')
    await writeRunMeta(options.out, { n: end - start, d }, meta);
  if (options.json === true) {
    printJson(context.io, {
      out: options.out,
      n: end - start,
      d,
      seconds: result.seconds,
      workers: result.workers,
      ...(options.chunk === undefined ? {} : { chunk: options.chunk }),
      ...meta,
    });
  } else if (options.quiet !== true) {
    context.io.stdout.write(
      `wrote ${end - start} samples (d = ${d}) to ${options.out}: ${options.sampler} on ${target.name}, ` +
        `NFE ${result.nfe}, seed ${options.seed}, ${result.seconds.toFixed(1)} s` +
        `${result.workers > 1 ? ` on ${result.workers} workers` : ''}\n`,
    );
  }
}
