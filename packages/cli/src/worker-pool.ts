/**
 * A pool of worker threads that run jobs (one TensorFlow.js backend per worker: the wasm backend is single-threaded,
 * so two workers use two cores). Shared by `rtk sample --workers` and the benchmarks app. The main side
 * (`createWorkerPool`) hands jobs to idle workers in the order given and reports each result as it arrives; the
 * worker side (`serveJobs`) starts whatever the worker needs, then answers jobs one at a time. Errors travel as
 * `{ code, message }` and are rethrown with the same `RtkError` code.
 */
import { parentPort, Worker } from 'node:worker_threads';
import { RtkError, type RtkErrorCode } from '@rtk-diffusion/tensor';
import { errorJson } from './errors.js';

/** What a worker posts to the pool. */
export type PoolMessage<Result, Event> =
  | { readonly kind: 'ready' }
  | { readonly kind: 'event'; readonly event: Event }
  | { readonly kind: 'result'; readonly result: Result }
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly stack: string };

/** Options of {@link createWorkerPool}. */
export interface WorkerPoolOptions {
  /** The worker script (built JavaScript that calls {@link serveJobs}). */
  readonly url: URL;
  /** Number of worker threads (≥ 1). */
  readonly workers: number;
  /** Passed to every worker as `workerData` (structured-cloned). */
  readonly workerData?: unknown;
}

/** Callbacks and cancellation of one {@link WorkerPool.run}. */
export interface PoolRunOptions<Job, Result, Event> {
  /** Called with each result as it arrives (any order across workers); the worker waits until it resolves. */
  readonly onResult?: (job: Job, index: number, result: Result) => Promise<void> | void;
  /** Called with each event a job emits (progress). */
  readonly onEvent?: (job: Job, index: number, event: Event) => void;
  /** Stops handing out jobs and rejects with `E_ABORTED` (the workers are terminated by `close`). */
  readonly signal?: AbortSignal;
  /** The error for a fired signal (default: "the run was interrupted"). */
  readonly abortMessage?: string;
  /**
   * Runs jobs in this thread too, as one more lane beside the workers (e.g. the main thread, whose backend is already
   * up: N lanes cost N − 1 worker start-ups). `signal` fires when the run fails elsewhere or is cancelled.
   */
  readonly local?: (
    job: Job,
    index: number,
    emit: (event: Event) => void,
    signal: AbortSignal,
  ) => Promise<Result>;
}

/** A pool of worker threads; `close()` when done. */
export interface WorkerPool<Job, Result, Event = never> {
  /** Runs the jobs, in the order given, on the idle workers; returns the results by job index. */
  run(jobs: readonly Job[], options?: PoolRunOptions<Job, Result, Event>): Promise<Result[]>;
  /** Terminates the workers. */
  close(): Promise<void>;
}

