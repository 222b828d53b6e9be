/**
 * Runs image jobs on worker threads with ../pool.ts (the same queue, longest first, and error handling; its job type
 * is the exact-score suites', so the image jobs pass through it as plain JSON), or inline when `workers` is 0.
 */
import { RtkError } from '@rtk-diffusion/tensor';
import type { Job, JobResult } from '../jobs.js';
import { createPool } from '../pool.js';
import { type ImageJob, type ImageJobResult, runImageJob } from './job.js';

/** A pool of image jobs. */
export interface ImagePool {
  run(
    jobs: readonly ImageJob[],
    onDone?: (job: ImageJob, result: ImageJobResult) => void,
    signal?: AbortSignal,
  ): Promise<Map<number, ImageJobResult>>;
  close(): Promise<void>;
}

/** Creates a pool of `workers` threads running images/worker.js (0: inline). */
export function createImagePool(workers: number): ImagePool {
  if (workers === 0) {
    return {
      run: async (jobs, onDone, signal) => {
        const results = new Map<number, ImageJobResult>();
        for (const job of [...jobs].sort((a, b) => b.cost - a.cost)) {
          if (signal?.aborted === true) throw new RtkError('E_ABORTED', 'the benchmark run was interrupted');
          const result = await runImageJob(job);
          results.set(job.id, result);
          onDone?.(job, result);
        }
        return results;
      },
      close: async () => {},
    };
  }
  const pool = createPool({ workers, workerUrl: new URL('./worker.js', import.meta.url) });
  return {
    run: async (jobs, onDone, signal) =>
      (await pool.run(
        jobs as unknown as readonly Job[],
        onDone === undefined
          ? undefined
          : (job: Job, result: JobResult) =>
              onDone(job as unknown as ImageJob, result as unknown as ImageJobResult),
        signal,
      )) as unknown as Map<number, ImageJobResult>,
    close: () => pool.close(),
  };
}
