/**
 * A worker thread of the image suite: starts its own TensorFlow.js wasm backend, then runs the image jobs it is sent
 * (the protocol of ../worker.ts: a ready message, then one result or error per job).
 */
import { parentPort } from 'node:worker_threads';
import { errorJson } from '@rtk-diffusion/cli';
import { initBackend } from '@rtk-diffusion/tensor';
import { type ImageJob, runImageJob } from './job.js';

const port = parentPort!;
await initBackend({ prefer: 'wasm', onWarning: () => {} });
port.on('message', (job: ImageJob) => {
  runImageJob(job).then(
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