/**
 * The parent's Node options without custom export conditions: worker scripts are built JavaScript, and a condition
 * such as the test runner's `@rtk-diffusion/source` would point their imports at TypeScript sources.
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

/** Creates `workers` threads running `url`; each must call {@link serveJobs}. */
export function createWorkerPool<Job, Result, Event = never>(
  options: WorkerPoolOptions,
): WorkerPool<Job, Result, Event> {
  const execArgv = builtExecArgv(process.execArgv);
  const threads = Array.from({ length: options.workers }, () => {
    const worker = new Worker(options.url, { workerData: options.workerData, execArgv });
    // The first message is 'ready' or the start-up error.
    let settle: (message: PoolMessage<Result, Event>) => void = () => {};
    const listeners = new Set<(message: PoolMessage<Result, Event>) => void>();
    let dead: Error | undefined;
    const broadcast = (message: PoolMessage<Result, Event>) => {
      for (const listener of listeners) listener(message);
    };
    worker.on('message', broadcast);
    const fatal = (error: Error) => {
      dead ??= error;
      broadcast({ kind: 'error', ...errorJson(error), stack: error.stack ?? '' });
    };
    worker.on('error', fatal);
    worker.on('exit', (code) =>
      fatal(new Error(`a worker thread exited (code ${code}) before finishing its job`)),
    );
    const ready = new Promise<PoolMessage<Result, Event>>((resolve) => {
      settle = resolve;
      listeners.add(settle);
    }).finally(() => listeners.delete(settle));
    return { worker, ready, listeners, dead: () => dead };
  });
  let closed = false;
  return {
    async run(jobs, runOptions = {}) {
      const { signal } = runOptions;
      const results: Result[] = new Array(jobs.length);
      const stop = new AbortController();
      let failure: unknown;
      const fail = (error: unknown) => {
        failure ??= error;
        stop.abort();
      };
      const onAbort = () =>
        fail(new RtkError('E_ABORTED', runOptions.abortMessage ?? 'the run was interrupted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      let next = 0;
      /** Runs one job on a worker: resolves with its result, rejects with its error or the run's failure. */
      const runOne = (thread: (typeof threads)[number], job: Job, index: number) =>
        new Promise<Result>((resolve, reject) => {
          const listener = (message: PoolMessage<Result, Event>) => {
            if (message.kind === 'event') runOptions.onEvent?.(job, index, message.event);
            else if (message.kind === 'result') done(() => resolve(message.result));
            else if (message.kind === 'error') done(() => reject(errorFrom(message)));
          };
          const onStop = () => done(() => reject(failure));
          const done = (then: () => void) => {
            thread.listeners.delete(listener);
            stop.signal.removeEventListener('abort', onStop);
            then();
          };
          thread.listeners.add(listener);
          stop.signal.addEventListener('abort', onStop, { once: true });
          if (stop.signal.aborted) onStop();
          else if (thread.dead() !== undefined) done(() => reject(thread.dead()));
          else thread.worker.postMessage(job);
        });
      /** Takes the next job, in the order given, until none is left or the run stopped. */
      const drain = async (runJob: (job: Job, index: number) => Promise<Result>): Promise<void> => {
        for (let index = next++; index < jobs.length && !stop.signal.aborted; index = next++) {
          const job = jobs[index]!;
          const result = await runJob(job, index);
          results[index] = result;
          await runOptions.onResult?.(job, index, result);
        }
      };
      try {
        await Promise.all(
          [
            ...threads.map((thread) => async () => {
              const ready = await Promise.race([
                thread.ready,
                new Promise<never>((_, reject) => {
                  stop.signal.addEventListener('abort', () => reject(failure), { once: true });
                  if (stop.signal.aborted) reject(failure);
                }),
              ]);
              if (ready.kind === 'error') throw errorFrom(ready);
              await drain((job, index) => runOne(thread, job, index));
            }),
            ...(runOptions.local === undefined
              ? []
              : [
                  () =>
                    drain((job, index) =>
                      runOptions.local!(
                        job,
                        index,
                        (event) => runOptions.onEvent?.(job, index, event),
                        stop.signal,
                      ),
                    ),
                ]),
          ].map(async (lane) => {
            try {
              await lane();
            } catch (error) {
              fail(error);
            }
          }),
        );
        if (failure !== undefined) throw failure;
        return results;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const thread of threads) thread.worker.removeAllListeners('exit');
      await Promise.all(threads.map(({ worker }) => worker.terminate()));
    },
  };
}

/** What a job handler receives besides the job: `emit` posts an event (progress) to the pool. */
export interface JobContext<Event> {
  emit(event: Event): void;
}

/**
 * The worker side: runs `start` once (start the backend, load the model…), posts 'ready' (or the start-up error),
 * then answers each job with `handle(job, state, context)`; `transfer` lists ArrayBuffers to move instead of copy.
 */
export async function serveJobs<Job, Result, Event = never, State = void>(
  start: () => Promise<State>,
  handle: (
    job: Job,
    state: State,
    context: JobContext<Event>,
  ) => Promise<{ readonly result: Result; readonly transfer?: readonly ArrayBuffer[] }>,
): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('serveJobs runs inside a worker thread');
  const post = (message: PoolMessage<Result, Event>, transfer: readonly ArrayBuffer[] = []) =>
    port.postMessage(message, [...transfer]);
  const postError = (error: unknown) =>
    post({ kind: 'error', ...errorJson(error), stack: (error as Error)?.stack ?? '' });
  let state: State;
  try {
    state = await start();
  } catch (error) {
    postError(error);
    return;
  }
  const context: JobContext<Event> = { emit: (event) => post({ kind: 'event', event }) };
  port.on('message', (job: Job) => {
    handle(job, state, context).then(
      ({ result, transfer }) => post({ kind: 'result', result }, transfer),
      postError,
    );
  });
  post({ kind: 'ready' });
}
