import { marginalAccuracy } from '@rtk-diffusion/eval';
import { getSampler } from '@rtk-diffusion/samplers';
import { mixtureModel } from '@rtk-diffusion/scores';
import { createRng, initBackend, tf } from '@rtk-diffusion/tensor';

await initBackend(); // wasm with SIMD in Node; see "Tensor backends"
const model = mixtureModel({
  weights: [0.3, 0.7],
  means: [
    [-2, 0],
    [2, 0],
  ],
  covariances: [0.05, 0.05],
});
const sampler = getSampler('rtk-mala'); // any registered name: ddpm, ddim, pf-ode, dpmpp-2m, …
const { x, nfe } = await sampler.sample({ model, n: 1000, nfe: 100, rng: createRng(0) });
const truth = model.sample(1000, createRng(1)); // exact samples of the target
export const accuracy = await marginalAccuracy(x, truth); // 1 − mean TV of the marginals
console.log(`${nfe} evaluations, marginal accuracy ${accuracy.toFixed(3)}`);
tf.dispose([x, truth]);
