/**
 * A sample worker thread (see draw-chunks.ts): starts its own TensorFlow.js backend, the main thread's (a fallback to
 * another is an `E_BACKEND` error, lane-backend.ts), and resolves the target, then draws the row chunks it is sent, one
 * at a time, posting progress and each chunk's samples (the buffer is moved, not copied) with the backend it used.
 */
import { workerData } from 'node:worker_threads';
import { tf } from '@rtk-diffusion/tensor';
import { drawSamples } from './draw.js';
import type { SampleJob, SampleJobEvent, SampleJobResult, WorkerSetup } from './draw-chunks.js';
import { startLaneBackend } from './lane-backend.js';
import { NO_PROGRESS } from './progress.js';
import { resolveSampleTarget } from './resolve-target.js';
import { serveJobs } from './worker-pool.js';

const setup = workerData as WorkerSetup;

await serveJobs<SampleJob, SampleJobResult, SampleJobEvent, Awaited<ReturnType<typeof resolveSampleTarget>>>(
  async () => {
    await startLaneBackend(setup.backend);
    return resolveSampleTarget(setup.target);
  },
  async ({ start, end }, target, { emit }) => {
    let total = 0;
    let last = 0;
    const { samples, nfe, trace } = await drawSamples({
      ...setup.draw,
      model: target.model,
      n: end - start,
      rowOffset: start,
      progress: {
        ...NO_PROGRESS,
        setTotal: (value) => {
          total = value;
        },
        update: (done) => {
          // at most ~100 progress events per chunk
          if (done - last >= total / 100 || done === total) {
            last = done;
            emit({ done, total });
          }
        },
      },
    });
    const { values } = samples;
    const own =
      values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice();
    return {
      result: { n: samples.n, d: samples.d, values: own, nfe, trace, backend: tf.getBackend() },
      transfer: [own.buffer as ArrayBuffer],
    };
  },
);
