import {
  createRng,
  gaussianModel,
  getSampler,
  initBackend,
} from '@rtk-diffusion/samplers';
import { RtkError } from '@rtk-diffusion/tensor';

await initBackend();
// A 2-D Gaussian, N(μ, 0.5 I):
const model = gaussianModel({ mean: [1, -1], covariance: 0.5 });
const sampler = getSampler('ddpm');

// Progress: onStep runs after every outer step, with the level reached
// and the evaluations spent so far.
export const progress: {
  step: number;
  steps: number;
  aNext: number;
  nfe: number;
}[] = [];
const result = await sampler.sample({
  model,
  n: 1000,
  nfe: 200,
  rng: createRng(0),
  onStep: ({ step, steps, aNext, nfe }) => {
    progress.push({ step, steps, aNext, nfe });
    if (step % 50 === 0)
      console.log(
        `${step + 1}/${steps} a = ${aNext.toFixed(4)}, ${nfe} evaluations`,
      );
  },
});
result.x.dispose();

// Cancellation: abort the signal (a Stop button, a timeout, …); the run
// rejects between two steps.
const controller = new AbortController();
export const cancelled = await sampler
  .sample({
    model,
    n: 1000,
    nfe: 200,
    rng: createRng(0),
    signal: controller.signal,
    onStep: ({ step }) => {
      if (step === 9) controller.abort();
    },
  })
  .then(
    () => 'finished',
    (error: unknown) =>
      error instanceof RtkError ? error.code : String(error),
  );
console.log(cancelled); // 'E_ABORTED'
