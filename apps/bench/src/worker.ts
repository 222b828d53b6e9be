/**
 * A benchmark worker thread: starts its own TensorFlow.js backend, then runs the jobs it is sent, one at a time, and
 * posts each result back (or the error, as plain JSON).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorJson } from '@rtk-diffusion/cli';
import { type BackendName, initBackend } from '@rtk-diffusion/tensor';
import { type Job, runJob } from './jobs.js';

const port = parentPort!;
const { backend } = workerData as { backend?: BackendName };
await initBackend({ ...(backend === undefined ? {} : { prefer: backend }), onWarning: () => {} });
port.on('message', (job: Job) => {
  runJob(job).then(
    (result) => port.postMessage({ ok: true, result }),
    (error: unknown) =>
      port.postMessage({
        ok: false,
        id: job.id,
        error: errorJson(error),
        stack: (error as Error)?.stack ?? '',
      }),
  );
});
port.postMessage({ ready: true });
