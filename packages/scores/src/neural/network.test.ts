import { createRng, tf } from '@rtk-diffusion/tensor';
import { expectNoTensorLeak } from '@rtk-diffusion/tensor/testing';
import { describe, expect, it } from 'vitest';
import { predictionToScore } from '../prediction.js';
import { buildNetworkModel, mlpArchitecture, unetArchitecture } from './architecture.js';
import { IDENTITY_SCALING, PIXEL_SCALING } from './data.js';
import { DEFAULT_LEVEL_RANGE } from './embedding.js';
import { tfl } from './layers.js';
import type { ScoreNetworkConfig } from './metadata.js';
import { createScoreNetwork, withWeights, wrapScoreNetwork } from './network.js';

const mlp: ScoreNetworkConfig = {
  architecture: mlpArchitecture(3, { hidden: 16, depth: 2, embeddingSize: 8 }),
  predictionType: 'x0',
  levels: DEFAULT_LEVEL_RANGE,
  scaling: { shift: 1, scale: 0.5 },
};
const unet: ScoreNetworkConfig = {
  architecture: unetArchitecture({ height: 8, width: 12, channels: 2, embeddingSize: 8 }),
  predictionType: 'epsilon',
  levels: DEFAULT_LEVEL_RANGE,
  scaling: PIXEL_SCALING,
};

/** The network with every weight replaced by seeded normals (so its output is not the initial zero). */
function randomised(config: ScoreNetworkConfig, seed: number) {
  const base = createScoreNetwork(config, createRng(seed));
  const values = base.weights().map((w, i) =>
    createRng(seed)
      .fork(`w${i}`)
      .normalArray(w.length, 1)
      .map((v) => 0.3 * v),
  );
  const network = withWeights(base, values);
  base.dispose();
  return network;
}

describe('score networks', () => {
  it('computes with the repo tfjs-core: layer outputs are its tensors, on its backend, counted by its engine', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3 })] });
    const before = tf.memory().numTensors;
    const y = model.apply(tf.ones([4, 2])) as tf.Tensor;
    expect(y).toBeInstanceOf(tf.Tensor);
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    expect(tf.engine().backendName).toBe(tf.getBackend());
    y.dispose();
    model.dispose();
  });

  it('starts at a zero prediction, with seeded weights (same rng ⇒ same weights)', () => {
    for (const config of [mlp, unet]) {
      const a = createScoreNetwork(config, createRng(3));
      const b = createScoreNetwork(config, createRng(3));
      const c = createScoreNetwork(config, createRng(4));
      const x = createRng(5).normal([4, a.dim]);
      const p = a.predict(x, 0.3);
      expect(p.shape).toEqual([4, a.dim]);
      expect(tf.max(tf.abs(p)).dataSync()[0]).toBe(0);
      expect(a.weights()).toEqual(b.weights());
      expect(a.weights()).not.toEqual(c.weights());
      tf.dispose([x, p]);
      for (const n of [a, b, c]) n.dispose();
    }
  });

  it('is a ScoreModel through fromPrediction, maps data ↔ model space, and leaks nothing', async () => {
    for (const config of [mlp, unet]) {
      const network = randomised(config, 9);
      expect(network.predictionType).toBe(config.predictionType);
      const x = createRng(1).normal([5, network.dim]);
      const prediction = network.predict(x, 0.4);
      const expected = predictionToScore(prediction, config.predictionType, x, 0.4);
      const score = network.score(x, 0.4);
      expect(tf.max(tf.abs(score)).dataSync()[0]).toBeGreaterThan(0);
      expect([...score.dataSync()]).toEqual([...expected.dataSync()]);
      const back = network.toData(network.fromData(x));
      expect(tf.max(tf.abs(tf.sub(back, x))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([prediction, expected, score, back]);
      await expectNoTensorLeak(() => {
        network.score(x, 0.4).dispose();
        network.predictAt(x, [0.1, 0.2, 0.3, 0.4, 1]).dispose();
      });
      x.dispose();
      network.dispose();
    }
  });

  it('rejects bad configs, levels and mismatched models', () => {
    expect(() => unetArchitecture({ height: 10 })).toThrow(/height must be a multiple of 4/);
    expect(() => mlpArchitecture(2, { embeddingSize: 5 })).toThrow(/even integer ≥ 4/);
    expect(() => createScoreNetwork({ ...mlp, predictionType: 'score' as never }, createRng(0))).toThrow(
      /predictionType must be one of/,
    );
    expect(() => createScoreNetwork({ ...mlp, levels: { aMin: 0.5, aMax: 0.1 } }, createRng(0))).toThrow(
      /0 < aMin < aMax < 1/,
    );
    const model = buildNetworkModel(mlpArchitecture(4, { hidden: 4, depth: 1, embeddingSize: 8 }));
    expect(() => wrapScoreNetwork(model, mlp)).toThrow(
      /the model takes \[4, 8\] → 4, but the config needs \[3, 8\] → 3/,
    );
    model.dispose();
    const network = createScoreNetwork({ ...mlp, scaling: IDENTITY_SCALING }, createRng(0));
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => network.score(x, 1)).toThrow(/does not determine the score at a = 1/);
    expect(() => network.predictAt(x, [0.5])).toThrow(/1 levels for 2 rows/);
    x.dispose();
    network.dispose();
  });
});
