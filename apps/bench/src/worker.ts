/**
 * A benchmark worker thread: starts its own TensorFlow.js backend, then runs the jobs it is sent, one at a time
 * (`serveJobs` of `@rtk-diffusion/cli`: results and errors go back to `createPool`).
 */
import { workerData } from 'node:worker_threads';
import { serveJobs } from '@rtk-diffusion/cli';
import { type BackendName, initBackend } from '@rtk-diffusion/tensor';
import { type Job, type JobResult, runJob } from './jobs.js';

const { backend } = workerData as { backend?: BackendName };
await serveJobs<Job, JobResult>(
  async () => {
    await initBackend({ ...(backend === undefined ? {} : { prefer: backend }), onWarning: () => {} });
  },
  async (job) => ({ result: await runJob(job) }),
);
