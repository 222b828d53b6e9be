import {
  createRng,
  fromPrediction,
  getSampler,
  initBackend,
  type PredictionNetwork,
  tf,
} from '@rtk-diffusion/samplers';

await initBackend();
// Stand-ins for trained networks: the exact predictions for data N(0, v I)
// with v = 0.25 in d = 2. Replace `predict` with a call to your network,
// e.g. (x, a) => net.predict([x, tf.fill([x.shape[0], 1], a)]) as Tensor2D.
const v = 0.25;
const gain = (a: number) => 1 / (a * v + 1 - a);
const noise: PredictionNetwork = {
  dim: 2,
  predict: (x, a) => tf.mul(x, Math.sqrt(1 - a) * gain(a)),
};
const data: PredictionNetwork = {
  dim: 2,
  predict: (x, a) => tf.mul(x, Math.sqrt(a) * v * gain(a)),
};
const velocity: PredictionNetwork = {
  dim: 2,
  predict: (x, a) => tf.mul(x, Math.sqrt(a * (1 - a)) * (1 - v) * gain(a)),
};
export const models = {
  epsilon: fromPrediction(noise, 'epsilon'), // s = −ε̂ / √(1 − a)
  x0: fromPrediction(data, 'x0'), // s = (√a x̂0 − x) / (1 − a)
  v: fromPrediction(velocity, 'v'), // x̂0 = √a x − √(1 − a) v̂, then as x0
};
export const variances: Record<string, number[]> = {};
for (const [type, model] of Object.entries(models)) {
  const { x } = await getSampler('dpmpp-2m').sample({
    model,
    n: 4000,
    nfe: 20,
    rng: createRng(0),
  });
  variances[type] = tf.tidy(() =>
    Array.from(tf.moments(x, 0).variance.dataSync()),
  );
  x.dispose();
}
console.log(variances); // each ≈ [0.25, 0.25]: the data variance
