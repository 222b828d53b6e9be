/**
 * Drawing a seeded run as contiguous row chunks (`rowChunks` / `rowParts` of `@rtk-diffusion/samplers`), in this
 * thread or on N lanes: this thread and N − 1 worker threads (one TensorFlow.js backend each: the wasm backend is
 * single-threaded, so two lanes use two cores). Chunks are handed to `onChunk` in row order as they complete, so a caller can stream them to a
 * file; because every sampler's rows are keyed, the stacked chunks equal the single-thread run bit for bit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RowRange, SampleTrace } from '@rtk-diffusion/samplers';
import { BackendError, type BackendName, tf } from '@rtk-diffusion/tensor';
import { type DrawOptions, drawSamples } from './draw.js';
import { UsageError } from './errors.js';
import { activeBackend } from './lane-backend.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import type { SampleMatrix } from './sample-matrix.js';
import { createWorkerPool } from './worker-pool.js';

/** Options of {@link drawChunks}. */
export interface ChunkedDrawOptions extends Omit<DrawOptions, 'n' | 'rowOffset' | 'progress'> {
  /** The chunks, contiguous and in row order (e.g. `rowChunks(rows, m)` or `rowParts(rows, workers)`). */
  readonly chunks: readonly RowRange[];
  /** Worker threads (default 1: this thread). More than one needs `target`. */
  readonly workers?: number;
  /** The `--target` argument (name or spec file), resolved again in each worker. */
  readonly target?: string;
  /**
   * Backend of every worker thread; default (and what `rtk sample` uses): this thread's active backend, so all lanes
   * compute alike. A worker that cannot start it fails with `E_BACKEND` instead of falling back.
   */
  readonly backend?: BackendName;
  /** Receives progress in rows (total: all rows; a chunk's rows count as it goes through its steps). */
  readonly progress?: Progress;
  /** Receives each chunk, in row order, once; the next chunk waits until it resolves. */
  readonly onChunk: (rows: RowRange, samples: SampleMatrix) => Promise<void> | void;
}

/** What {@link drawChunks} returns. */
export interface ChunkedDrawResult {
  /** Score-model evaluations per batch (the run's NFE). */
  readonly nfe: number;
  /** The trace of the first chunk's first batch. */
  readonly trace: SampleTrace;
  /** Wall time, in seconds (workers' start-up included). */
  readonly seconds: number;
  /** Worker threads used (1: this thread). */
  readonly workers: number;
}

/** The worker script, built beside this module's package: dist/sample-worker.js (from src/ or dist/). */
export const SAMPLE_WORKER_URL: URL = new URL('../dist/sample-worker.js', import.meta.url);

/** A job of a sample worker: rows [start, end) of the run. */
export type SampleJob = RowRange;

/** A sample worker's result: the chunk's samples (buffer transferred), the NFE, the trace and the backend used. */
export interface SampleJobResult {
  readonly n: number;
  readonly d: number;
  readonly values: Float32Array | Float64Array;
  readonly nfe: number;
  readonly trace: SampleTrace;
  readonly backend: string;
}

/** A sample worker's progress event: its chunk's steps done of total. */
export interface SampleJobEvent {
  readonly done: number;
  readonly total: number;
}

/** What a sample worker is started with (`workerData`). */
export interface WorkerSetup {
  readonly target: string;
  /** The backend every worker must start (the main thread's, unless the caller chose one). */
  readonly backend: BackendName;
  readonly draw: Omit<DrawOptions, 'model' | 'n' | 'rowOffset' | 'progress' | 'signal'>;
}

/** Sums progress over chunks drawn concurrently: each chunk's done/total, weighted by its rows, out of all rows. */
function chunkProgress(progress: Progress, chunks: readonly RowRange[], label: string | undefined) {
  const rows = chunks.reduce((sum, chunk) => sum + chunk.end - chunk.start, 0);
  const done = new Map<number, number>();
  let sum = 0;
  progress.setTotal(rows);
  return (index: number, chunkDone: number, chunkTotal: number): void => {
    const chunk = chunks[index]!;
    const rowsDone = chunkTotal > 0 ? (chunkDone / chunkTotal) * (chunk.end - chunk.start) : 0;
    sum += rowsDone - (done.get(index) ?? 0);
    done.set(index, rowsDone);
    progress.update(Math.round(sum), label);
  };
}

/**
 * Draws the chunks (in this thread, or on `workers` threads) and hands each to `onChunk` in row order.
 *
 * @throws RtkError as {@link drawSamples}, from whichever chunk failed first; `E_ABORTED` when `signal` fires.
 */
