import { getSampler } from '@rtk-diffusion/samplers';
import { fromPrediction, type PredictionNetwork } from '@rtk-diffusion/scores';
import { createRng, initBackend, type Tensor2D, tf } from '@rtk-diffusion/tensor';

await initBackend();
// Stand-in for a trained ε-prediction network (here the exact ε̂ for data N(0, 0.25 I) in d = 2):
// replace `predict` with a call to your network, e.g. net.predict([x, a]) as Tensor2D.
const network: PredictionNetwork = {
  dim: 2,
  predict: (x: Tensor2D, a: number) => tf.mul(x, Math.sqrt(1 - a) / (0.25 * a + 1 - a)),
};
const model = fromPrediction(network, 'epsilon'); // s(x, a) = −ε̂(x, a) / √(1 − a)
const { x } = await getSampler('dpmpp-2m').sample({ model, n: 4000, nfe: 20, rng: createRng(0) });
export const variance = tf.tidy(() => Array.from(tf.moments(x, 0).variance.dataSync()));
console.log(variance); // ≈ [0.25, 0.25]
x.dispose();
