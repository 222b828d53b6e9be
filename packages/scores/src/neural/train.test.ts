import { createRng, isRtkError, tf } from '@rtk-diffusion/tensor';
import { describe, expect, it } from 'vitest';
import { mlpArchitecture, unetArchitecture } from './architecture.js';
import type { TrainingCheckpoint } from './checkpoint.js';
import { dataSet, IDENTITY_SCALING, PIXEL_SCALING } from './data.js';
import { DEFAULT_LEVEL_RANGE } from './embedding.js';
import { denoisingLoss } from './evaluate.js';
import { createScoreNetwork } from './network.js';
import { twoMoons } from './toy-data.js';
import { type TrainScoreNetworkOptions, trainScoreNetwork } from './train.js';

const architecture = mlpArchitecture(2, { hidden: 32, depth: 2, embeddingSize: 16 });
const rng = createRng(7);
const data = twoMoons(1024, rng.fork('data'));
const heldOut = twoMoons(2048, rng.fork('held-out'));
const base: TrainScoreNetworkOptions = {
  network: { architecture, scaling: IDENTITY_SCALING },
  data,
  steps: 200,
  rng: rng.fork('train'),
  batchSize: 64,
  learningRate: 3e-3,
};

function equalWeights(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return (
    a.length === b.length && a.every((w, i) => w.length === b[i]!.length && w.every((v, j) => v === b[i]![j]))
  );
}

