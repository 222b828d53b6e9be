/**
 * A held-out measure of a trained network: its denoising loss (the training objective of `objective.ts`) on given rows,
 * with levels and noise from a fixed rng, so two networks (or one network before and after training) are compared on
 * exactly the same noised points.
 */
import type { Rng } from '@rtk-diffusion/tensor';
import { tf } from '@rtk-diffusion/tensor';
import type { LossWeighting } from './checkpoint.js';
import type { DataSet } from './data.js';
import type { ScoreNetwork } from './network.js';
import { batchLoss, makeBatch } from './objective.js';

/** Rows evaluated per backend call. */
const EVALUATION_CHUNK = 1024;

/**
 * The mean denoising loss of `network` over every row of `data` (data space; scaled with the network's scaling),
 * one level and one noise draw per row from `rng` (chunk c uses `rng.fork('chunk-c')`).
 */
export function denoisingLoss(
  network: ScoreNetwork,
  data: DataSet,
  rng: Rng,
  weighting: LossWeighting = 'simple',
): number {
  const { shift, scale } = network.config.scaling;
  let total = 0;
  for (let start = 0, chunk = 0; start < data.n; start += EVALUATION_CHUNK, chunk++) {
    const count = Math.min(EVALUATION_CHUNK, data.n - start);
    total += tf.tidy(() => {
      const rows = tf.tensor2d(data.values.subarray(start * data.dim, (start + count) * data.dim), [
        count,
        data.dim,
      ]);
      const x0 = tf.mul(tf.sub(rows, shift), scale) as tf.Tensor2D;
      const batch = makeBatch(
        x0,
        network.predictionType,
        network.config.levels,
        weighting,
        rng.fork(`chunk-${chunk}`),
      );
      const prediction = network.predictAt(batch.noised, batch.levels);
      return batchLoss(prediction, batch).dataSync()[0]! * count;
    });
  }
  return total / data.n;
}
