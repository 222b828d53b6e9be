/**
 * Runs jobs on a pool of worker threads (one TensorFlow.js backend each: the wasm backend is single-threaded, so two
 * workers use two cores), or inline in this thread when `workers` is 0 (tests, debugging). Longest jobs start first.
 * The threads are `createWorkerPool` of `@rtk-diffusion/cli` (the pool `rtk sample --workers` uses too).
 */
import { availableParallelism } from 'node:os';
import { createWorkerPool } from '@rtk-diffusion/cli';
import { type BackendName, RtkError } from '@rtk-diffusion/tensor';
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

const INTERRUPTED = 'the benchmark run was interrupted';

/** Creates a pool; call `close()` when done. */
export function createPool(options: PoolOptions): Pool {
  if (options.workers === 0) {
    return {
      run: async (jobs, onDone, signal) => {
        const results = new Map<number, JobResult>();
        for (const job of [...jobs].sort((a, b) => b.cost - a.cost)) {
          if (signal?.aborted === true) throw new RtkError('E_ABORTED', INTERRUPTED);
          const result = await runJob(job);
          results.set(job.id, result);
          onDone?.(job, result);
        }
        return results;
      },
      close: async () => {},
    };
  }
  const pool = createWorkerPool<Job, JobResult>({
    url: options.workerUrl ?? new URL('./worker.js', import.meta.url),
    workers: options.workers,
    workerData: { backend: options.backend },
  });
  return {
    async run(jobs, onDone, signal) {
      const results = new Map<number, JobResult>();
      await pool.run(
        [...jobs].sort((a, b) => b.cost - a.cost),
        {
          abortMessage: INTERRUPTED,
          ...(signal === undefined ? {} : { signal }),
          onResult: (job, _index, result) => {
            results.set(result.id, result);
            onDone?.(job, result);
          },
        },
      );
      return results;
    },
    close: () => pool.close(),
  };
}
