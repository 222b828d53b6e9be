import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, it } from 'vitest';
import { trainClassifier } from './classifier.js';
import { type DataSet, dataSet } from './data.js';

/** 8 × 8 images of 4 classes: class c has its quadrant c bright (0.8), the rest dim (0.2), plus uniform noise ±0.2. */
function quadrants(n: number, seed: number): DataSet {
  const rng = createRng(seed);
  const label = rng.uniformArray(n, 1);
  const noise = rng.uniformArray(n, 64, { low: -0.2, high: 0.2 });
  const values = new Float32Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.min(3, Math.floor(4 * label[i]!));
    labels[i] = c;
    for (let p = 0; p < 64; p++) {
      const quadrant = 2 * Math.floor(p / 32) + Math.floor((p % 8) / 4);
      values[i * 64 + p] = (quadrant === c ? 0.8 : 0.2) + noise[i * 64 + p]!;
    }
  }
  return dataSet(values, n, 64, { labels, imageShape: [8, 8], name: 'quadrants' });
}

describe('trainClassifier', () => {
  it('learns a separable 4-class image task (accuracy > 0.9 vs 0.25 untrained), with features of the stated size', async () => {
    const train = quadrants(256, 1);
    const test = quadrants(400, 2);
    const architecture = { channels: 4, featureSize: 8 };
    const untrained = await trainClassifier({ data: train, steps: 0, rng: createRng(3), architecture });
    // Untrained: all logits 0, argMax picks class 0 for every row; class 0 has probability ¼ (± 5 s.e. = 0.11 at n = 400).
    expect(Math.abs(untrained.classifier.accuracy(test) - 0.25)).toBeLessThan(5 * Math.sqrt(0.1875 / 400));
    untrained.classifier.dispose();
    const { classifier, losses } = await trainClassifier({
      data: train,
      steps: 60,
      rng: createRng(3),
      architecture,
      batchSize: 32,
      learningRate: 3e-3,
    });
    expect(losses[59]).toBeLessThan(losses[0]!);
    // The classes differ by 0.6 over 16 pixels with ±0.2 noise: a linear read-out separates them almost surely.
    expect(classifier.accuracy(test)).toBeGreaterThan(0.9);
    const x = tf.tensor2d(test.values.subarray(0, 10 * 64), [10, 64]);
    const features = classifier.features(x);
    const probabilities = classifier.probabilities(x);
    expect(features.shape).toEqual([10, 8]);
    expect(
      tf
        .sum(probabilities, 1)
        .dataSync()
        .every((s) => Math.abs(s - 1) < 1e-5),
    ).toBe(true);
    tf.dispose([features, probabilities]);
    await expectNoTensorLeak(() => {
      classifier.features(x).dispose();
      classifier.accuracy(test);
    });
    x.dispose();
    classifier.dispose();
  });

  it('needs labels and an image shape, and stops on abort', async () => {
    const data = quadrants(16, 1);
    await expect(
      trainClassifier({ data: { ...data, labels: undefined }, steps: 1, rng: createRng(0) }),
    ).rejects.toThrow(/needs labels and an image shape/);
    const controller = new AbortController();
    controller.abort();
    await expect(
      trainClassifier({ data, steps: 3, rng: createRng(0), signal: controller.signal }),
    ).rejects.toSatisfy((error: unknown) => isRtkError(error, 'E_ABORTED'));
  });
});
