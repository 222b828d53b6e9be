/**
 * Drawing a seeded run as contiguous row chunks (`rowChunks` / `rowParts` of `@rtk-diffusion/samplers`), in this
 * thread or on worker threads (one TensorFlow.js backend each: the wasm backend is single-threaded, so two workers
 * use two cores). Chunks are handed to `onChunk` in row order as they complete, so a caller can stream them to a
 * file; because every sampler's rows are keyed, the stacked chunks equal the single-thread run bit for bit.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RowRange, SampleTrace } from '@rtk-diffusion/samplers';
import { type BackendName, RtkError, type RtkErrorCode } from '@rtk-diffusion/tensor';
import { type DrawOptions, drawSamples } from './draw.js';
import { UsageError } from './errors.js';
import { NO_PROGRESS, type Progress } from './progress.js';
import type { SampleMatrix } from './sample-matrix.js';

/** Options of {@link drawChunks}. */
export interface ChunkedDrawOptions extends Omit<DrawOptions, 'n' | 'rowOffset' | 'progress'> {
  /** The chunks, contiguous and in row order (e.g. `rowChunks(rows, m)` or `rowParts(rows, workers)`). */
  readonly chunks: readonly RowRange[];
  /** Worker threads (default 1: this thread). More than one needs `target`. */
  readonly workers?: number;
  /** The `--target` argument (name or spec file), resolved again in each worker. */
  readonly target?: string;
  /** Backend of each worker (default: RTK_BACKEND, else wasm). */
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

/** Messages from a sample worker. */
export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly done: number; readonly total: number }
  | {
      readonly type: 'done';
      readonly n: number;
      readonly d: number;
      readonly values: Float32Array | Float64Array;
      readonly nfe: number;
      readonly trace: SampleTrace;
    }
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly stack: string };

/** What a sample worker is started with (`workerData`). */
export interface WorkerSetup {
  readonly target: string;
  readonly backend?: BackendName;
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

/**
 * The parent's Node options without custom export conditions: the worker script is built JavaScript, and a condition
 * such as the test runner's `@rtk-diffusion/source` would point its imports at TypeScript sources.
 */
export function builtExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (arg === '--conditions' || arg === '-C') i += 1;
    else if (!arg.startsWith('--conditions=') && !arg.startsWith('-C=')) kept.push(arg);
  }
  return kept;
}

/** A worker's error message as an error of the same code. */
function errorFrom(message: { code: string; message: string; stack: string }): Error {
  if (process.env.RTK_DEBUG === '1') process.stderr.write(`${message.stack}\n`);
  return message.code.startsWith('E_') && message.code !== 'E_INTERNAL'
    ? new RtkError(message.code as RtkErrorCode, message.message)
    : new Error(message.message);
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
    ...(options.backend === undefined ? {} : { backend: options.backend }),
    draw: {
      sampler: options.sampler,
      seed: options.seed,
      ...(options.nfe === undefined ? {} : { nfe: options.nfe }),
      ...(options.grid === undefined ? {} : { grid: options.grid }),
      ...(options.samplerOptions === undefined ? {} : { samplerOptions: options.samplerOptions }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    },
  };
  const execArgv = builtExecArgv(process.execArgv);
  const threads = Array.from(
    { length: count },
    () => new Worker(SAMPLE_WORKER_URL, { workerData: setup, execArgv }),
  );
  let failure: unknown;
  const stop = new AbortController();
  const fail = (error: unknown): void => {
    failure ??= error;
    stop.abort();
  };
  const onAbort = () =>
    fail(new RtkError('E_ABORTED', `${options.sampler}: cancelled (the workers were stopped)`));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  // Completed chunks wait here until every earlier one has been handed on, so onChunk sees row order.
  const finished = new Map<number, SampleMatrix>();
  let next = 0;
  let writing = Promise.resolve();
  let queued = 0;
  let nfe = 0;
  let trace: SampleTrace | undefined;
  const flush = async (): Promise<void> => {
    for (let part = finished.get(next); part !== undefined; part = finished.get(next)) {
      finished.delete(next);
      await options.onChunk(chunks[next]!, part);
      next += 1;
    }
  };
  /** The next message of a worker, or the failure that stops everything. */
  const receive = (worker: Worker): Promise<WorkerMessage> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'progress') return;
        cleanup();
        resolve(message);
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`a sample worker exited (code ${code}) before finishing its chunk`));
      };
      const onStop = () => {
        cleanup();
        reject(failure);
      };
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        stop.signal.removeEventListener('abort', onStop);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      stop.signal.addEventListener('abort', onStop, { once: true });
      if (stop.signal.aborted) onStop();
    });
  try {
    await Promise.all(
      threads.map(async (worker) => {
        try {
          const ready = await receive(worker);
          if (ready.type === 'error') throw errorFrom(ready);
          for (let index = queued++; index < chunks.length && !stop.signal.aborted; index = queued++) {
            const chunk = chunks[index]!;
            const progress = (message: WorkerMessage) => {
              if (message.type === 'progress') report(index, message.done, message.total);
            };
            worker.on('message', progress);
            worker.postMessage({ start: chunk.start, end: chunk.end });
            const message = await receive(worker).finally(() => worker.off('message', progress));
            if (message.type === 'error') throw errorFrom(message);
            if (message.type !== 'done') throw new Error(`a sample worker sent '${message.type}' mid-chunk`);
            finished.set(index, { n: message.n, d: message.d, values: message.values });
            nfe = message.nfe;
            if (index === 0) trace = message.trace;
            writing = writing.then(flush);
            await writing;
          }
        } catch (error) {
          fail(error);
        }
      }),
    );
    if (failure !== undefined) throw failure;
    await writing;
    return { nfe, trace };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(threads.map((worker) => worker.terminate()));
  }
}