export async function drawChunks(options: ChunkedDrawOptions): Promise<ChunkedDrawResult> {
  const { chunks, onChunk, progress = NO_PROGRESS } = options;
  const workers = Math.max(1, Math.min(options.workers ?? 1, chunks.length));
  const report = chunkProgress(progress, chunks, options.label);
  const started = performance.now();
  const done = (nfe: number, trace: SampleTrace | undefined) => ({
    nfe,
    trace: trace!,
    seconds: (performance.now() - started) / 1000,
    workers,
  });
  if (workers === 1) {
    let nfe = 0;
    let trace: SampleTrace | undefined;
    const {
      chunks: _chunks,
      onChunk: _onChunk,
      workers: _workers,
      target: _target,
      backend: _backend,
      progress: _progress,
      ...draw
    } = options;
    for (const [index, chunk] of chunks.entries()) {
      const result = await drawSamples({
        ...draw,
        n: chunk.end - chunk.start,
        rowOffset: chunk.start,
        progress: progressOf(report, index),
      });
      nfe = result.nfe;
      trace ??= result.trace;
      await onChunk(chunk, result.samples);
    }
    return done(nfe, trace);
  }
  const { nfe, trace } = await drawOnWorkers(options, workers, report);
  return done(nfe, trace);
}

/** A progress object for chunk `index` that forwards row-steps to `report`. */
function progressOf(
  report: (index: number, rowSteps: number, total: number) => void,
  index: number,
): Progress {
  let total = 0;
  return {
    ...NO_PROGRESS,
    setTotal: (value) => {
      total = value;
    },
    update: (done) => report(index, done, total),
  };
}

async function drawOnWorkers(
  options: ChunkedDrawOptions,
  count: number,
  report: (index: number, rowSteps: number, total: number) => void,
): Promise<{ nfe: number; trace: SampleTrace | undefined }> {
  const { chunks, signal } = options;
  if (options.target === undefined) {
    throw new UsageError('drawing on worker threads needs the target argument (a name or spec file)');
  }
  if (!existsSync(fileURLToPath(SAMPLE_WORKER_URL))) {
    throw new UsageError(
      `--workers needs the built worker script ${fileURLToPath(SAMPLE_WORKER_URL)}; build @rtk-diffusion/cli (pnpm build)`,
    );
  }
  const setup: WorkerSetup = {
    target: options.target,
    backend: options.backend ?? activeBackend(),
    draw: {
      sampler: options.sampler,
      seed: options.seed,
      ...(options.nfe === undefined ? {} : { nfe: options.nfe }),
      ...(options.grid === undefined ? {} : { grid: options.grid }),
      ...(options.samplerOptions === undefined ? {} : { samplerOptions: options.samplerOptions }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    },
  };
  // This thread is one of the `count` lanes: its backend is up already, so only count − 1 workers start.
  const pool = createWorkerPool<SampleJob, SampleJobResult, SampleJobEvent>({
    url: SAMPLE_WORKER_URL,
    workers: count - 1,
    workerData: setup,
  });
  const local = async (
    chunk: SampleJob,
    _index: number,
    emit: (event: SampleJobEvent) => void,
    stopped: AbortSignal,
  ): Promise<SampleJobResult> => {
    let total = 0;
    const { samples, nfe, trace } = await drawSamples({
      ...setup.draw,
      model: options.model,
      n: chunk.end - chunk.start,
      rowOffset: chunk.start,
      signal: stopped,
      progress: {
        ...NO_PROGRESS,
        setTotal: (value) => {
          total = value;
        },
        update: (done) => emit({ done, total }),
      },
    });
    return { ...samples, nfe, trace, backend: tf.getBackend() };
  };
  // Completed chunks wait here until every earlier one has been handed on, so onChunk sees row order.
  const finished = new Map<number, SampleMatrix>();
  let next = 0;
  let writing = Promise.resolve();
  let nfe = 0;
  let trace: SampleTrace | undefined;
  const flush = async (): Promise<void> => {
    for (let part = finished.get(next); part !== undefined; part = finished.get(next)) {
      finished.delete(next);
      await options.onChunk(chunks[next]!, part);
      next += 1;
    }
  };
  try {
    await pool.run(chunks, {
      ...(signal === undefined ? {} : { signal }),
      abortMessage: `${options.sampler}: cancelled (the workers were stopped)`,
      local,
      onEvent: (_chunk, index, event) => report(index, event.done, event.total),
      onResult: async (_chunk, index, result) => {
        if (result.backend !== setup.backend) {
          throw new BackendError(
            `chunk ${index} was drawn on the '${result.backend}' backend, not '${setup.backend}' like the run`,
          );
        }
        finished.set(index, { n: result.n, d: result.d, values: result.values });
        nfe = result.nfe;
        if (index === 0) trace = result.trace;
        writing = writing.then(flush);
        await writing;
      },
    });
    return { nfe, trace };
  } finally {
    await pool.close();
  }
}