describe('trainScoreNetwork', () => {
  it('lowers the held-out denoising loss (ε head, two moons, 200 steps), and not with a zero learning rate', async () => {
    const untrained = createScoreNetwork(
      { architecture, predictionType: 'epsilon', levels: DEFAULT_LEVEL_RANGE, scaling: IDENTITY_SCALING },
      rng,
    );
    // The untrained network predicts 0, so its loss is the mean of ε² over 2048 × 2 normals: 1 ± 0.03 (1 s.e.).
    const before = denoisingLoss(untrained, heldOut, rng.fork('noise'));
    untrained.dispose();
    expect(Math.abs(before - 1)).toBeLessThan(5 * Math.sqrt(2 / 4096));
    const trained = await trainScoreNetwork(base);
    const after = denoisingLoss(trained.network, heldOut, rng.fork('noise'));
    trained.network.dispose();
    // Measured 0.40 (the optimal ε-loss is well above 0 at high SNR); we ask for a drop of at least 0.3, ten standard
    // errors of the held-out estimate (the per-row loss has s.d. ≤ 1.5, so s.e. ≤ 1.5/√2048 ≈ 0.033).
    expect(after).toBeLessThan(before - 0.3);
    // Negative control: a learning rate of 1e−12 leaves the (zero) network where it was.
    const frozen = await trainScoreNetwork({ ...base, steps: 20, learningRate: 1e-12 });
    const still = denoisingLoss(frozen.network, heldOut, rng.fork('noise'));
    frozen.network.dispose();
    expect(Math.abs(still - before)).toBeLessThan(1e-3);
  });

  it('gives the same weights for the same seed, other weights for another seed', async () => {
    const options = { ...base, steps: 15 };
    const first = await trainScoreNetwork(options);
    const second = await trainScoreNetwork(options);
    const other = await trainScoreNetwork({ ...options, rng: createRng(8).fork('train') });
    expect(equalWeights(first.network.weights(), second.network.weights())).toBe(true);
    expect(equalWeights(first.checkpoint.weights, second.checkpoint.weights)).toBe(true);
    expect(equalWeights(first.network.weights(), other.network.weights())).toBe(false);
    for (const r of [first, second, other]) r.network.dispose();
  });

  it('resumes from a checkpoint to exactly the weights of an uninterrupted run', async () => {
    const saved: TrainingCheckpoint[] = [];
    const options = {
      ...base,
      steps: 24,
      checkpointEvery: 10,
      onCheckpoint: (c: TrainingCheckpoint) => void saved.push(c),
    };
    const whole = await trainScoreNetwork(options);
    expect(saved.map((c) => c.step)).toEqual([10, 20]);
    const resumed = await trainScoreNetwork({ ...base, steps: 24, resume: saved[0]! });
    expect(equalWeights(resumed.checkpoint.weights, whole.checkpoint.weights)).toBe(true);
    expect(equalWeights(resumed.network.weights(), whole.network.weights())).toBe(true);
    expect([...resumed.losses]).toEqual([...whole.losses]);
    for (const r of [whole, resumed]) r.network.dispose();
    await expect(trainScoreNetwork({ ...base, steps: 24, batchSize: 32, resume: saved[0]! })).rejects.toThrow(
      /settings.batchSize: checkpoint 64, now 32/,
    );
    await expect(trainScoreNetwork({ ...base, steps: 5, resume: saved[0]! })).rejects.toThrow(
      /steps must be/,
    );
    const otherData = twoMoons(1024, rng.fork('other data'));
    await expect(
      trainScoreNetwork({ ...base, data: otherData, steps: 24, resume: saved[0]! }),
    ).rejects.toThrow(/settings.dataFingerprint/);
  });

  it('aborts with E_ABORTED after handing over a checkpoint of the completed steps', async () => {
    const controller = new AbortController();
    const saved: TrainingCheckpoint[] = [];
    const before = tf.memory().numTensors;
    const run = trainScoreNetwork({
      ...base,
      progressEvery: 1,
      onProgress: (p) => {
        if (p.step === 5) controller.abort();
      },
      signal: controller.signal,
      onCheckpoint: (c) => void saved.push(c),
    });
    await expect(run).rejects.toSatisfy((error: unknown) => isRtkError(error, 'E_ABORTED'));
    expect(saved.map((c) => c.step)).toEqual([5]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaks no tensor in a training step (MLP and U-Net), nor over a whole run', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const result = await trainScoreNetwork({
      ...base,
      steps: 6,
      progressEvery: 1,
      onProgress: () => counts.push(tf.memory().numTensors),
    });
    result.network.dispose();
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const images = dataSet(rng.fork('images').uniformArray(16, 64), 16, 64, { scaling: PIXEL_SCALING });
    const unetCounts: number[] = [];
    const unet = await trainScoreNetwork({
      network: {
        architecture: unetArchitecture({ height: 8, width: 8, channels: 2, embeddingSize: 8 }),
        predictionType: 'v',
      },
      data: images,
      steps: 3,
      batchSize: 8,
      rng: rng.fork('unet'),
      weighting: 'min-snr',
      progressEvery: 1,
      onProgress: () => unetCounts.push(tf.memory().numTensors),
    });
    unet.network.dispose();
    expect(new Set(unetCounts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports progress and rejects bad options with clear errors', async () => {
    const events: number[] = [];
    const result = await trainScoreNetwork({
      ...base,
      steps: 7,
      progressEvery: 3,
      onProgress: (p) => events.push(p.step),
    });
    result.network.dispose();
    expect(events).toEqual([3, 6, 7]);
    expect(result.examplesPerSecond).toBeGreaterThan(0);
    await expect(
      trainScoreNetwork({ ...base, network: { architecture: mlpArchitecture(3) } }),
    ).rejects.toThrow(/the data has dim 2, the architecture 3/);
    await expect(trainScoreNetwork({ ...base, batchSize: 5000 })).rejects.toThrow(
      /batchSize must be an integer in 1…1024/,
    );
    await expect(trainScoreNetwork({ ...base, emaDecay: 1 })).rejects.toThrow(/emaDecay/);
    // Points at 1e30 with the identity scaling: the x0 loss (0 − 1e30)² overflows float32 at the first step.
    const huge = dataSet(new Float32Array(8).fill(1e30), 4, 2);
    await expect(
      trainScoreNetwork({
        ...base,
        data: huge,
        batchSize: 4,
        network: { architecture, predictionType: 'x0', scaling: IDENTITY_SCALING },
      }),
    ).rejects.toSatisfy(
      (error: unknown) => isRtkError(error, 'E_NUMERIC') && /at step 0/.test((error as Error).message),
    );
  });
});
