/**
 * Runs jobs on a pool of worker threads (one TensorFlow.js backend each: the wasm backend is single-threaded, so two
 * workers use two cores), or inline in this thread when `workers` is 0 (tests, debugging). Longest jobs start first.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type BackendName, RtkError, type RtkErrorCode } from '@rtk-diffusion/tensor';
import { type Job, type JobResult, runJob } from './jobs.js';

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** Worker threads; 0 runs jobs inline. */
  readonly workers: number;
  /** Backend of each worker (default: RTK_BACKEND, else wasm). */
  readonly backend?: BackendName;
  /** The worker script (default: worker.js beside this module, i.e. dist/worker.js). */
  readonly workerUrl?: URL;
}

/** A pool that runs batches of jobs. */
export interface Pool {
  /** Runs the jobs (longest first) and returns their results by id; `onDone` is called as each finishes. */
  run(
    jobs: readonly Job[],
    onDone?: (job: Job, result: JobResult) => void,
    signal?: AbortSignal,
  ): Promise<Map<number, JobResult>>;
  /** Stops the workers. */
  close(): Promise<void>;
}

/** Default workers: the cores available, at most 2 (this project's machines have 2; more only helps on bigger ones). */
export function defaultWorkers(): number {
  return Math.max(1, Math.min(2, availableParallelism()));
}

type Message =
  | { ready: true }
  | { ok: true; result: JobResult }
  | { ok: false; id: number; error: { code: string; message: string }; stack: string };

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new RtkError('E_ABORTED', 'the benchmark run was interrupted');
}

/** Creates a pool; call `close()` when done. */
export function createPool(options: PoolOptions): Pool {
  if (options.workers === 0) {
    return {
      run: async (jobs, onDone, signal) => {
        const results = new Map<number, JobResult>();
        for (const job of [...jobs].sort((a, b) => b.cost - a.cost)) {
          checkAborted(signal);
          const result = await runJob(job);
          results.set(job.id, result);
          onDone?.(job, result);
        }
        return results;
      },
      close: async () => {},
    };
  }
  const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: options.workers }, () => {
    const worker = new Worker(url, { workerData: { backend: options.backend } });
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return { worker, ready };
  });
  return {
    async run(jobs, onDone, signal) {
      const queue = [...jobs].sort((a, b) => b.cost - a.cost);
      const results = new Map<number, JobResult>();
      const byId = new Map(jobs.map((job) => [job.id, job]));
      await Promise.all(
        workers.map(async ({ worker, ready }) => {
          await ready;
          for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
            checkAborted(signal);
            const message = await new Promise<Message>((resolve, reject) => {
              const onError = (error: Error) => reject(error);
              worker.once('error', onError);
              worker.once('message', (m: Message) => {
                worker.off('error', onError);
                resolve(m);
              });
              worker.postMessage(job);
            });
            if ('ready' in message) throw new Error('bench worker: unexpected second ready message');
            if (!message.ok) {
              queue.length = 0;
              if (process.env.RTK_DEBUG === '1') process.stderr.write(`${message.stack}\n`);
              throw message.error.code.startsWith('E_') && message.error.code !== 'E_INTERNAL'
                ? new RtkError(message.error.code as RtkErrorCode, message.error.message)
                : new Error(message.error.message);
            }
            results.set(message.result.id, message.result);
            onDone?.(byId.get(message.result.id)!, message.result);
          }
        }),
      );
      return results;
    },
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
