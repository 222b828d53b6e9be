import {
  createRng,
  getSampler,
  initBackend,
  mixtureModel,
  SAMPLER_NAMES,
  tf,
} from '@rtk-diffusion/samplers';

await initBackend();
const model = mixtureModel({
  weights: [0.3, 0.7],
  means: [[-2], [2]],
  covariances: [0.05, 0.05],
});
// Per sampler: the evaluations used, and its share of the 0.3 mode
export const results = new Map<
  string,
  { nfe: number; leftShare: number }
>();
for (const name of SAMPLER_NAMES) {
  const { x, nfe } = await getSampler(name).sample({
    model,
    n: 1000,
    nfe: 100,
    rng: createRng(0),
  });
  const leftShare = tf.tidy(
    () =>
      tf.mean(tf.cast(tf.less(x, 0), 'float32')).dataSync()[0] ??
      Number.NaN,
  );
  results.set(name, { nfe, leftShare });
  x.dispose();
}
console.table(Object.fromEntries(results));
