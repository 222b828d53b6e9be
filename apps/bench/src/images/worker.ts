/**
 * A worker thread of the image suite: starts its own TensorFlow.js wasm backend, then runs the image jobs it is sent
 * (`serveJobs` of `@rtk-diffusion/cli`, the protocol of ../pool.ts).
 */
import { serveJobs } from '@rtk-diffusion/cli';
import { initBackend } from '@rtk-diffusion/tensor';
import { type ImageJob, type ImageJobResult, runImageJob } from './job.js';

await serveJobs<ImageJob, ImageJobResult>(
  async () => {
    await initBackend({ prefer: 'wasm', onWarning: () => {} });
  },
  async (job) => ({ result: await runImageJob(job) }),
);
