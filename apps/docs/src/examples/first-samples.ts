import * as rtk from '@rtk-diffusion/samplers';

await rtk.initBackend(); // wasm with SIMD in Node; see "Tensor backends"
// Two Gaussian modes, at −2 and 2 with weights 0.3 and 0.7 (exact scores):
const spec = { weights: [0.3, 0.7], means: [[-2], [2]], covariances: [0.05, 0.05] };
export const model = rtk.mixtureModel(spec);
const sampler = rtk.getSampler('rtk-mala'); // or 'ddpm', 'ddim', 'dpmpp-2m', …
const options = { model, n: 1000, nfe: 100, rng: rtk.createRng(0) };
export const { x, nfe } = await sampler.sample(options);
console.log(`${nfe} evaluations, samples of shape [${x.shape}]`); // x.dispose()
